//! The task screen's own actions: moving, panes, Esc, the search box, help and the mouse.

use ratatui::layout::Position;

use crate::tui::action::Action;
use crate::tui::app::{App, Effect, Pane, Screen, Write};
use crate::tui::popups::{FieldKey, Popup, Prompt, StatusPicker, TaskForm};
use crate::tui::screens::browse::state::{NavMode, Scope};

impl App {
    // ----- The task screen ----------------------------------------------------------------

    pub(in crate::tui) fn browse_action(&mut self, a: Action) -> Option<Effect> {
        // Marks, long notes, and edits while tasks are marked: see `bulk`.
        if self.bulk_action(a) {
            return None;
        }
        let rows = self.list_rows();
        match a {
            Action::MoveUp => self.move_focused(-1),
            Action::MoveDown => self.move_focused(1),
            Action::PageUp => self.move_focused(-(rows.saturating_sub(1).max(1) as isize)),
            Action::PageDown => self.move_focused(rows.saturating_sub(1).max(1) as isize),
            Action::HalfPageUp => self.move_focused(-((rows / 2).max(1) as isize)),
            Action::HalfPageDown => self.move_focused((rows / 2).max(1) as isize),
            Action::Top => self.move_focused(isize::MIN / 2),
            Action::Bottom => self.move_focused(isize::MAX / 2),
            Action::NextPane => self.browse.focus = self.browse.focus.next(),
            Action::PrevPane => self.browse.focus = self.browse.focus.prev(),
            Action::Open => match self.browse.focus {
                Pane::Nav => self.browse.focus = Pane::List,
                Pane::List if self.selected_task().is_some() => self.browse.focus = Pane::Detail,
                _ => {}
            },
            Action::Back => self.back(),
            Action::Search => {
                self.browse.list.search.editing = true;
                self.browse.focus = Pane::List;
                self.fit_views();
            }
            Action::ToggleOverdue => {
                self.browse.list.overdue_only = !self.browse.list.overdue_only;
                self.rebuild();
            }
            Action::CycleSort => self.sort_by(self.browse.list.sort.next()),
            Action::SortPrevColumn => self.sort_by(self.browse.list.sort.step_column(-1)),
            Action::SortNextColumn => self.sort_by(self.browse.list.sort.step_column(1)),
            Action::ReverseSort => {
                self.browse.list.reverse = !self.browse.list.reverse;
                self.rebuild();
                self.say_sort();
            }
            // The next row of the hits (of the list, without a search), whichever pane has the
            // focus: ctrl-n/ctrl-p as fzf and lazygit users type them.
            Action::NextHit => self.move_list(1),
            Action::PrevHit => self.move_list(-1),
            Action::ZoomDetail => {
                self.browse.zoomed = !self.browse.zoomed;
                self.browse.focus = if self.browse.zoomed {
                    Pane::Detail
                } else {
                    Pane::List
                };
                self.clamp_detail_scroll();
            }
            Action::Remind => return self.preview_reminder().map(Effect::Open),
            Action::MarkDone => {
                if let Some(task) = self.editable_task() {
                    let patch = crate::model::TaskPatch {
                        status: Some(crate::model::Status::Done),
                        ..Default::default()
                    };
                    let target = crate::tui::popups::Target::of(&task);
                    return Some(self.task_change(&target, &[], Some(task.version), patch, None));
                }
            }
            Action::ToggleNav => {
                self.browse.nav.mode = match self.browse.nav.mode {
                    NavMode::Areas => NavMode::Agencies,
                    NavMode::Agencies => NavMode::Areas,
                };
                self.browse.nav.cursor = Default::default();
                self.rebuild();
            }
            Action::SetStatus => {
                if let Some(task) = self.editable_task() {
                    return Some(Effect::Open(Popup::Status(StatusPicker::new(&task))));
                }
            }
            Action::SetPercent => {
                if let Some(task) = self.editable_task() {
                    return Some(Effect::Open(Popup::Percent(Prompt::new(
                        &task,
                        FieldKey::Percent,
                        "",
                    ))));
                }
            }
            Action::AddNote => {
                if let Some(task) = self.editable_task() {
                    return Some(Effect::Open(Popup::Note(Prompt::new(
                        &task,
                        FieldKey::Note,
                        "",
                    ))));
                }
            }
            Action::EditTask => {
                if let Some(task) = self.editable_task() {
                    let form = TaskForm::new(&self.data, self.lang(), Some(&task), None, None);
                    return Some(Effect::Open(Popup::Form(Box::new(form))));
                }
            }
            Action::AddTask => {
                if self.writable() {
                    let (area, mut lead) = match self.scope() {
                        Scope::Area(a) => (Some(a), None),
                        Scope::Agency(a) => (None, Some(a)),
                        Scope::All => (None, None),
                    };
                    // A member adds tasks for their own agency: start from it.
                    if let Some(m) = &self.perms.member
                        && m.role == crate::store::Role::Member
                    {
                        lead = Some(m.agency.clone());
                    }
                    let form = TaskForm::new(
                        &self.data,
                        self.lang(),
                        None,
                        area.as_deref(),
                        lead.as_deref(),
                    );
                    return Some(Effect::Open(Popup::Form(Box::new(form))));
                }
            }
            Action::Undo => return Some(Effect::Write(Write::Undo)),
            Action::Help => return Some(Effect::Help),
            Action::Refresh => return Some(Effect::Reload),
            Action::Indicators => return Some(Effect::Enter(Screen::Indicators)),
            Action::Meeting => return Some(Effect::Enter(Screen::Meeting)),
            // Issue 12: the command line, copying, and the commands that take an argument,
            // which a key (bound in the config file) opens with their name typed.
            Action::CommandLine => self.open_command(""),
            Action::CopyReference => self.copy_reference(),
            Action::GotoTask
            | Action::FilterArea
            | Action::FilterAgency
            | Action::SetTheme
            | Action::SaveView
            | Action::OpenView => {
                self.open_command(&format!("{} ", a.command().unwrap_or_default()))
            }
            Action::ToggleMark | Action::MarkVisible | Action::MarkRange | Action::LongNote => {}
            Action::Suspend => {}
            Action::FirstSlide | Action::LastSlide => {}
            Action::RecordMeasurement
            | Action::NextSlide
            | Action::PrevSlide
            | Action::Quit
            | Action::Close => {}
            // Keys of popups, the search box, the command line and text fields (issue 11).
            Action::Confirm
            | Action::Cancel
            | Action::NextField
            | Action::PrevField
            | Action::Complete
            | Action::CompleteBack
            | Action::PickStatus1
            | Action::PickStatus2
            | Action::PickStatus3
            | Action::PickStatus4
            | Action::NewLine
            | Action::CursorLeft
            | Action::CursorRight
            | Action::LineStart
            | Action::LineEnd
            | Action::DeleteBack
            | Action::DeleteForward
            | Action::DeleteWord
            | Action::ClearField => {}
        }
        None
    }

