//! The task screen's state, apart from the store: the navigation pane (areas or agencies) and
//! the task list (filters, sort, the visible rows, the selection).
//!
//! The list holds the rows around the screen, read from the store a page at a time; moving the
//! selection and drawing touch only those rows.

use crate::model::{LogEntry, Note};
use std::collections::BTreeSet;

use crate::error::Result;
use crate::model::Task;
use crate::search;
use crate::store::{ListKey, ListSpec, Store, TaskFilter};

use crate::tui::data::Data;
use crate::tui::input::TextInput;
use crate::tui::list_window::Window;
use crate::tui::search_worker::{Outcome, SearchAnswer, SearchRequest};

/// A selection in a scrolled list: `selected` is an index into the list, `offset` the first
/// index on screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
}

impl Cursor {
    /// Moves the selection by `delta` rows, staying inside `0..len`.
    pub fn move_by(&mut self, delta: isize, len: usize) {
        if len == 0 {
            *self = Cursor::default();
            return;
        }
        self.selected = self.selected.saturating_add_signed(delta).min(len - 1);
    }

    pub fn select(&mut self, index: usize, len: usize) {
        self.selected = index.min(len.saturating_sub(1));
    }

    /// Scrolls just enough for the selection to be among `rows` rows on screen, and never
    /// leaves blank rows below the end while rows above are hidden.
    pub fn ensure_visible(&mut self, rows: usize, len: usize) {
        let rows = rows.max(1);
        if len == 0 {
            *self = Cursor::default();
            return;
        }
        self.selected = self.selected.min(len - 1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        self.offset = self.offset.min(len.saturating_sub(rows));
    }

    /// Moves the view by `delta` rows without moving the selection.
    pub fn scroll(&mut self, delta: isize, rows: usize, len: usize) {
        let max = len.saturating_sub(rows.max(1));
        self.offset = self.offset.saturating_add_signed(delta).min(max);
    }
}

/// What the navigation pane lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavMode {
    Areas,
    Agencies,
}

/// Which tasks the navigation pane lets through: the core's, shared with the store.
pub use crate::view::Scope;

/// The navigation pane: row 0 is "all", then the areas or the agencies in plan order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nav {
    pub mode: NavMode,
    pub cursor: Cursor,
}

impl Default for Nav {
    fn default() -> Self {
        Nav {
            mode: NavMode::Areas,
            cursor: Cursor::default(),
        }
    }
}

impl Nav {
    pub fn len(&self, data: &Data) -> usize {
        1 + match self.mode {
            NavMode::Areas => data.areas.len(),
            NavMode::Agencies => data.agencies.len(),
        }
    }

    pub fn scope(&self, data: &Data) -> Scope {
        let i = self.cursor.selected;
        if i == 0 {
            return Scope::All;
        }
        match self.mode {
            NavMode::Areas => data
                .areas
                .get(i - 1)
                .map_or(Scope::All, |a| Scope::Area(a.code.clone())),
            NavMode::Agencies => data
                .agencies
                .get(i - 1)
                .map_or(Scope::All, |a| Scope::Agency(a.code.clone())),
        }
    }
}

/// The list's order (`S` cycles through them): the core's, shared with saved views and the CLI.
pub use crate::view::Sort;

/// The search box. Its hits are the store's (`Store::search`, the same path as
/// `cchc tasks --search`), ranked by score and read again by `TaskList::rebuild`.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub input: TextInput,
    /// The box has the focus: keys type into it.
    pub editing: bool,
    /// The normalised query, when one is set.
    query: Option<String>,
    /// The data changed since the last hits: search every task, not within them.
    fresh: bool,
}

impl Search {
    pub fn is_active(&self) -> bool {
        self.query.is_some()
    }

    pub fn query(&self) -> &str {
        self.input.text()
    }

    /// Takes the text in the box as the query; `fresh` after the data changed, so the next
    /// search looks at every task rather than within the previous hits.
    pub fn refresh(&mut self, fresh: bool) {
        let query = search::normalize(self.input.text());
        self.query = (!query.is_empty()).then_some(query);
        self.fresh |= fresh;
    }

    pub fn clear(&mut self) {
        self.input = TextInput::default();
        self.query = None;
        self.editing = false;
    }
}

