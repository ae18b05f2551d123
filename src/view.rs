//! Saved views: a named set of task-list filters and a sort order, kept in the config file's
//! `[views.NAME]` tables. One type, parsed once, used by the TUI (`:view NAME`, `cchc --view
//! NAME`) and by `cchc tasks --view NAME`. Pure: no terminal, no SQL, no file access (the
//! config module reads and writes the file).
//!
//! ```toml
//! [views.snv-overdue]
//! agency = "SNV"        # an agency code
//! area = "tthc"         # an area code
//! overdue = true
//! search = "bao cao agency:STP"  # the search box's text, as typed (filter tokens too)
//! sort = "due"          # due, area, agency, state, late, progress, title or id
//! reverse = true        # the order reversed
//! ```

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::{Lang, Task};

/// The task list's order: one of its columns (`<` `>` choose, as in k9s and htop), or the
/// areas in plan order (not a column: the navigation pane shows them). Reversed by `R`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Due,
    Area,
    Agency,
    State,
    /// Days late: the overdue tasks first, the longest late first, then the rest by due date.
    Late,
    Progress,
    Title,
    Id,
}

impl Sort {
    /// Every order, in the order `S` cycles through them.
    pub const ALL: [Sort; 8] = [
        Sort::Due,
        Sort::Area,
        Sort::Agency,
        Sort::State,
        Sort::Late,
        Sort::Progress,
        Sort::Title,
        Sort::Id,
    ];

    /// The list's columns, left to right, as `<` and `>` step through them.
    pub const COLUMNS: [Sort; 7] = [
        Sort::Id,
        Sort::Title,
        Sort::Agency,
        Sort::Due,
        Sort::Late,
        Sort::State,
        Sort::Progress,
    ];

    /// The next order, for the key that cycles through them.
    pub fn next(self) -> Sort {
        let i = Sort::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Sort::ALL[(i + 1) % Sort::ALL.len()]
    }

    /// The column `step` columns to the right (negative: to the left), stopping at either end;
    /// from the areas' order (no column), the column where the area would be.
    pub fn step_column(self, step: isize) -> Sort {
        let at = match Sort::COLUMNS.iter().position(|s| *s == self) {
            Some(i) => i as isize,
            // Between the title and the lead agency.
            None if step > 0 => 1,
            None => 2,
        };
        let last = Sort::COLUMNS.len() as isize - 1;
        Sort::COLUMNS[(at + step).clamp(0, last) as usize]
    }

    /// The name in the config file and after `:sort`.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Due => "due",
            Sort::Area => "area",
            Sort::Agency => "agency",
            Sort::State => "state",
            Sort::Late => "late",
            Sort::Progress => "progress",
            Sort::Title => "title",
            Sort::Id => "id",
        }
    }

    pub fn from_name(name: &str) -> Option<Sort> {
        let name = name.trim().to_ascii_lowercase();
        Sort::ALL.into_iter().find(|s| s.name() == name)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Sort::Due, Lang::Vi) => "hạn",
            (Sort::Area, Lang::Vi) => "lĩnh vực",
            (Sort::Agency, Lang::Vi) => "cơ quan",
            (Sort::State, Lang::Vi) => "tình trạng",
            (Sort::Late, Lang::Vi) => "số ngày trễ",
            (Sort::Progress, Lang::Vi) => "tiến độ",
            (Sort::Title, Lang::Vi) => "tên nhiệm vụ",
            (Sort::Id, Lang::Vi) => "số",
            (Sort::Due, Lang::En) => "due date",
            (Sort::Area, Lang::En) => "area",
            (Sort::Agency, Lang::En) => "agency",
            (Sort::State, Lang::En) => "state",
            (Sort::Late, Lang::En) => "days late",
            (Sort::Progress, Lang::En) => "progress",
            (Sort::Title, Lang::En) => "title",
            (Sort::Id, Lang::En) => "number",
        }
    }

    /// A task's sort key: the order's own rank first (a number, then a text), then due date,
    /// then id. `area_rank` and `agency_rank` are plan-order positions (unknown codes last).
    /// Titles compare without case or diacritics, as a reader expects ("Đánh giá" among the D).
    pub fn key(
        self,
        t: &Task,
        today: NaiveDate,
        area_rank: usize,
        agency_rank: usize,
    ) -> (i64, String, NaiveDate, i64) {
        let rank = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let (number, text) = match self {
            Sort::Due => (0, String::new()),
            Sort::Area => (rank(area_rank), String::new()),
            Sort::Agency => (rank(agency_rank), String::new()),
            Sort::State => (t.display_state(today) as i64, String::new()),
            Sort::Late => (i64::from(!t.is_overdue(today)), String::new()),
            Sort::Progress => (i64::from(t.progress), String::new()),
            Sort::Title => (0, crate::text::fold(&t.title)),
            Sort::Id => (t.id, String::new()),
        };
        (number, text, t.due, t.id)
    }
}

