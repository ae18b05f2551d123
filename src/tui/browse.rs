//! The task screen's state, apart from the store: the navigation pane (areas or agencies) and
//! the task list (filters, sort, the visible rows, the selection).
//!
//! The list keeps positions into `Data::tasks` (`visible`), never copies of tasks, and is rebuilt
//! only when a filter, the sort or the data changes; moving the selection and drawing touch
//! only the rows on screen.

use std::collections::BTreeSet;

use crate::model::Task;
use crate::search;

use super::data::Data;
use super::input::TextInput;

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

/// Which tasks the navigation pane lets through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Area(String),
    Agency(String),
}

impl Scope {
    pub fn contains(&self, t: &Task) -> bool {
        match self {
            Scope::All => true,
            Scope::Area(a) => t.area == *a,
            Scope::Agency(a) => t.lead_agency == *a,
        }
    }
}

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

/// The search box and the positions it lets through.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub input: TextInput,
    /// The box has the focus: keys type into it.
    pub editing: bool,
    /// The normalised query and its hits (task positions, ascending), when a query is set.
    hits: Option<(String, Vec<usize>)>,
}

impl Search {
    pub fn is_active(&self) -> bool {
        self.hits.is_some()
    }

    pub fn query(&self) -> &str {
        self.input.text()
    }

    /// Recomputes the hits for the text in the box. When the query only grew since the last
    /// time, only the previous hits are searched (the matching rule is prefix-closed, except
    /// for exact terms such as `#157`: `search::narrows` decides); after
    /// the data changed, `fresh` must be set. Builds the search index if a query needs it
    /// and it is not built yet.
    pub fn refresh(&mut self, data: &mut Data, fresh: bool) {
        let query = search::normalize(self.input.text());
        if query.is_empty() {
            self.hits = None;
            return;
        }
        let index = data.search_index();
        let hits = match &self.hits {
            Some((previous, hits)) if !fresh && search::narrows(previous, &query) => {
                if *previous == query {
                    return;
                }
                index.search_within(&query, hits)
            }
            _ => index.search(&query),
        };
        self.hits = Some((query, hits.into_iter().map(|h| h.pos).collect()));
    }

    pub fn clear(&mut self) {
        self.input = TextInput::default();
        self.hits = None;
        self.editing = false;
    }

    fn hits(&self) -> Option<&[usize]> {
        self.hits.as_ref().map(|(_, h)| h.as_slice())
    }
}

#[derive(Debug, Clone, Default)]
pub struct TaskList {
    pub sort: Sort,
    pub overdue_only: bool,
    pub search: Search,
    /// Positions into `Data::tasks`, filtered and sorted.
    pub visible: Vec<usize>,
    pub cursor: Cursor,
    /// The marked tasks, by id: marks follow their tasks through scrolling, sorting, filters
    /// and live reloads, whatever row those tasks land on.
    pub marked: BTreeSet<i64>,
}

impl TaskList {
    pub fn selected_task<'d>(&self, data: &'d Data) -> Option<&'d Task> {
        self.visible
            .get(self.cursor.selected)
            .and_then(|&p| data.tasks.get(p))
    }

    pub fn len(&self) -> usize {
        self.visible.len()
    }

    pub fn is_empty(&self) -> bool {
        self.visible.is_empty()
    }

    /// Whether any filter narrows the list (the navigation pane's scope counts too).
    pub fn filtered(&self, scope: &Scope) -> bool {
        self.overdue_only || self.search.is_active() || *scope != Scope::All
    }

    /// Re-filters and re-sorts. The selected task stays selected (on the same screen row) if
    /// it is still listed; otherwise the selection stays at the same index.
    pub fn rebuild(&mut self, data: &Data, scope: &Scope, rows: usize) {
        let previous = self.selected_task(data).map(|t| t.id);
        let screen_row = self.cursor.selected.saturating_sub(self.cursor.offset);

        let today = data.today;
        let member: Option<Vec<bool>> = self.search.hits().map(|hits| {
            let mut m = vec![false; data.tasks.len()];
            for &p in hits {
                if let Some(slot) = m.get_mut(p) {
                    *slot = true;
                }
            }
            m
        });
        self.visible = (0..data.tasks.len())
            .filter(|&p| {
                let t = &data.tasks[p];
                member.as_ref().is_none_or(|m| m[p])
                    && scope.contains(t)
                    && (!self.overdue_only || t.is_overdue(today))
            })
            .collect();
        // Each task's sort key is computed once (not per comparison): with 100,000 tasks a
        // comparator doing hash lookups made a sort take a quarter of a second.
        let mut keyed: Vec<(usize, chrono::NaiveDate, i64, usize)> = self
            .visible
            .iter()
            .map(|&p| {
                let t = &data.tasks[p];
                let (primary, due, id) = self.sort.key(
                    t,
                    today,
                    data.area_rank(&t.area),
                    data.agency_rank(&t.lead_agency),
                );
                (primary, due, id, p)
            })
            .collect();
        keyed.sort_unstable();
        self.visible = keyed.into_iter().map(|k| k.3).collect();

        let len = self.visible.len();
        let found =
            previous.and_then(|id| self.visible.iter().position(|&p| data.tasks[p].id == id));
        match found {
            Some(i) => {
                self.cursor.selected = i;
                self.cursor.offset = i.saturating_sub(screen_row);
            }
            None => self.cursor.select(self.cursor.selected, len),
        }
        self.cursor.ensure_visible(rows, len);
    }

    /// Marks the selected task, or unmarks it; returns whether it is marked now.
    pub fn toggle_mark(&mut self, data: &Data) -> Option<bool> {
        let id = self.selected_task(data)?.id;
        if self.marked.remove(&id) {
            Some(false)
        } else {
            self.marked.insert(id);
            Some(true)
        }
    }

    /// `V`: marks every listed task, or, when they all are marked already, clears every mark.
    /// Returns whether marks were added.
    pub fn mark_visible(&mut self, data: &Data) -> bool {
        let ids: Vec<i64> = self
            .visible
            .iter()
            .filter_map(|&p| data.tasks.get(p).map(|t| t.id))
            .collect();
        if !ids.is_empty() && ids.iter().all(|id| self.marked.contains(id)) {
            self.marked.clear();
            false
        } else {
            self.marked.extend(ids);
            true
        }
    }

    pub fn is_marked(&self, task: &Task) -> bool {
        self.marked.contains(&task.id)
    }

    /// The marked tasks, in the list's order first (those listed), then any hidden by a filter.
    pub fn marked_tasks<'d>(&self, data: &'d Data) -> Vec<&'d Task> {
        let mut tasks: Vec<&Task> = self
            .visible
            .iter()
            .filter_map(|&p| data.tasks.get(p))
            .filter(|t| self.marked.contains(&t.id))
            .collect();
        if tasks.len() < self.marked.len() {
            let listed: BTreeSet<i64> = tasks.iter().map(|t| t.id).collect();
            for &id in self.marked.difference(&listed) {
                if let Some(t) = data.task(id) {
                    tasks.push(t);
                }
            }
        }
        tasks
    }

    /// Selects the task with this id if it is listed; returns whether it is.
    pub fn select_id(&mut self, data: &Data, id: i64, rows: usize) -> bool {
        match self.visible.iter().position(|&p| data.tasks[p].id == id) {
            Some(i) => {
                self.cursor.select(i, self.visible.len());
                self.cursor.ensure_visible(rows, self.visible.len());
                true
            }
            None => false,
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