    /// Moves the list's selection by `delta` rows, whichever pane has the focus.
    pub(in crate::tui) fn move_list(&mut self, delta: isize) {
        let len = self.browse.list.len();
        self.browse.list.cursor.move_by(delta, len);
        self.browse
            .list
            .cursor
            .ensure_visible(self.list_rows(), len);
    }

    /// Moves whatever the focused pane moves: the navigation selection (which filters the
    /// list), the task selection, or the detail text.
    pub(in crate::tui) fn move_focused(&mut self, delta: isize) {
        match self.browse.focus {
            Pane::Nav => {
                let len = self.browse.nav.len(&self.data);
                let before = self.browse.nav.cursor.selected;
                self.browse.nav.cursor.move_by(delta, len);
                self.browse.nav.cursor.ensure_visible(self.nav_rows(), len);
                if self.browse.nav.cursor.selected != before {
                    self.rebuild();
                }
            }
            Pane::List => {
                let len = self.browse.list.len();
                self.browse.list.cursor.move_by(delta, len);
                self.browse
                    .list
                    .cursor
                    .ensure_visible(self.list_rows(), len);
            }
            Pane::Detail => {
                self.browse.detail.scroll = self
                    .browse
                    .detail
                    .scroll
                    .saturating_add_signed(delta.clamp(-100_000, 100_000));
                self.clamp_detail_scroll();
            }
        }
    }

    /// Sorts the list by `sort` (leaving a search's score order) and says so.
    pub(in crate::tui) fn sort_by(&mut self, sort: crate::view::Sort) {
        self.browse.list.set_sort(sort);
        self.rebuild();
        self.say_sort();
    }

    /// "Sắp xếp theo hạn (ngược)".
    fn say_sort(&mut self) {
        let lang = self.lang();
        let mut text = format!(
            "{} {}",
            self.t("Sắp xếp theo", "Sorted by"),
            self.browse.list.sort.label(lang)
        );
        if self.browse.list.ranked_by_score() {
            text = self
                .t("Sắp xếp theo mức khớp", "Sorted by how well they match")
                .to_string();
        }
        if self.browse.list.reverse {
            text.push_str(self.t(" (ngược)", " (reversed)"));
        }
        self.info(text);
    }