/// Above this many previous hits a new search reads the search table straight through: handing
/// the store a long id list costs more than the scan it saves (the first letter of "noi vu"
/// matches nearly every task).
const WITHIN_MAX: usize = 5_000;

/// The hits last read: for which query and list, ranked best first.
#[derive(Debug, Clone)]
struct Hits {
    query: String,
    spec: ListSpec,
    /// The best hits (at most `search_worker::MAX_HITS`).
    ids: Vec<i64>,
    /// How many tasks matched in all.
    total: usize,
}

/// A search sent to the search worker and not answered yet: the list shows what it showed
/// before (the previous hits, or the list without the search) until the answer comes.
#[derive(Debug, Clone)]
struct Asked {
    request: SearchRequest,
    spec: ListSpec,
}

/// The task list: its filters and order, the selection, and a window of rows around what is
/// on screen. The list itself stays in the store: `len` comes from the navigation pane's
/// counts (or the search's hits), the rows from keyset pages (`list_window`), so moving and
/// drawing cost what the screen shows, at any size of file.
#[derive(Debug, Clone, Default)]
pub struct TaskList {
    pub sort: Sort,
    pub overdue_only: bool,
    pub search: Search,
    /// Row numbers in the whole list.
    pub cursor: Cursor,
    /// The marked tasks, by id: marks follow their tasks through scrolling, sorting, filters
    /// and live reloads, whatever row those tasks land on.
    pub marked: BTreeSet<i64>,
    /// How many tasks are listed.
    len: usize,
    /// While a search is active: its hits, the list then (best first), kept also to search
    /// within when the query only grows.
    hits: Option<Hits>,
    window: Window,
    /// What the window was read for (filters, order, day).
    spec: Option<ListSpec>,
    /// The search the list waits for (answered off the input thread, `search_worker`).
    asked: Option<Asked>,
    /// A search `rebuild` asked for, for the app to send to the worker.
    outbox: Option<SearchRequest>,
    /// The last search request's id.
    search_seq: u64,
}

impl TaskList {
    /// Row `i` of the list, when it is in the window (every row on screen is).
    pub fn row(&self, i: usize) -> Option<&Task> {
        self.window.row(i)
    }

    pub fn selected_task(&self) -> Option<&Task> {
        self.row(self.cursor.selected)
    }

