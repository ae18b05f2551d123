//! The `:` command line, saved views and copying a task's reference line (issue 12).
//!
//! The line itself is parsed and completed by `tui::command` (pure); here it is opened, edited
//! and carried out. Commands are actions: a command without an argument runs exactly what its
//! key runs.

use crate::untrusted;
use crate::view::{SavedView, Sort};

use super::super::action::Action;
use super::super::command::{self, Command, ParseError, Sources};
use super::super::input::{Edit, TextInput};
use super::super::labels;
use super::super::theme::Theme;
use super::{App, Flow, MessageKind, Pane, Screen};
use crate::tui::screens::browse::state::{NavMode, Scope};

/// The open command line: what is typed, and the Tab cycle in progress.
#[derive(Debug, Clone, Default)]
pub struct CommandLine {
    pub input: TextInput,
    /// Tab's candidates for the text typed before the first Tab, and the one shown now.
    completing: Option<(Vec<String>, usize)>,
}

impl CommandLine {
    /// The candidates Tab cycles through now, if a cycle is under way (for the prompt line).
    pub fn candidates(&self) -> Option<(&[String], usize)> {
        self.completing.as_ref().map(|(c, i)| (c.as_slice(), *i))
    }
}

impl App {
    /// Opens the command line with `text` already typed (`"area "` when a key asks for a
    /// command that needs an argument).
    pub(in crate::tui) fn open_command(&mut self, text: &str) {
        self.command = Some(CommandLine {
            input: TextInput::new(text),
            completing: None,
        });
    }

    /// Keys while the command line is open: Enter runs it, Esc cancels, Tab and Shift-Tab
    /// cycle through the completions.
    pub(in crate::tui) fn command_action(&mut self, a: Action) -> Flow {
        match a {
            // Back and Open keep their meaning for callers that send them (`q` is text here).
            Action::Cancel | Action::Back => self.command = None,
            Action::Confirm | Action::Open => {
                let line = self.command.take().map(|c| c.input.text().to_string());
                return self.run_command_line(&line.unwrap_or_default());
            }
            Action::Complete | Action::NextPane => self.complete(1),
            Action::CompleteBack | Action::PrevPane => self.complete(-1),
            _ => {}
        }
        Flow::Continue
    }

    pub(in crate::tui) fn command_edit(&mut self, e: Edit) {
        if let Some(line) = &mut self.command
            && line.input.edit(&e)
        {
            line.completing = None;
        }
    }

