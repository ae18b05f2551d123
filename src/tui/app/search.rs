//! The search box's searches, off the input thread (issue 11): sending the list's request to
//! the worker, taking its answers, and waiting for them where a caller needs the hits now.

use std::time::{Duration, Instant};

use super::super::search_worker::{Outcome, SearchAnswer};
use super::App;

impl App {
    /// After a rebuild: sends the search the list asked for to the worker, or, when the list
    /// waits for none (Esc, the search cleared), tells a running one to stop.
    pub(super) fn dispatch_search(&mut self) {
        match self.browse.list.take_search_request() {
            Some(request) => {
                let open = self.store.reader();
                self.search_worker.submit(open, &self.search_fn, request);
            }
            None if !self.browse.list.search_pending() => self.search_worker.cancel(),
            None => {}
        }
    }

    /// Whether a search is running for the list: the terminal loop then polls for its answer
    /// at a short interval (`search_worker::POLL`).
    pub fn search_pending(&self) -> bool {
        self.browse.list.search_pending()
    }

    /// Takes the answers that have come; returns whether the screen changed.
    pub(super) fn take_search_answers(&mut self) -> bool {
        let answers = self.search_worker.answers();
        self.apply_search_answers(answers)
    }

    fn apply_search_answers(&mut self, answers: Vec<SearchAnswer>) -> bool {
        let mut changed = false;
        for answer in answers {
            let failed = matches!(answer.outcome, Outcome::Failed(_));
            let rows = self.list_rows();
            match self
                .browse
                .list
                .take_search_answer(answer, &self.store, rows)
            {
                Ok(applied) => changed |= applied,
                Err(e) => {
                    let text = self.describe_error(&e);
                    self.error(text);
                    changed = true;
                }
            }
            if failed {
                // Its connection may be what failed: the next search starts a fresh one.
                self.search_worker.restart();
            }
        }
        // An answer may ask for its search again (see `TaskList::take_search_answer`).
        self.dispatch_search();
        if changed {
            self.generation += 1;
            self.fill_list();
            self.sync_detail();
        }
        changed
    }

    /// Waits (up to `timeout`) until the list's search is answered, and shows the hits;
    /// returns whether it was. For callers that need the hits now: tests, scripted drivers
    /// (`settle_searches`), never the terminal loop.
    pub fn wait_for_search(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.browse.list.search_pending() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            let answers = self.search_worker.wait_answers(left);
            if answers.is_empty() && !self.search_worker.started() {
                return false;
            }
            self.apply_search_answers(answers);
        }
        true
    }

    /// Makes every `update` wait for the search it started before returning, so that what
    /// follows sees its hits (tests and scripted drivers such as `examples/tui-rss`; the
    /// terminal never does: its keys must echo at once).
    pub fn settle_searches(&mut self, on: bool) {
        self.settle_searches = on;
    }

    /// Waits until the worker has answered every request sent (tests: a stale or cancelled
    /// search's answer has come, to show it changes nothing), and takes those answers.
    pub fn wait_for_search_worker(&mut self, timeout: Duration) -> bool {
        let answers = self.search_worker.wait_idle(timeout);
        self.apply_search_answers(answers);
        self.search_worker.idle()
    }
}

#[cfg(test)]
impl App {
    /// Replaces how the worker searches (tests hold a search back to make it slow).
    pub(crate) fn set_search_fn(&mut self, search: super::super::search_worker::SearchFn) {
        self.search_fn = search;
        self.search_worker.restart();
    }
}
