//! The search box's searches, off the input thread (as television and atuin do): a thread with
//! its own read-only connection to the same file answers the newest request only, so a
//! keystroke is echoed at once and the previous hits stay on screen until the new ones come.
//!
//! - Requests carry an id (the list's, increasing). The worker drains its queue and runs only
//!   the newest; a search already running is abandoned as soon as a newer one is asked for
//!   (`wanted` no longer equals its id: `Store::search_best` looks every few hundred rows).
//! - Every request the worker takes off the queue is answered with its id (hits, abandoned or
//!   failed), so the screen knows when the worker is idle; the list applies only the answer to
//!   the search it waits for (`TaskList::take_search_answer`).
//! - The thread starts at the first search, with a connection opened for it on the screen's
//!   thread at that moment (not before the first frame: see `Running::spawn`), and ends when
//!   the worker is dropped.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::Result;
use crate::store::{RankedHits, Store, TaskFilter};

/// How many hits the screen holds at most: the best ones, by score. A query that matches a
/// million tasks ("n") is listed as its best 10,000 with the count of all; typing on narrows
/// it. Bounds the memory of a search (16 bytes a hit, held once) whatever the file's size.
pub const MAX_HITS: usize = 10_000;

/// How often the terminal loop looks for an answer while a search runs (never when idle).
pub const POLL: Duration = Duration::from_millis(4);

/// How long `App::settle_searches` waits for one search: generous, for a loaded machine.
pub const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);

/// One search for the worker: the query, the list's filters as a store filter (with the
/// previous hits' ids when searching within them) and the request's id.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub id: u64,
    pub query: String,
    pub filter: TaskFilter,
}

/// What became of a request.
#[derive(Debug)]
pub enum Outcome {
    /// The best hits (at most `MAX_HITS`) and the count of all.
    Hits(RankedHits),
    /// A newer request (or a cancel) came first: nothing to show.
    Abandoned,
    /// The store could not answer (the worker's connection could not be opened, a read
    /// failed): the error, for the status line.
    Failed(crate::error::Error),
}

/// The worker's answer to request `id`.
#[derive(Debug)]
pub struct SearchAnswer {
    pub id: u64,
    pub outcome: Outcome,
}

/// How a request is searched: the store's capped, abandonable search. A parameter so that the
/// worker's own tests can hold a request back (a slow search) over the same real store.
pub type SearchFn = Arc<
    dyn Fn(&Store, &SearchRequest, &dyn Fn() -> bool) -> Result<Option<RankedHits>> + Send + Sync,
>;

/// The store's search with the cap: what the TUI runs.
pub fn store_search() -> SearchFn {
    Arc::new(|store, request, stop| {
        store.search_best(&request.query, &request.filter, MAX_HITS, stop)
    })
}

/// The UI's end of the worker: sends requests, receives answers, never blocks unless asked to.
#[derive(Default)]
pub struct SearchWorker {
    running: Option<Running>,
    /// Answers made on this side: a request the thread could not take (it could not be
    /// started, or it died), answered with why.
    local: Vec<SearchAnswer>,
    /// The id of the last request sent, and of the last answer received.
    sent: u64,
    answered: u64,
}

struct Running {
    requests: Sender<SearchRequest>,
    answers: Receiver<SearchAnswer>,
    /// The id of the request someone waits for (0: none); a running search whose id is not
    /// this one stops.
    wanted: Arc<AtomicU64>,
    /// Stops the statement the worker's connection runs (once it is open).
    interrupt: Arc<Mutex<Option<crate::store::Interrupt>>>,
    thread: Option<JoinHandle<()>>,
}

impl Running {
    /// A newer request, or none: the running search stops at its next look between rows, and
    /// a statement still gathering candidates (no row yet) is interrupted.
    fn supersede(&self, id: u64) {
        self.wanted.store(id, Ordering::SeqCst);
        if let Ok(handle) = self.interrupt.lock()
            && let Some(handle) = handle.as_ref()
        {
            handle.interrupt();
        }
    }
}

impl std::fmt::Debug for SearchWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchWorker")
            .field("started", &self.running.is_some())
            .field("sent", &self.sent)
            .field("answered", &self.answered)
            .finish()
    }
}

impl SearchWorker {
    /// Sends `request`, starting the thread (which opens its connection with `open`) at the
    /// first one. The request supersedes every earlier one.
    pub fn submit(
        &mut self,
        open: impl FnOnce() -> Result<Store> + Send + 'static,
        search: &SearchFn,
        request: SearchRequest,
    ) {
        let id = request.id;
        self.sent = self.sent.max(id);
        if self.running.is_none() {
            match Running::spawn(open, search.clone()) {
                Ok(running) => self.running = Some(running),
                Err(e) => return self.answer_here(id, crate::error::Error::Io(e)),
            }
        }
        let Some(running) = &self.running else {
            return;
        };
        // Before the send: the interrupt cannot reach the search of this very request.
        running.supersede(id);
        if running.requests.send(request).is_err() {
            // The thread is gone (it panicked): say so; the next request starts a new one.
            self.running = None;
            let why = crate::error::Error::invalid("the search stopped unexpectedly; try again");
            self.answer_here(id, why);
        }
    }