    /// Esc: the innermost thing first — the zoomed detail, the detail pane, then the marks,
    /// the search, the overdue filter, the navigation scope, and finally the focus back to the
    /// navigation pane.
    pub(in crate::tui) fn back(&mut self) {
        if self.browse.zoomed {
            self.browse.zoomed = false;
            self.browse.focus = Pane::List;
        } else if self.browse.focus == Pane::Detail {
            self.browse.focus = Pane::List;
        } else if !self.browse.list.marked.is_empty() {
            self.browse.list.marked.clear();
            let text = self.t("Đã bỏ chọn tất cả", "All marks cleared").to_string();
            self.info(text);
        } else if self.browse.list.search.is_active() {
            self.browse.list.clear_search();
            self.rebuild();
        } else if self.browse.list.overdue_only {
            self.browse.list.overdue_only = false;
            self.rebuild();
        } else if self.browse.nav.cursor.selected != 0 {
            self.browse.nav.cursor = Default::default();
            self.rebuild();
        } else if self.browse.focus == Pane::List {
            self.browse.focus = Pane::Nav;
        }
    }

    /// While typing a search: Enter keeps it, Esc clears it, Tab completes a filter token
    /// (and leaves the box when there is none to complete), arrows and ctrl-n/ctrl-p move in
    /// the list.
    pub(in crate::tui) fn search_action(&mut self, a: Action) {
        if let Action::Complete | Action::CompleteBack = a {
            let step = if a == Action::Complete { 1 } else { -1 };
            if self.browse.list.search.complete(step, &self.data) {
                self.refresh_search(false);
                self.rebuild();
                return;
            }
            return self.search_action(Action::Confirm);
        }
        // Any key but Tab ends a completion cycle.
        self.browse.list.search.stop_completing();
        match a {
            Action::NextHit | Action::PrevHit => {
                let effect = self.browse_action(a);
                self.apply(effect);
            }
            Action::Confirm | Action::Open | Action::NextPane | Action::PrevPane => {
                self.browse.list.search.editing = false;
                if !self.browse.list.search.is_active() {
                    self.browse.list.clear_search();
                }
                self.fit_views();
            }
            Action::Cancel | Action::Back => {
                self.browse.list.clear_search();
                self.rebuild();
            }
            Action::MoveUp | Action::MoveDown | Action::PageUp | Action::PageDown => {
                let saved = self.browse.focus;
                self.browse.focus = Pane::List;
                let effect = self.browse_action(a);
                self.apply(effect);
                self.browse.focus = saved;
            }
            _ => {}
        }
    }

    // ----- Mouse --------------------------------------------------------------------------

    pub(in crate::tui) fn click(&mut self, at: Position) {
        let zoomed = self.browse.zoomed;
        if self.popup.is_some() || self.help.is_some() || self.screen != Screen::Browse || zoomed {
            return;
        }
        let Some(layout) = self.layout() else {
            return;
        };
        let nav = layout.nav_inner();
        let rows = layout.list_rows_area(self.search_line());
        if nav.contains(at) {
            self.browse.focus = Pane::Nav;
            let index = self.browse.nav.cursor.offset
                + usize::from((at.y - nav.y) / crate::tui::layout::NAV_ENTRY_LINES);
            if index < self.browse.nav.len(&self.data) && index != self.browse.nav.cursor.selected {
                self.browse.nav.cursor.selected = index;
                self.rebuild();
            }
        } else if rows.contains(at) {
            self.browse.focus = Pane::List;
            let index = self.browse.list.cursor.offset + usize::from(at.y - rows.y);
            if index < self.browse.list.len() {
                self.browse.list.cursor.selected = index;
            }
        } else if layout.list.contains(at) {
            self.browse.focus = Pane::List;
        } else if layout.detail.contains(at) {
            self.browse.focus = Pane::Detail;
        } else if layout.nav.contains(at) {
            self.browse.focus = Pane::Nav;
        }
    }

    pub(in crate::tui) fn wheel(&mut self, at: Position, down: bool) {
        const STEP: isize = 3;
        let delta = if down { STEP } else { -STEP };
        if let Some(help) = &mut self.help {
            help.scroll = help.scroll.saturating_add_signed(delta).min(100_000);
            return;
        }
        if self.popup.is_some() {
            return;
        }
        match self.screen {
            Screen::Browse => {}
            Screen::Indicators => {
                let effect = self.indicators_action(if down {
                    Action::MoveDown
                } else {
                    Action::MoveUp
                });
                self.apply(effect);
                return;
            }
            Screen::Meeting => return,
        }
        let Some(layout) = self.layout() else {
            return;
        };
        if self.browse.zoomed {
            self.browse.detail.scroll = self.browse.detail.scroll.saturating_add_signed(delta);
            self.clamp_detail_scroll();
        } else if layout.list.contains(at) {
            let len = self.browse.list.len();
            self.browse.list.cursor.move_by(delta, len);
            self.browse
                .list
                .cursor
                .ensure_visible(self.list_rows(), len);
        } else if layout.detail.contains(at) {
            self.browse.detail.scroll = self.browse.detail.scroll.saturating_add_signed(delta);
            self.clamp_detail_scroll();
        } else if layout.nav.contains(at) {
            let len = self.browse.nav.len(&self.data);
            self.browse
                .nav
                .cursor
                .scroll(delta.signum(), self.nav_rows(), len);
        }
    }
}