/// Which tasks the navigation pane lets through: all, one area's, or one lead agency's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
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

/// A saved view: the filters and order of the task list. `None` and `false` mean "not
/// filtered"; restoring a view clears what it does not set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SavedView {
    /// An area code.
    pub area: Option<String>,
    /// An agency code (the lead agency).
    pub agency: Option<String>,
    pub overdue: bool,
    /// The search text as typed (same rules as the search box and `--search`).
    pub search: Option<String>,
    pub sort: Option<Sort>,
    /// The order reversed (`R`).
    pub reverse: bool,
}

/// The longest view name accepted.
pub const MAX_NAME_CHARS: usize = 40;

/// Checks a view name: 1–40 letters (any script), digits, `-` or `_`, so it is one word after
/// `:view`, on the command line and in the config file's table header. The message says what
/// to do.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{:?} cannot name a view: use 1–{MAX_NAME_CHARS} letters, digits, - or _ (e.g. snv-overdue)",
            crate::untrusted::line(name)
        ))
    }
}

impl SavedView {
    /// Reads one `[views.NAME]` table; every problem is a message naming the setting, and the
    /// rest of the table still applies.
    pub fn from_table(table: &toml::Table) -> (SavedView, Vec<String>) {
        let mut view = SavedView::default();
        let mut problems = Vec::new();
        let text = |key: &str, problems: &mut Vec<String>| -> Option<String> {
            match table.get(key) {
                None => None,
                Some(toml::Value::String(s)) if !s.trim().is_empty() => {
                    Some(crate::text::nfc(s.trim()))
                }
                Some(_) => {
                    problems.push(format!("{key} must be non-empty text in quotes"));
                    None
                }
            }
        };
        view.area = text("area", &mut problems);
        view.agency = text("agency", &mut problems);
        view.search = text("search", &mut problems);
        for (key, flag) in [
            ("overdue", &mut view.overdue),
            ("reverse", &mut view.reverse),
        ] {
            match table.get(key) {
                None => {}
                Some(toml::Value::Boolean(b)) => *flag = *b,
                Some(_) => problems.push(format!("{key} must be true or false")),
            }
        }
        if let Some(name) = text("sort", &mut problems) {
            match Sort::from_name(&name) {
                Some(sort) => view.sort = Some(sort),
                None => problems.push(format!(
                    "sort {:?} is unknown; use {}",
                    crate::untrusted::line(&name),
                    sort_names()
                )),
            }
        }
        for key in table.keys() {
            if !["area", "agency", "overdue", "search", "sort", "reverse"].contains(&key.as_str()) {
                problems.push(format!(
                    "unknown setting {:?}; a view has area, agency, overdue, search, sort and reverse",
                    crate::untrusted::line(key)
                ));
            }
        }
        (view, problems)
    }

    /// The table `from_table` reads back: only what is set.
    pub fn to_table(&self) -> toml::Table {
        let mut t = toml::Table::new();
        if let Some(a) = &self.area {
            t.insert("area".into(), a.clone().into());
        }
        if let Some(a) = &self.agency {
            t.insert("agency".into(), a.clone().into());
        }
        if self.overdue {
            t.insert("overdue".into(), true.into());
        }
        if let Some(s) = &self.search {
            t.insert("search".into(), s.clone().into());
        }
        if let Some(s) = self.sort {
            t.insert("sort".into(), s.name().into());
        }
        if self.reverse {
            t.insert("reverse".into(), true.into());
        }
        t
    }
}

/// "due, area, agency, state, late, progress, title, id".
pub fn sort_names() -> String {
    Sort::ALL.map(Sort::name).join(", ")
}

/// Every `[views.NAME]` of a `[views]` table, by name; problems name the view.
pub fn parse_views(views: &toml::Table) -> (BTreeMap<String, SavedView>, Vec<String>) {
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, value) in views {
        if let Err(e) = check_name(name) {
            problems.push(format!("[views]: {e}"));
            continue;
        }
        match value {
            toml::Value::Table(table) => {
                let (view, mut p) = SavedView::from_table(table);
                problems.extend(p.drain(..).map(|p| format!("[views.{name}]: {p}")));
                out.insert(name.clone(), view);
            }
            _ => problems.push(format!(
                "[views] {name:?}: a view is a table, e.g. [views.{name}] then overdue = true"
            )),
        }
    }
    (out, problems)
}

