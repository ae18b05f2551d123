//! The task screen's state, apart from the store: the navigation pane (areas or agencies) and
//! the task list (filters, sort, the visible rows, the selection).
//!
//! The list holds the rows around the screen, read from the store a page at a time; moving the
//! selection and drawing touch only those rows.

use crate::model::{LogEntry, Note};
use std::collections::BTreeSet;

use crate::error::Result;
use crate::model::{Lang, Task};
use crate::search;
use crate::search::filters::{self, TaskQuery};
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
/// `cchc tasks --search`), ranked by score and read again by `TaskList::rebuild`. What is
/// typed may hold filter tokens (`agency:STP due.before:2026-12-31`, `search::filters`),
/// which filter exactly; the rest is the fuzzy text.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub input: TextInput,
    /// The box has the focus: keys type into it.
    pub editing: bool,
    /// The normalised text in the box, when there is some: the search asked for.
    query: Option<String>,
    /// What is typed, split into filters and text.
    parsed: TaskQuery,
    /// The data changed since the last hits: search every task, not within them.
    fresh: bool,
    /// Tab's candidates for the word being typed, and the one shown now.
    completing: Option<(Vec<String>, usize)>,
}

impl Search {
    pub fn is_active(&self) -> bool {
        self.query.is_some()
    }

    pub fn query(&self) -> &str {
        self.input.text()
    }

    /// The query split into its filters and fuzzy text (empty while nothing is typed).
    pub fn parsed(&self) -> &TaskQuery {
        &self.parsed
    }

    /// Takes the text in the box as the query, resolving its filter tokens against the
    /// file's areas and agencies; `fresh` after the data changed, so the next search looks at
    /// every task rather than within the previous hits.
    pub fn refresh(&mut self, fresh: bool, data: &Data, lang: Lang) {
        let query = search::normalize(self.input.text());
        self.parsed = TaskQuery::parse(self.input.text(), &data.areas, &data.agencies, lang);
        self.query = (!query.is_empty()).then_some(query);
        self.fresh |= fresh;
    }

    pub fn clear(&mut self) {
        *self = Search {
            fresh: self.fresh,
            ..Search::default()
        };
    }

    /// Tab's candidates while a cycle is under way (the search line shows them).
    pub fn candidates(&self) -> Option<(&[String], usize)> {
        self.completing.as_ref().map(|(c, i)| (c.as_slice(), *i))
    }

    /// Tab (`step` 1) or Shift-Tab (-1): the word being typed completed to the next filter
    /// key or value, cycling on a repeat. Returns whether there was anything to complete.
    pub fn complete(&mut self, step: isize, data: &Data) -> bool {
        let (candidates, index) = match self.completing.take() {
            Some((candidates, index)) => {
                let len = candidates.len() as isize;
                (candidates, (index as isize + step).rem_euclid(len) as usize)
            }
            None => {
                let word = self.input.word_before_cursor();
                let candidates = filters::complete(word, &data.areas, &data.agencies);
                if candidates.is_empty() {
                    return false;
                }
                let first = if step < 0 { candidates.len() - 1 } else { 0 };
                (candidates, first)
            }
        };
        self.input.replace_word_before_cursor(&candidates[index]);
        if candidates.len() > 1 {
            self.completing = Some((candidates, index));
        }
        true
    }

    /// An edit ends a completion cycle.
    pub fn stop_completing(&mut self) {
        self.completing = None;
    }
}

/// Above this many previous hits a new search reads the search table straight through: handing
/// the store a long id list costs more than the scan it saves (the first letter of "noi vu"
/// matches nearly every task).
const WITHIN_MAX: usize = 5_000;

/// The hits last read: for which query and list, in the list's order (best first when
/// ranked by score).
#[derive(Debug, Clone)]
struct Hits {
    query: TaskQuery,
    /// Ranked by score, not by the spec's sort.
    by_score: bool,
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
    query: TaskQuery,
    by_score: bool,
    spec: ListSpec,
}

/// The task list: its filters and order, the selection, and a window of rows around what is
/// on screen. The list itself stays in the store: `len` comes from the navigation pane's
/// counts (or the search's hits), the rows from keyset pages (`list_window`), so moving and
/// drawing cost what the screen shows, at any size of file.
#[derive(Debug, Clone, Default)]
pub struct TaskList {
    pub sort: Sort,
    /// The order reversed (`R`).
    pub reverse: bool,
    /// A sort was chosen (`<`, `>`, `S`, `:sort`) while the search is active: its hits are in
    /// that order rather than best first. Cleared with the search, so a new one starts ranked.
    pub sort_chosen: bool,
    pub overdue_only: bool,
    pub search: Search,
    /// Row numbers in the whole list.
    pub cursor: Cursor,
    /// The marked tasks, by id: marks follow their tasks through scrolling, sorting, filters
    /// and live reloads, whatever row those tasks land on.
    pub marked: BTreeSet<i64>,
    /// The task marked last, where ctrl-space's range starts.
    last_mark: Option<i64>,
    /// How many tasks are listed.
    len: usize,
    /// While a search is active: its hits, the list then (best first), kept also to search
    /// within when the query only grows.
    hits: Option<Hits>,
    /// Without a search, in an order no index serves (number, title, progress): every listed
    /// id in order (`Store::list_ids`), read again at each rebuild.
    ordered: Option<Vec<i64>>,
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

    /// Whether the list is in the order of a search's scores rather than its sort: a search
    /// with text, before a sort was chosen for it.
    pub fn ranked_by_score(&self) -> bool {
        self.search.is_active() && !self.sort_chosen && !self.search.parsed.text.is_empty()
    }