    /// What completion offers: areas, agencies, themes and saved views as they are now.
    pub fn command_sources(&self) -> Sources {
        let mut themes: Vec<String> = Theme::builtin_names().map(String::from).collect();
        if let Some(dir) = crate::config::user_theme_dir()
            && let Ok(entries) = std::fs::read_dir(dir)
        {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "toml")
                    && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
                    && !themes.iter().any(|t| t == stem)
                {
                    themes.push(stem.to_string());
                }
            }
        }
        Sources::new(
            &self.data.areas,
            &self.data.agencies,
            themes,
            self.views.keys().cloned().collect(),
        )
    }

    fn complete(&mut self, step: isize) {
        let sources = self.command_sources();
        let Some(line) = &mut self.command else {
            return;
        };
        let (candidates, index) = match line.completing.take() {
            Some((candidates, index)) => {
                let len = candidates.len() as isize;
                let next = (index as isize + step).rem_euclid(len.max(1)) as usize;
                (candidates, next)
            }
            None => {
                let candidates = command::complete(line.input.text(), &sources);
                let first = if step < 0 {
                    candidates.len().saturating_sub(1)
                } else {
                    0
                };
                (candidates, first)
            }
        };
        let Some(chosen) = candidates.get(index) else {
            let text = self
                .t("Không có gợi ý nào", "Nothing to complete")
                .to_string();
            self.messages.set(MessageKind::Info, text);
            return;
        };
        line.input = TextInput::new(chosen);
        if candidates.len() > 1 {
            line.completing = Some((candidates, index));
        }
    }

    /// Parses and runs one command line; a mistake is a one-line message and changes nothing.
    pub(in crate::tui) fn run_command_line(&mut self, line: &str) -> Flow {
        match command::parse(line) {
            Ok(cmd) => self.run_command(cmd),
            Err(ParseError::Empty) => Flow::Continue,
            Err(e) => {
                let text = e.message(self.lang());
                self.messages.set(MessageKind::Warning, text);
                Flow::Continue
            }
        }
    }

    fn run_command(&mut self, cmd: Command) -> Flow {
        let lang = self.lang();
        let arg = cmd.arg.as_deref();
        let result: Result<(), String> = match (cmd.action, arg) {
            (Action::GotoTask, Some(number)) => match command::task_number(number) {
                Some(id) => self.goto_task(id),
                None => Err(ParseError::BadTaskNumber(number.into()).message(lang)),
            },
            (Action::FilterArea, arg) => self.filter_area(arg),
            (Action::FilterAgency, arg) => self.filter_agency(arg),
            (Action::CycleSort, Some(name)) => match Sort::from_name(name) {
                Some(sort) => {
                    self.set_sort(sort);
                    Ok(())
                }
                None => Err(format!(
                    "{} {:?}; {}: {}",
                    self.t("Không có cách xếp", "No sort order"),
                    untrusted::line(name),
                    self.t("dùng", "use"),
                    crate::view::sort_names()
                )),
            },
            (Action::ToggleOverdue, None) => {
                // Idempotent, unlike the key: `:overdue` means "only overdue".
                if !self.browse.list.overdue_only {
                    self.browse_or_back();
                    self.browse.list.overdue_only = true;
                    self.rebuild();
                }
                let text = self.t("Chỉ hiện việc quá hạn", "Showing overdue tasks only");
                self.info(text.to_string());
                Ok(())
            }
            (Action::SetTheme, Some(name)) => self.set_theme(name),
            (Action::SaveView, Some(name)) => self.save_view(name),
            (Action::OpenView, Some(name)) => self.open_view(name),
            (action, None) => return self.act(action),
            // `parse` gives an argument only to commands that take one.
            (_, Some(_)) => Ok(()),
        };
        if let Err(text) = result {
            self.messages.set(MessageKind::Warning, text);
        }
        Flow::Continue
    }

    /// Back to the task list if another screen is shown (the filters are the list's).
    fn browse_or_back(&mut self) {
        if self.screen != Screen::Browse {
            self.enter(Screen::Browse);
        }
    }

    /// Task `id` when it is listed at all (not withdrawn), as the store has it now.
    fn listed_task(&self, id: i64) -> Option<crate::model::Task> {
        let everything = crate::store::ListSpec {
            scope: Scope::All,
            overdue: false,
            sort: Sort::Due,
            reverse: false,
            today: self.data.today,
        };
        match self.store.listed_ids(&everything, &[id]) {
            Ok(ids) if !ids.is_empty() => self.store.task(id).ok(),
            _ => None,
        }
    }

    /// Selects task `id`, dropping the filters that hide it and saying which.
    fn goto_task(&mut self, id: i64) -> Result<(), String> {
        let lang = self.lang();
        let Some(task) = self.listed_task(id) else {
            return Err(format!(
                "{} #{id}",
                self.t("Không có nhiệm vụ", "There is no task")
            ));
        };
        self.browse_or_back();
        let mut dropped = Vec::new();
        if self.browse.list.search.is_active() && !self.search_keeps(id) {
            dropped.push(format!(
                "{} \"{}\"",
                labels::tr(lang, "tìm", "search"),
                untrusted::line(self.browse.list.search.query().trim())
            ));
            self.browse.list.clear_search();
        }
        if self.browse.list.overdue_only && !task.is_overdue(self.data.today) {
            dropped.push(labels::tr(lang, "chỉ quá hạn", "overdue only").to_string());
            self.browse.list.overdue_only = false;
        }
        if !self.scope().contains(&task) {
            dropped.push(match self.scope() {
                Scope::Area(code) => self.data.area_name(&code, lang),
                Scope::Agency(code) => code,
                Scope::All => String::new(),
            });
            self.browse.nav.cursor = Default::default();
        }
        self.rebuild();
        let rows = self.list_rows();
        if let Err(e) = self.browse.list.select_id(&self.store, id, rows) {
            return Err(self.describe_error(&e));
        }
        self.browse.focus = Pane::List;
        let mut text = format!("#{id} {}", untrusted::line(&task.title));
        if !dropped.is_empty() {
            text = format!(
                "{text} — {} {}",
                labels::tr(lang, "đã bỏ lọc:", "filters dropped:"),
                dropped.join(", ")
            );
        }
        self.info(text);
        Ok(())
    }

    /// Whether the active search lets task `id` through.
    fn search_keeps(&mut self, id: i64) -> bool {
        let filter = crate::store::TaskFilter {
            ids: Some(vec![id]),
            ..Default::default()
        };
        self.store
            .search(self.browse.list.search.query(), &filter)
            .is_ok_and(|hits| !hits.is_empty())
    }

    fn filter_area(&mut self, arg: Option<&str>) -> Result<(), String> {
        let index = match arg {
            None => 0,
            Some(arg) => {
                let code = command::resolve_area(arg, &self.data.areas, self.lang())?;
                1 + self
                    .data
                    .areas
                    .iter()
                    .position(|a| a.code == code)
                    .unwrap_or(0)
            }
        };
        self.set_scope(NavMode::Areas, index);
        Ok(())
    }

    fn filter_agency(&mut self, arg: Option<&str>) -> Result<(), String> {
        let index = match arg {
            None => 0,
            Some(arg) => {
                let code = command::resolve_agency(arg, &self.data.agencies, self.lang())?;
                1 + self
                    .data
                    .agencies
                    .iter()
                    .position(|a| a.code == code)
                    .unwrap_or(0)
            }
        };
        self.set_scope(NavMode::Agencies, index);
        Ok(())
    }

    /// Shows the navigation pane in `mode` with entry `index` (0: all) selected, which scopes
    /// the list, and says what the list now holds.
    fn set_scope(&mut self, mode: NavMode, index: usize) {
        self.browse_or_back();
        self.browse.nav.mode = mode;
        let len = self.browse.nav.len(&self.data);
        self.browse.nav.cursor = Default::default();
        self.browse.nav.cursor.select(index, len);
        let rows = self.nav_rows();
        self.browse.nav.cursor.ensure_visible(rows, len);
        self.rebuild();
        let lang = self.lang();
        let text = match self.scope() {
            Scope::All => labels::tr(lang, "Mọi nhiệm vụ", "All tasks").to_string(),
            Scope::Area(code) => format!(
                "{}: {}",
                labels::tr(lang, "Lĩnh vực", "Area"),
                self.data.area_name(&code, lang)
            ),
            Scope::Agency(code) => format!(
                "{}: {} ({code})",
                labels::tr(lang, "Cơ quan chủ trì", "Lead agency"),
                self.data.agency_name(&code)
            ),
        };
        self.info(untrusted::line(&text).into_owned());
    }

    fn set_sort(&mut self, sort: Sort) {
        self.browse_or_back();
        self.sort_by(sort);
    }

    fn set_theme(&mut self, name: &str) -> Result<(), String> {
        let dir = crate::config::user_theme_dir();
        let (theme, problem) = Theme::load(name.trim(), dir.as_deref());
        if let Some(problem) = problem {
            // Nothing changes: the theme on screen stays.
            return Err(untrusted::line(&problem).into_owned());
        }
        self.settings.theme = theme;
        let text = format!(
            "{} {}",
            self.t("Giao diện màu:", "Theme:"),
            untrusted::line(name.trim())
        );
        self.info(text);
        Ok(())
    }

    /// The list's filters and sort as a view.
    pub fn current_view(&self) -> SavedView {
        let (area, agency) = match self.scope() {
            Scope::All => (None, None),
            Scope::Area(code) => (Some(code), None),
            Scope::Agency(code) => (None, Some(code)),
        };
        let search = self.browse.list.search.query().trim();
        SavedView {
            area,
            agency,
            overdue: self.browse.list.overdue_only,
            search: (self.browse.list.search.is_active() && !search.is_empty())
                .then(|| search.to_string()),
            // A search ranked by score keeps no sort: restored, it is ranked again.
            sort: (!self.browse.list.ranked_by_score()).then_some(self.browse.list.sort),
            reverse: self.browse.list.reverse,
        }
    }

    fn save_view(&mut self, name: &str) -> Result<(), String> {
        let name = crate::text::nfc(name);
        crate::view::check_name(&name)?;
        let Some(path) = self.config_path.clone() else {
            return Err(self
                .t(
                    "Không biết lưu tệp cấu hình ở đâu: đặt CCHC_CONFIG",
                    "No place for the config file: set CCHC_CONFIG",
                )
                .to_string());
        };
        let view = self.current_view();
        crate::config::save_view(&path, &name, &view)
            .map_err(|e| untrusted::line(&e).into_owned())?;
        self.views.insert(name.clone(), view);
        let text = format!(
            "{} {name} → {}",
            self.t("Đã lưu góc nhìn", "Saved view"),
            untrusted::line(&path.display().to_string())
        );
        self.success(text);
        Ok(())
    }

    fn open_view(&mut self, name: &str) -> Result<(), String> {
        let name = crate::text::nfc(name);
        let Some(view) = self.views.get(&name).cloned() else {
            return Err(crate::view::unknown_view(&name, &self.views, self.lang()));
        };
        self.apply_view(&view)?;
        let text = format!("{} {name}", self.t("Góc nhìn", "View"));
        self.info(text);
        Ok(())
    }

    /// Restores a view's filters and sort; what the view leaves unset is cleared. A view
    /// naming an area or agency that is not in the file changes nothing and says so.
    pub fn apply_view(&mut self, view: &SavedView) -> Result<(), String> {
        let lang = self.lang();
        let area = match &view.area {
            Some(a) => Some(command::resolve_area(a, &self.data.areas, lang)?),
            None => None,
        };
        let agency = match &view.agency {
            Some(a) => Some(command::resolve_agency(a, &self.data.agencies, lang)?),
            None => None,
        };
        self.browse_or_back();
        // The navigation pane scopes by one of them; a hand-written view with both keeps the
        // agency (the narrower) and the search box can still narrow further.
        let (mode, index) = match (&agency, &area) {
            (Some(code), _) => (
                NavMode::Agencies,
                1 + self
                    .data
                    .agencies
                    .iter()
                    .position(|a| &a.code == code)
                    .unwrap_or(0),
            ),
            (None, Some(code)) => (
                NavMode::Areas,
                1 + self
                    .data
                    .areas
                    .iter()
                    .position(|a| &a.code == code)
                    .unwrap_or(0),
            ),
            (None, None) => (self.browse.nav.mode, 0),
        };
        self.browse.nav.mode = mode;
        let len = self.browse.nav.len(&self.data);
        self.browse.nav.cursor = Default::default();
        self.browse.nav.cursor.select(index, len);
        let rows = self.nav_rows();
        self.browse.nav.cursor.ensure_visible(rows, len);
        self.browse.list.overdue_only = view.overdue;
        self.browse.list.clear_search();
        self.browse.list.sort = view.sort.unwrap_or_default();
        self.browse.list.reverse = view.reverse;
        if let Some(search) = &view.search {
            self.browse.list.search.input = TextInput::new(search);
            self.refresh_search(true);
            self.browse.list.sort_chosen = view.sort.is_some();
        }
        self.browse.focus = Pane::List;
        self.rebuild();
        self.fit_views();
        Ok(())
    }

    /// `y`: the selected task's reference line onto the clipboard (sent as OSC 52 by the
    /// terminal loop), and said in the status bar.
    pub(in crate::tui) fn copy_reference(&mut self) {
        let Some(task) = self.selected_task() else {
            let text = self.t("Chưa chọn nhiệm vụ nào", "No task is selected");
            self.info(text.to_string());
            return;
        };
        let line = reference_line(task, self.lang());
        self.clipboard = Some(line.clone());
        let text = format!("{} {line}", self.t("Đã chép:", "Copied:"));
        self.success(text);
    }

    /// The text waiting to be put on the clipboard, taken by the terminal loop.
    pub fn take_clipboard(&mut self) -> Option<String> {
        self.clipboard.take()
    }
}

/// "#157 V.1.5/SNV/2026-Q1 — title — hạn 15/03/2026", as minutes quote a task. Every part
/// passes through the one rule for untrusted text: it reaches a terminal and a clipboard.
pub fn reference_line(task: &crate::model::Task, lang: crate::model::Lang) -> String {
    let mut line = format!("#{}", task.id);
    if !task.plan_ref.is_empty() {
        line.push(' ');
        line.push_str(&task.plan_ref);
    }
    untrusted::line(&format!(
        "{line} — {} — {} {}",
        task.title.trim(),
        labels::tr(lang, "hạn", "due"),
        labels::date(task.due)
    ))
    .into_owned()
}