/// The error for a view name nobody saved: one line listing the known ones.
pub fn unknown_view(name: &str, known: &BTreeMap<String, SavedView>, lang: Lang) -> String {
    let name = crate::untrusted::line(name);
    if known.is_empty() {
        return match lang {
            Lang::Vi => format!(
                "không có góc nhìn {name:?}: chưa lưu góc nhìn nào (trong TUI gõ :save TÊN)"
            ),
            Lang::En => format!("no view {name:?}: none is saved yet (in the TUI type :save NAME)"),
        };
    }
    let names: Vec<&str> = known.keys().map(String::as_str).collect();
    match lang {
        Lang::Vi => format!(
            "không có góc nhìn {name:?}; các góc nhìn đã lưu: {}",
            names.join(", ")
        ),
        Lang::En => format!("no view {name:?}; the saved views are {}", names.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(src: &str) -> toml::Table {
        toml::from_str(src).unwrap()
    }

    #[test]
    fn a_view_round_trips_through_its_table() {
        let view = SavedView {
            area: Some("tthc".into()),
            agency: Some("SNV".into()),
            overdue: true,
            search: Some("báo cáo \"quý I\"".into()),
            sort: Some(Sort::State),
            reverse: true,
        };
        let (back, problems) = SavedView::from_table(&view.to_table());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(back, view);
        let empty = SavedView::default();
        assert!(empty.to_table().is_empty());
        assert_eq!(SavedView::from_table(&empty.to_table()).0, empty);
    }

    #[test]
    fn bad_settings_are_named_and_the_rest_applies() {
        let (view, problems) = SavedView::from_table(&table(
            "overdue = \"yes\"\nsort = \"name\"\nagency = \"STP\"\ncolour = 1\n",
        ));
        assert_eq!(view.agency.as_deref(), Some("STP"));
        assert!(!view.overdue);
        assert_eq!(view.sort, None);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("overdue must be true or false"));
        assert!(problems[1].contains("due, area, agency, state, late"));
        assert!(problems[2].contains("colour"));
    }

    #[test]
    fn views_parse_by_name() {
        let t = table(
            "[a]\noverdue = true\n[b-2]\nsort = \"agency\"\n[\"bad name\"]\noverdue = true\n",
        );
        let (views, problems) = parse_views(&t);
        assert_eq!(views.keys().collect::<Vec<_>>(), ["a", "b-2"]);
        assert_eq!(views["b-2"].sort, Some(Sort::Agency));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("bad name"), "{problems:?}");
    }

    #[test]
    fn names_are_checked() {
        for good in ["snv", "snv-overdue", "việc_của_tôi", "Q4"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in ["", "a b", "x.y", "x]", "\u{1b}[31m", &"a".repeat(41)] {
            let e = check_name(bad).unwrap_err();
            assert!(!e.contains('\n') && !e.contains('\u{1b}'), "{e:?}");
        }
    }

    #[test]
    fn sorts_by_name_and_cycle() {
        for s in Sort::ALL {
            assert_eq!(Sort::from_name(s.name()), Some(s));
            assert_ne!(s.label(Lang::Vi), s.label(Lang::En));
        }
        assert_eq!(Sort::from_name(" DUE "), Some(Sort::Due));
        assert_eq!(Sort::from_name("name"), None);
        let mut s = Sort::Due;
        for _ in 0..Sort::ALL.len() {
            s = s.next();
        }
        assert_eq!(s, Sort::Due);
        // `<` and `>` stop at the ends; the areas' order steps into the columns beside it.
        assert_eq!(Sort::Id.step_column(-1), Sort::Id);
        assert_eq!(Sort::Progress.step_column(1), Sort::Progress);
        assert_eq!(Sort::Due.step_column(1), Sort::Late);
        assert_eq!(Sort::Area.step_column(1), Sort::Agency);
        assert_eq!(Sort::Area.step_column(-1), Sort::Title);
    }

    #[test]
    fn unknown_view_lists_the_known_ones() {
        let mut known = BTreeMap::new();
        assert!(unknown_view("x", &known, Lang::En).contains(":save NAME"));
        known.insert("mine".to_string(), SavedView::default());
        known.insert("snv".to_string(), SavedView::default());
        let e = unknown_view("x", &known, Lang::En);
        assert!(e.ends_with("mine, snv"), "{e}");
    }
}