    /// Chooses the order (a sort key): the list leaves a search's score order for it.
    pub fn set_sort(&mut self, sort: Sort) {
        self.sort = sort;
        self.sort_chosen = self.search.is_active();
    }

    /// Clears the search box; the next search starts ranked by score.
    pub fn clear_search(&mut self) {
        self.search.clear();
        self.sort_chosen = false;
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
            reverse: self.reverse,
            today: data.today,
        };
        self.ordered = None;
        if self.search.is_active() {
            let query = self.search.parsed.clone();
            self.ask_search(&spec, query);
        } else {
            self.hits = None;
            self.asked = None;
            self.outbox = None;
            if !crate::store::paged(spec.sort) {
                self.ordered = Some(store.list_ids(&spec)?);
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
        let same_order = self.ranked().is_none() && self.spec.as_ref() == Some(&spec);
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

    /// Asks for the listed tasks matching `query`, unless the hits shown or the search asked
    /// already answer it. When the text only grew since the hits shown, with the same filters,
    /// over the same list with nothing changed since, only those hits are searched again (the
    /// matching rule is prefix-closed; `search::narrows` decides).
    fn ask_search(&mut self, spec: &ListSpec, query: TaskQuery) {
        let fresh = std::mem::take(&mut self.search.fresh);
        let by_score = !self.sort_chosen && !query.text.is_empty();
        if !fresh {
            let same =
                |q: &TaskQuery, b: bool, s: &ListSpec| *s == *spec && *q == query && b == by_score;
            if self
                .hits
                .as_ref()
                .is_some_and(|h| same(&h.query, h.by_score, &h.spec))
            {
                self.asked = None;
                self.outbox = None;
                return;
            }
            if self
                .asked
                .as_ref()
                .is_some_and(|a| same(&a.query, a.by_score, &a.spec))
            {
                return;
            }
        }
        let within = match &self.hits {
            Some(h)
                if !fresh
                    && h.spec == *spec
                    && h.query.filters == query.filters
                    && h.query.problems.is_empty()
                    && h.total == h.ids.len()
                    && h.ids.len() <= WITHIN_MAX
                    && search::narrows(&h.query.text, &query.text) =>
            {
                Some(h.ids.clone())
            }
            _ => None,
        };
        let mut filter = TaskFilter {
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
        filter.narrow(&query.filters, spec.today);
        if !query.problems.is_empty() {
            // A word not understood (the search line says which) matches nothing, rather
            // than being dropped and listing more than was asked for.
            filter.ids = Some(Vec::new());
        }
        self.search_seq += 1;
        let request = SearchRequest {
            id: self.search_seq,
            query: query.text.clone(),
            filter,
        };
        self.outbox = Some(request.clone());
        self.asked = Some(Asked {
            request,
            query,
            by_score,
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
                let mut ids: Vec<i64> = ranked.hits.iter().map(|h| h.id).collect();
                if !asked.by_score {
                    // Filters alone, or a sort chosen: the list's own order.
                    ids = store.order_ids(&asked.spec, &ids)?;
                } else if asked.spec.reverse {
                    ids.reverse();
                }
                self.len = ids.len();
                self.hits = Some(Hits {
                    query: asked.query,
                    by_score: asked.by_score,
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

    /// The listed ids in order when the list is held as ids: a search's hits, or an order no
    /// index serves.
    fn ranked(&self) -> Option<&[i64]> {
        self.hits
            .as_ref()
            .map(|h| h.ids.as_slice())
            .or(self.ordered.as_deref())
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
            self.cursor.offset = keep_screen_row(i, screen_row, rows);
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
        // A screen's rows around it only: a live change re-anchors on every tick, and after
        // another member's write each row read is a page fetched again from the file (the page
        // cache starts cold). A scroll reads the next page when it gets there. A screen's worth
        // above tells whether the list's first rows would fit above the task.
        let (selected, renumbered) = self.window.anchor(
            store,
            &spec,
            key,
            (rows, rows - screen_row),
            guess,
            self.len,
        )?;
        if let Some(len) = renumbered.len {
            self.len = len;
        }
        self.cursor.selected = selected;
        self.cursor.offset = keep_screen_row(selected, screen_row, rows);
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
            self.last_mark = Some(id);
            Some(true)
        }
    }

    /// ctrl-space: marks every listed task from the last one marked to the selected one, both
    /// included (in the list's order, either way up). Returns how many were marked now, or
    /// `None` when the last one marked is not listed (or none was).
    pub fn mark_range(&mut self, store: &Store) -> Result<Option<usize>> {
        let (Some(from), Some(to)) = (self.last_mark, self.selected_task().map(|t| t.id)) else {
            return Ok(None);
        };
        let ids = self.listed_ids(store)?;
        let at = |id: i64| ids.iter().position(|&i| i == id);
        let (Some(a), Some(b)) = (at(from), at(to)) else {
            return Ok(None);
        };
        let range = &ids[a.min(b)..=a.max(b)];
        let before = self.marked.len();
        self.marked.extend(range);
        self.last_mark = Some(to);
        Ok(Some(self.marked.len() - before))
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

/// The first row on screen that keeps a task found again at row `selected` on the screen row
/// it had, unless the list's first rows then fit above it: they are never scrolled out of
/// view for it (after `:157` then `o`, task 157 second in the list shows under the first).
fn keep_screen_row(selected: usize, screen_row: usize, rows: usize) -> usize {
    if selected < rows {
        0
    } else {
        selected.saturating_sub(screen_row)
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
    /// `z`: the detail pane over the whole task screen.
    pub zoomed: bool,
}

impl Default for BrowseState {
    fn default() -> BrowseState {
        BrowseState {
            nav: Nav::default(),
            list: TaskList::default(),
            detail: Detail::default(),
            focus: Pane::List,
            zoomed: false,
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
