//! The rows of the task list around the screen, read from the store a keyset page at a time.
//!
//! Row numbers: the list's length is exact (the tally's counts), but where the window sits in
//! the list is only known exactly near its ends. Counting the rows before a task costs what
//! the list holds (a tenth of a second at 100,000 tasks in some orders, seconds at a million),
//! so the window does not count: when the filter or the order changes, the selected task keeps
//! the row number it had, and every page is read with one row more than asked, which tells
//! whether anything lies beyond it. When nothing does, the numbers are corrected so the window
//! starts (or ends) where the list does; until then they stay at least one row away from
//! either end. No row number is shown on screen, so a correction only keeps the selection on
//! its task.

use std::ops::Range;

use crate::error::Result;
use crate::model::Task;
use crate::store::{ListKey, ListSpec, Page, Store};

#[derive(Debug, Clone, Default)]
pub struct Window {
    rows: Vec<(ListKey, Task)>,
    /// The row number of `rows[0]`.
    start: usize,
    /// Whether the list has rows before `rows[0]` / after the last row held.
    more_above: bool,
    more_below: bool,
}

/// What a read changed in the numbering: add `shift` to every row number held elsewhere (the
/// selection), and take `len` as the list's length when the rows read contradict it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Renumbered {
    pub shift: isize,
    pub len: Option<usize>,
}

impl Window {
    pub fn clear(&mut self) {
        *self = Window::default();
    }

    fn end(&self) -> usize {
        self.start + self.rows.len()
    }

    pub fn row(&self, i: usize) -> Option<&Task> {
        i.checked_sub(self.start)
            .and_then(|j| self.rows.get(j))
            .map(|(_, t)| t)
    }

    /// Row `i`'s place in the order, when it is in the window.
    pub fn key(&self, i: usize) -> Option<ListKey> {
        i.checked_sub(self.start)
            .and_then(|j| self.rows.get(j))
            .map(|(k, _)| *k)
    }

    pub fn task(&self, id: i64) -> Option<&Task> {
        self.rows.iter().map(|(_, t)| t).find(|t| t.id == id)
    }

    pub fn covers(&self, want: &Range<usize>) -> bool {
        self.start <= want.start && want.end <= self.end()
    }

    /// Holds the rows of an id list (a search's hits, in rank order): numbers are exact.
    pub fn set_exact(&mut self, start: usize, tasks: Vec<Task>, len: usize) {
        let key = |t: &Task| ListKey {
            group: 0,
            due: t.due,
            id: t.id,
        };
        self.rows = tasks.into_iter().map(|t| (key(&t), t)).collect();
        self.start = start;
        self.more_above = start > 0;
        self.more_below = self.end() < len;
    }

    /// Reads the rows around `key`'s task (`above` before it, `below` from it on) and numbers
    /// the task `guess`, corrected near the ends. Returns the task's number.
    pub fn anchor(
        &mut self,
        store: &Store,
        spec: &ListSpec,
        key: ListKey,
        (above, below): (usize, usize),
        guess: usize,
        len: usize,
    ) -> Result<(usize, Renumbered)> {
        let mut before = store.list_page(spec, Page::Before(key), 0, above + 1)?;
        let more_above = before.len() > above;
        if more_above {
            before.remove(0);
        }
        let mut from = store.list_page(spec, Page::From(key), 0, below.max(1) + 1)?;
        let more_below = from.len() > below.max(1);
        from.truncate(below.max(1));
        let kept = before.len();
        before.extend(from);
        self.rows = before;
        self.more_above = more_above;
        self.more_below = more_below;
        self.start = guess.saturating_sub(kept);
        let renumbered = self.renumber(len);
        Ok((self.start + kept, renumbered))
    }

    /// Makes the window hold rows `want` (clipped to the list) and `margin` rows on each side,
    /// reading only what it lacks: a page from an edge when `want` is next to what is held, or
    /// a jump from the nearest end.
    pub fn fill(
        &mut self,
        store: &Store,
        spec: &ListSpec,
        want: Range<usize>,
        margin: usize,
        len: usize,
    ) -> Result<Renumbered> {
        if want.is_empty() || self.covers(&want) {
            return Ok(Renumbered::default());
        }
        let from = want.start.saturating_sub(margin);
        let to = (want.end + margin).min(len);
        let next_to_held =
            !self.rows.is_empty() && want.start <= self.end() && want.end >= self.start;
        if next_to_held {
            self.extend(store, spec, from, to)?;
        } else {
            self.jump(store, spec, from, to, len)?;
        }
        Ok(self.renumber(len))
    }