    fn answer_here(&mut self, id: u64, why: crate::error::Error) {
        self.local.push(SearchAnswer {
            id,
            outcome: Outcome::Failed(why),
        });
    }

    /// Nobody waits for the search sent last (Esc): a running one stops at its next look.
    pub fn cancel(&self) {
        if let Some(running) = &self.running {
            running.supersede(0);
        }
    }

    /// Every answer that has come, without waiting.
    pub fn answers(&mut self) -> Vec<SearchAnswer> {
        let mut out = std::mem::take(&mut self.local);
        if let Some(running) = &self.running {
            out.extend(running.answers.try_iter());
        }
        self.note(&out);
        out
    }

    fn note(&mut self, answers: &[SearchAnswer]) {
        if let Some(last) = answers.iter().map(|a| a.id).max() {
            self.answered = self.answered.max(last);
        }
    }

    /// Waits up to `timeout` for answers; returns those that came (empty on timeout).
    pub fn wait_answers(&mut self, timeout: Duration) -> Vec<SearchAnswer> {
        let mut out = self.answers();
        if out.is_empty()
            && let Some(running) = &self.running
        {
            match running.answers.recv_timeout(timeout) {
                Ok(answer) => out.push(answer),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
            }
            out.extend(running.answers.try_iter());
            self.note(&out);
        }
        out
    }

    /// Whether the thread has been started (by the first request).
    pub fn started(&self) -> bool {
        self.running.is_some() || !self.local.is_empty()
    }

    /// Whether every request sent has been answered (the thread has nothing to do).
    pub fn idle(&self) -> bool {
        self.answered >= self.sent
    }

    /// Waits until the worker has answered every request sent (or `timeout` passed), and
    /// returns the answers received meanwhile.
    pub fn wait_idle(&mut self, timeout: Duration) -> Vec<SearchAnswer> {
        let deadline = Instant::now() + timeout;
        let mut out = self.answers();
        while !self.idle() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.running.is_none() {
                break;
            }
            out.extend(self.wait_answers(left));
        }
        out
    }

    /// Stops the thread and forgets its connection (after the file was opened again, or the
    /// connection failed: the next search opens the file now at the path).
    pub fn restart(&mut self) {
        self.running = None;
        self.answered = self.sent;
    }
}

impl Running {
    fn spawn(
        open: impl FnOnce() -> Result<Store> + Send + 'static,
        search: SearchFn,
    ) -> std::io::Result<Running> {
        let (requests, inbox) = mpsc::channel::<SearchRequest>();
        let (outbox, answers) = mpsc::channel::<SearchAnswer>();
        let wanted = Arc::new(AtomicU64::new(0));
        let interrupt = Arc::new(Mutex::new(None));
        // Opened here, on the screen's thread, not in the worker: a file reached through the
        // store's group is opened with it raised, and raising applies to every thread
        // (crate::privilege), so no other thread may do it while the screen runs `$EDITOR`.
        let opened = open();
        if let (Ok(store), Ok(mut slot)) = (&opened, interrupt.lock()) {
            *slot = Some(store.interrupt_handle());
        }
        let shared = Arc::clone(&wanted);
        let thread = std::thread::Builder::new()
            .name("cchc-search".into())
            .spawn(move || serve(opened, &search, &inbox, &outbox, &shared))?;
        Ok(Running {
            requests,
            answers,
            wanted,
            interrupt,
            thread: Some(thread),
        })
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // Closing the queue ends the thread's loop; a search in progress stops at its next look.
        self.supersede(0);
        let (closed, _) = mpsc::channel();
        drop(std::mem::replace(&mut self.requests, closed));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The thread: answers the newest request each time over the connection opened for it. When the
/// connection cannot be opened, every request is answered with why (the screen then starts a
/// new worker at the next keystroke, which tries again).
fn serve(
    opened: Result<Store>,
    search: &SearchFn,
    inbox: &Receiver<SearchRequest>,
    outbox: &Sender<SearchAnswer>,
    wanted: &AtomicU64,
) {
    let mut opened = opened.map_err(Some);
    while let Ok(mut request) = inbox.recv() {
        // Only the newest request matters; those behind it are superseded.
        while let Ok(newer) = inbox.try_recv() {
            request = newer;
        }
        let id = request.id;
        let stop = || wanted.load(Ordering::SeqCst) != id;
        let outcome = match &mut opened {
            _ if stop() => Outcome::Abandoned,
            Ok(store) => match search(store, &request, &stop) {
                // A search that finished just as a newer one came is stale too, and one
                // interrupted for a newer one failed for that reason only.
                Ok(_) | Err(_) if stop() => Outcome::Abandoned,
                Ok(Some(hits)) => Outcome::Hits(hits),
                Ok(None) => Outcome::Abandoned,
                Err(e) => Outcome::Failed(e),
            },
            Err(e) => Outcome::Failed(e.take().unwrap_or_else(|| {
                crate::error::Error::invalid("the search could not open the database")
            })),
        };
        if outbox.send(SearchAnswer { id, outcome }).is_err() {
            return; // the screen is gone
        }
    }
}

#[cfg(test)]
mod tests;