    /// A task in the window by id (a popup's task is the selected one).
    pub fn task(&self, id: i64) -> Option<&Task> {
        self.window.task(id)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether any filter narrows the list (the navigation pane's scope counts too).
    pub fn filtered(&self, scope: &Scope) -> bool {
        self.overdue_only || self.search.is_active() || *scope != Scope::All
    }

    /// Re-filters and re-sorts after a filter, the order or the data changed. The selected
    /// task stays selected (on the same screen row) if it is still listed; otherwise the
    /// selection stays at the same row number.
    pub fn rebuild(
        &mut self,
        store: &Store,
        data: &Data,
        scope: &Scope,
        rows: usize,
    ) -> Result<()> {
        let previous = self.selected_task().map(|t| t.id);
        let previous_key = self.window.key(self.cursor.selected);
        let spec = ListSpec {
            scope: scope.clone(),
            overdue: self.overdue_only,
            sort: self.sort,
            today: data.today,
        };
        match self.search.query.clone() {
            Some(query) => self.ask_search(&spec, query),
            None => {
                self.hits = None;
                self.asked = None;
                self.outbox = None;
            }
        }
        self.len = match self.ranked() {
            Some(ids) => ids.len(),
            None => {
                let counts = data.counts(scope);
                if self.overdue_only {
                    counts.overdue
                } else {
                    counts.total
                }
            }
        };
        // In the same order (a live change), a selected task that left the list is followed
        // by the one after its place, read from that place: not counted to from an end.
        let same_order = self.hits.is_none() && self.spec.as_ref() == Some(&spec);
        let place = if same_order { previous_key } else { None };
        self.window.clear();
        self.spec = Some(spec);
        self.reselect(store, previous, place, rows)
    }

    /// After the rows changed: the task `previous` stays selected (on the same screen row) if
    /// it is still listed; otherwise the selection goes to the row at its old `place` (the list
    /// kept its order) or stays at the same row number.
    fn reselect(
        &mut self,
        store: &Store,
        previous: Option<i64>,
        place: Option<ListKey>,
        rows: usize,
    ) -> Result<()> {
        let kept = match previous {
            Some(id) => self.show(store, id, rows)?,
            None => false,
        };
        if !kept {
            if let (Some(key), false) = (place, self.len == 0) {
                self.anchor_at(store, key, rows)?;
            }
            self.cursor.select(self.cursor.selected, self.len);
            self.cursor.ensure_visible(rows, self.len);
        }
        self.fill(store, rows)
    }

    /// Asks for the listed tasks matching `query`, best first, unless the hits shown or the
    /// search asked already answer it. When the query only grew since the hits shown, over
    /// the same list with nothing changed since, only those hits are searched again (the
    /// matching rule is prefix-closed; `search::narrows` decides).
    fn ask_search(&mut self, spec: &ListSpec, query: String) {
        let fresh = std::mem::take(&mut self.search.fresh);
        if !fresh {
            if self
                .hits
                .as_ref()
                .is_some_and(|h| h.spec == *spec && h.query == query)
            {
                self.asked = None;
                self.outbox = None;
                return;
            }
            if self
                .asked
                .as_ref()
                .is_some_and(|a| a.spec == *spec && a.request.query == query)
            {
                return;
            }
        }
        let within = match &self.hits {
            Some(h)
                if !fresh
                    && h.spec == *spec
                    && h.total == h.ids.len()
                    && h.ids.len() <= WITHIN_MAX
                    && search::narrows(&h.query, &query) =>
            {
                Some(h.ids.clone())
            }
            _ => None,
        };
        let filter = TaskFilter {
            area: match &spec.scope {
                Scope::Area(code) => Some(code.clone()),
                _ => None,
            },
            lead_agencies: match &spec.scope {
                Scope::Agency(code) => Some(vec![code.clone()]),
                _ => None,
            },
            overdue_on: spec.overdue.then_some(spec.today),
            ids: within,
            ..Default::default()
        };
        self.search_seq += 1;
        let request = SearchRequest {
            id: self.search_seq,
            query,
            filter,
        };
        self.outbox = Some(request.clone());
        self.asked = Some(Asked {
            request,
            spec: spec.clone(),
        });
    }

    // ----- The search worker's side (issue 11) ------------------------------------------

    /// The search `rebuild` asked for, to send to the worker (once).
    pub fn take_search_request(&mut self) -> Option<SearchRequest> {
        self.outbox.take()
    }

    /// Whether the list waits for a search's answer (the view says "searching…").
    pub fn search_pending(&self) -> bool {
        self.asked.is_some()
    }

    /// The id of the search request the list waits for.
    pub fn search_waited_for(&self) -> Option<u64> {
        self.asked.as_ref().map(|a| a.request.id)
    }

    /// While a search is active and answered: how many tasks matched in all (the list holds
    /// at most the best `search_worker::MAX_HITS` of them).
    pub fn search_matched(&self) -> Option<usize> {
        self.hits.as_ref().map(|h| h.total)
    }

    /// Takes the worker's answer: the hits of the search the list waits for replace the rows
    /// shown (keeping the selected task selected if it is among them); an answer to any
    /// other request is stale and changes nothing. Returns whether the list changed.
    pub fn take_search_answer(
        &mut self,
        answer: SearchAnswer,
        store: &Store,
        rows: usize,
    ) -> Result<bool> {
        if self
            .asked
            .as_ref()
            .is_none_or(|a| a.request.id != answer.id)
        {
            return Ok(false);
        }
        let Some(asked) = self.asked.take() else {
            return Ok(false);
        };
        match answer.outcome {
            Outcome::Hits(ranked) => {
                let previous = self.selected_task().map(|t| t.id);
                let ids: Vec<i64> = ranked.hits.iter().map(|h| h.id).collect();
                self.len = ids.len();
                self.hits = Some(Hits {
                    query: asked.request.query,
                    spec: asked.spec,
                    ids,
                    total: ranked.total,
                });
                self.window.clear();
                self.reselect(store, previous, None, rows)?;
                Ok(true)
            }
            Outcome::Abandoned => {
                // Not superseded here (then its id would not be the one waited for): ask again.
                self.outbox = Some(asked.request.clone());
                self.asked = Some(asked);
                Ok(false)
            }
            Outcome::Failed(e) => Err(e),
        }
    }

    /// While a search is active: the listed hits' ids, best first (the list's order then).
    fn ranked(&self) -> Option<&[i64]> {
        self.hits.as_ref().map(|h| h.ids.as_slice())
    }

    /// Puts the task with this id on the selection's screen row if it is listed (reading the
    /// rows around it); returns whether it is.
    fn show(&mut self, store: &Store, id: i64, rows: usize) -> Result<bool> {
        let screen_row = self.cursor.selected.saturating_sub(self.cursor.offset);
        if let Some(ids) = self.ranked() {
            let Some(i) = ids.iter().position(|&i| i == id) else {
                return Ok(false);
            };
            self.cursor.selected = i;
            self.cursor.offset = i.saturating_sub(screen_row);
            self.cursor.ensure_visible(rows, self.len);
            return Ok(true);
        }
        let Some(spec) = self.spec.clone() else {
            return Ok(false);
        };
        if store.listed_ids(&spec, &[id])?.is_empty() {
            return Ok(false);
        }
        let key = store.list_key(&spec, &store.task(id)?)?;
        self.anchor_at(store, key, rows)?;
        Ok(true)
    }

    /// Reads the screen's rows around `key`'s place (its task listed or not), keeping the
    /// selection's screen row, and selects the row at or after that place.
    fn anchor_at(&mut self, store: &Store, key: ListKey, rows: usize) -> Result<()> {
        let Some(spec) = self.spec.clone() else {
            return Ok(());
        };
        let screen_row = self.cursor.selected.saturating_sub(self.cursor.offset);
        let screen_row = screen_row.min(rows.saturating_sub(1));
        let guess = self.cursor.selected.min(self.len.saturating_sub(1));
        // The screen's rows only: a live change re-anchors on every tick, and after another
        // member's write each row read is a page fetched again from the file (the page cache
        // starts cold). A scroll reads the next page when it gets there.
        let (selected, renumbered) = self.window.anchor(
            store,
            &spec,
            key,
            (screen_row, rows - screen_row),
            guess,
            self.len,
        )?;
        if let Some(len) = renumbered.len {
            self.len = len;
        }
        self.cursor.selected = selected;
        self.cursor.offset = selected.saturating_sub(screen_row);
        self.cursor.ensure_visible(rows, self.len);
        Ok(())
    }

    /// Reads the rows on screen (`cursor.offset`, `rows` of them) that the window does not
    /// hold yet, with a screen's worth on each side: one keyset page from the window's edge
    /// after a move, a read from the nearest end after a jump.
    pub fn fill(&mut self, store: &Store, rows: usize) -> Result<()> {
        let rows = rows.max(1);
        // A correction of the numbering moves the screen with it; twice is always enough.
        for _ in 0..3 {
            let want = self.cursor.offset..(self.cursor.offset + rows).min(self.len);
            if want.is_empty() {
                self.window.clear();
                return Ok(());
            }
            if self.window.covers(&want) {
                return Ok(());
            }
            if let Some(ids) = self.ranked() {
                let from = want.start.saturating_sub(rows);
                let to = (want.end + rows).min(ids.len());
                let tasks = store.tasks_by_ids(&ids[from..to])?;
                self.window.set_exact(from, tasks, self.len);
                return Ok(());
            }
            let Some(spec) = self.spec.clone() else {
                return Ok(());
            };
            let renumbered = self.window.fill(store, &spec, want, rows, self.len)?;
            if let Some(len) = renumbered.len {
                self.len = len;
            }
            let shift = |n: usize| n.saturating_add_signed(renumbered.shift);
            self.cursor.selected = shift(self.cursor.selected);
            self.cursor.offset = shift(self.cursor.offset);
            self.cursor.ensure_visible(rows, self.len);
        }
        Ok(())
    }

    /// Marks the selected task, or unmarks it; returns whether it is marked now.
    pub fn toggle_mark(&mut self) -> Option<bool> {
        let id = self.selected_task()?.id;
        if self.marked.remove(&id) {
            Some(false)
        } else {
            self.marked.insert(id);
            Some(true)
        }
    }

    /// Every listed task's id, in list order.
    pub fn listed_ids(&self, store: &Store) -> Result<Vec<i64>> {
        match (self.ranked(), &self.spec) {
            (Some(ids), _) => Ok(ids.to_vec()),
            (None, Some(spec)) => store.list_ids(spec),
            (None, None) => Ok(Vec::new()),
        }
    }

    /// `V`: marks every listed task, or, when they all are marked already, clears every mark.
    /// Returns whether marks were added.
    pub fn mark_visible(&mut self, store: &Store) -> Result<bool> {
        let ids = self.listed_ids(store)?;
        if !ids.is_empty() && ids.iter().all(|id| self.marked.contains(id)) {
            self.marked.clear();
            Ok(false)
        } else {
            self.marked.extend(ids);
            Ok(true)
        }
    }

    pub fn is_marked(&self, task: &Task) -> bool {
        self.marked.contains(&task.id)
    }

    /// The marked tasks, in the list's order first (those listed), then any hidden by a filter.
    pub fn marked_tasks(&self, store: &Store) -> Result<Vec<Task>> {
        let mut ids: Vec<i64> = self
            .listed_ids(store)?
            .into_iter()
            .filter(|id| self.marked.contains(id))
            .collect();
        if ids.len() < self.marked.len() {
            let listed: BTreeSet<i64> = ids.iter().copied().collect();
            ids.extend(self.marked.difference(&listed).copied());
        }
        store.tasks_by_ids(&ids)
    }

    /// Selects the task with this id if it is listed; returns whether it is.
    pub fn select_id(&mut self, store: &Store, id: i64, rows: usize) -> Result<bool> {
        let shown = self.show(store, id, rows)?;
        self.fill(store, rows)?;
        Ok(shown)
    }
}

/// The three panes of the task screen, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Nav,
    List,
    Detail,
}

impl Pane {
    pub(in crate::tui) fn next(self) -> Pane {
        match self {
            Pane::Nav => Pane::List,
            Pane::List => Pane::Detail,
            Pane::Detail => Pane::Nav,
        }
    }