    fn extend(&mut self, store: &Store, spec: &ListSpec, from: usize, to: usize) -> Result<()> {
        if from < self.start && self.more_above {
            let asked = self.start - from;
            let first = self.rows[0].0;
            let mut before = store.list_page(spec, Page::Before(first), 0, asked + 1)?;
            self.more_above = before.len() > asked;
            if self.more_above {
                before.remove(0);
            }
            self.start -= before.len().min(self.start);
            self.rows.splice(0..0, before);
        }
        if to > self.end() && self.more_below {
            let asked = to - self.end();
            let last = self.rows[self.rows.len() - 1].0;
            let mut after = store.list_page(spec, Page::After(last), 0, asked + 1)?;
            self.more_below = after.len() > asked;
            after.truncate(asked);
            self.rows.extend(after);
        }
        // Keep a screen's worth around `from..to`, no more.
        if from > self.start {
            let cut = (from - self.start).min(self.rows.len());
            self.rows.drain(..cut);
            self.start += cut;
            self.more_above |= cut > 0;
        }
        let keep = to.saturating_sub(self.start);
        if self.rows.len() > keep {
            self.rows.truncate(keep);
            self.more_below = true;
        }
        Ok(())
    }

    fn jump(
        &mut self,
        store: &Store,
        spec: &ListSpec,
        from: usize,
        to: usize,
        len: usize,
    ) -> Result<()> {
        let asked = to - from;
        let (first, last) = (
            self.rows.first().map(|r| r.0),
            self.rows.last().map(|r| r.0),
        );
        let held = self.start..self.end();
        // Forward reads skip from the nearest known row; backward ones end before it.
        let forward = |page, skip| store.list_page(spec, page, skip, asked + 1);
        let (mut rows, mut backward) = if from == 0 {
            (forward(Page::First, 0)?, false)
        } else if to >= len {
            (store.list_page(spec, Page::Last, 0, asked + 1)?, true)
        } else if let Some(last) = last.filter(|_| from >= held.end) {
            (forward(Page::After(last), from - held.end)?, false)
        } else if let Some(first) = first.filter(|_| to <= held.start) {
            let skip = held.start - to;
            (
                store.list_page(spec, Page::Before(first), skip, asked + 1)?,
                true,
            )
        } else {
            (forward(Page::First, from)?, false)
        };
        let (mut from, mut to) = (from, to);
        if rows.is_empty() && len > 0 {
            // The numbers overshot an end: read the end that exists instead.
            backward = !backward;
            (from, to) = if backward {
                (len.saturating_sub(asked), len)
            } else {
                (0, asked.min(len))
            };
            let page = if backward { Page::Last } else { Page::First };
            rows = store.list_page(spec, page, 0, asked + 1)?;
        }
        let beyond = rows.len() > asked;
        if backward {
            if beyond {
                rows.remove(0);
            }
            self.more_above = beyond;
            self.more_below = to < len;
            self.start = to.saturating_sub(rows.len());
        } else {
            rows.truncate(asked);
            self.more_above = from > 0;
            self.more_below = beyond;
            self.start = from;
        }
        self.rows = rows;
        Ok(())
    }

    /// Corrects the numbering by what the reads showed about the ends: no row before means row
    /// 0, no row after means the last row; rows beyond keep the window at least one row away
    /// from that end. The list's length is corrected when the rows contradict it (the tally
    /// was read a moment before another member's write).
    fn renumber(&mut self, len: usize) -> Renumbered {
        let n = self.rows.len();
        let mut len_now = len;
        // At least the rows held, and one more on each side that has more.
        let least = n + usize::from(self.more_above) + usize::from(self.more_below);
        if len_now < least || (!self.more_above && !self.more_below && len_now != n) {
            len_now = if self.more_above || self.more_below {
                least.max(len_now)
            } else {
                n
            };
        }
        let old = self.start;
        self.start = match (self.more_above, self.more_below) {
            (false, _) => 0,
            (true, false) => len_now - n,
            (true, true) => self.start.clamp(1, len_now - 1 - n),
        };
        Renumbered {
            shift: self.start as isize - old as isize,
            len: (len_now != len).then_some(len_now),
        }
    }
}