    pub(in crate::tui) fn prev(self) -> Pane {
        match self {
            Pane::Nav => Pane::Detail,
            Pane::List => Pane::Nav,
            Pane::Detail => Pane::List,
        }
    }
}

/// The selected task's history and notes, read from the store when the selection (or the
/// task's version) changes.
#[derive(Debug, Default)]
pub struct Detail {
    pub task_id: Option<i64>,
    pub(in crate::tui) version: i64,
    pub history: Vec<LogEntry>,
    pub notes: Vec<Note>,
    pub scroll: usize,
}

/// Everything the task screen keeps: the navigation pane, the list, the selected task's
/// detail and which pane has the focus.
#[derive(Debug)]
pub struct BrowseState {
    pub nav: Nav,
    pub list: TaskList,
    pub detail: Detail,
    pub focus: Pane,
}

impl Default for BrowseState {
    fn default() -> BrowseState {
        BrowseState {
            nav: Nav::default(),
            list: TaskList::default(),
            detail: Detail::default(),
            focus: Pane::List,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_stays_in_range_and_on_screen() {
        let mut c = Cursor::default();
        c.move_by(-3, 10);
        assert_eq!(c.selected, 0);
        c.move_by(25, 10);
        assert_eq!(c.selected, 9);
        c.ensure_visible(4, 10);
        assert_eq!(c.offset, 6);
        c.move_by(-9, 10);
        c.ensure_visible(4, 10);
        assert_eq!((c.selected, c.offset), (0, 0));
        c.scroll(100, 4, 10);
        assert_eq!(c.offset, 6);
        // An empty list and zero rows never panic.
        c.move_by(1, 0);
        c.ensure_visible(0, 0);
        assert_eq!(c, Cursor::default());
        // A shrunk list pulls the view back up instead of showing blank rows.
        let mut c = Cursor {
            selected: 2,
            offset: 50,
        };
        c.ensure_visible(10, 20);
        assert_eq!(c.offset, 2);
    }
}
