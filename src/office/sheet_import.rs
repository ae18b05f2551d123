//! Reading a returned agency sheet: opened within limits (`spreadsheet`), recognised by its
//! record (`sheet_meta`), then each row read against that record — a row whose ID the sheet was
//! not made for, whose plan reference no longer matches its ID, or that was added at the bottom
//! is refused; a row that was deleted is named — and turned into a [`SheetEdit`] when its
//! fillable cells differ from what was exported (kept in the hidden columns). [`vet`] then
//! checks the rows against the file as it is now (the task's title and agencies, the
//! indicator's lead, a plausible value). Pure reading and comparing: the store applies the
//! edits with the rules of `cchc task set` and `cchc indicator record`, and checks the same
//! again inside its transaction. Every reason is in the reader's language.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::cells;
use super::sheet::{
    FIRST_ROW, HEADER_ROW, indicator_col, indicator_sheet_name, task_col, task_sheet_name,
};
use super::sheet_meta::{self, MetaError, Role, SheetMeta};
use super::spreadsheet::{self, Grid};
use super::{META_SHEET, t};
use crate::error::{Error, Result};
use crate::model::{Indicator, Lang, Measurement, Status, Task, TaskPatch};
use crate::store::{Exported, NewMeasurement, SheetEdit};
use crate::untrusted;

/// Where a row comes from: the file, the sheet and the row number a spreadsheet shows (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub file: String,
    pub sheet: String,
    pub row: u32,
}

impl Origin {
    /// The note the change log keeps: "Q4.xlsx, Nhiệm vụ dòng 7" (in the sheet's language).
    pub fn describe(&self, lang: Lang) -> String {
        let row = t(lang, "dòng", "row");
        format!("{}, {} {row} {}", self.file, self.sheet, self.row)
    }
}

/// One row that asks for a change.
#[derive(Debug, Clone, PartialEq)]
pub struct RowEdit {
    pub origin: Origin,
    /// What the row is about, for people: "#12 Báo cáo CCHC quý I/2026", an indicator's name.
    pub subject: String,
    pub edit: SheetEdit,
}

/// Why a row is not applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A cell cchc cannot read (not a date, not a number…).
    BadCell,
    /// A row the sheet was not made for, or that may not change what it asks to.
    Refused,
    /// Two rows of the files imported together say different things of one task.
    Conflict,
}

/// A row that is not applied, with the reason in one line.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRow {
    pub origin: Origin,
    pub subject: String,
    pub problem: Problem,
    pub reason: String,
}

/// A row the sheet was made with and that is no longer in the file: nothing is changed for it.
#[derive(Debug, Clone, PartialEq)]
pub enum Deleted {
    Task(i64),
    Indicator(String),
}

/// What one returned sheet asks for.
#[derive(Debug)]
pub struct ReturnedSheet {
    pub file: String,
    pub meta: SheetMeta,
    pub edits: Vec<RowEdit>,
    pub bad: Vec<BadRow>,
    pub deleted: Vec<Deleted>,
    /// Rows read (tasks and indicators), changed or not.
    pub rows: usize,
}

fn say(lang: Lang, vi: String, en: String) -> String {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// "#12 Báo cáo CCHC quý I/2026", the title cut to fit a table's column.
pub fn task_subject(id: i64, title: &str) -> String {
    if title.is_empty() {
        return format!("#{id}");
    }
    format!(
        "#{id} {}",
        crate::text::truncate(&untrusted::line(title), 48)
    )
}

/// Reads one returned sheet. A file that cannot be read or is not a cchc agency sheet is an
/// error; a row that cannot be applied is a [`BadRow`], so every file's problems are listed
/// together. `lang` is the reader's language, for the reasons.
pub fn read_returned(path: &Path, today: NaiveDate, lang: Lang) -> Result<ReturnedSheet> {
    let shown = path.display().to_string();
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    if !path.is_file() {
        return Err(Error::invalid(say(
            lang,
            format!("{shown}: không có tệp này; kiểm tra lại tên (chưa nhập gì)"),
            format!("{shown}: no such file; check the name (nothing was imported)"),
        )));
    }
    let book = spreadsheet::open(path, &shown, lang)?;
    let refuse = |vi: &str, en: &str| {
        Error::invalid(say(
            lang,
            format!("{shown}: {vi}"),
            format!("{shown}: {en}"),
        ))
    };
    let meta = sheet_meta::read(book.sheet(META_SHEET)).map_err(|e| match e {
        MetaError::NotASheet => refuse(
            "không phải bảng cập nhật của cchc (không có trang ẩn cchc); lập bảng bằng `cchc sheet --agency MÃ`",
            "not a cchc agency sheet (no cchc marker sheet); make one with `cchc sheet --agency CODE`",
        ),
        MetaError::Export => refuse(
            "đây là tệp xuất toàn bộ (`cchc export --format xlsx`), không phải bảng của một cơ quan; nhập các bảng do `cchc sheet` lập",
            "this is a full export (`cchc export --format xlsx`), not an agency sheet; import the sheets made by `cchc sheet`",
        ),
        MetaError::Layout(v) => Error::invalid(say(
            lang,
            format!(
                "{shown}: bảng do phiên bản cchc khác lập (mẫu {}); lập bảng mới bằng `cchc sheet`",
                untrusted::line(&v)
            ),
            format!(
                "{shown}: made by another version of cchc (sheet layout {}); make a new sheet with `cchc sheet`",
                untrusted::line(&v)
            ),
        )),
        MetaError::Damaged => refuse(
            "phần ghi ẩn của bảng (cơ quan, kỳ, các nhiệm vụ) đã bị sửa hoặc hỏng; lập bảng mới bằng `cchc sheet`",
            "the sheet's hidden record (agency, period, tasks) was changed or is damaged; make a new sheet with `cchc sheet`",
        ),
    })?;
    let sheet = |name: &str| {
        book.sheet(name).ok_or_else(|| {
            Error::invalid(say(
                lang,
                format!("{shown}: thiếu trang {name:?}; không đổi tên hay xoá các trang của bảng cchc"),
                format!(
                    "{shown}: the sheet {name:?} is missing; do not rename or delete the sheets of a cchc sheet"
                ),
            ))
        })
    };
    let mut out = ReturnedSheet {
        file: file.clone(),
        edits: Vec::new(),
        bad: Vec::new(),
        deleted: Vec::new(),
        rows: 0,
        meta,
    };
    let (tasks_name, indicators_name) = (
        task_sheet_name(out.meta.lang),
        indicator_sheet_name(out.meta.lang),
    );
    let reader = Reader {
        file: &file,
        today,
        lang,
        sheet_lang: out.meta.lang,
    };
    reader.tasks(sheet(tasks_name)?, tasks_name, &mut out)?;
    reader.indicators(sheet(indicators_name)?, indicators_name, &mut out);
    Ok(out)
}

struct Reader<'a> {
    file: &'a str,
    today: NaiveDate,
    /// The reader's language, for reasons.
    lang: Lang,
    /// The sheet's own language: its status names and sheet names.
    sheet_lang: Lang,
}

/// What a fillable cell holds: its value, or a reason when it holds a formula whose value was
/// not saved with it (a script wrote it; Excel and LibreOffice save the value too).
fn fillable(
    grid: &Grid,
    row: u32,
    col: u16,
    lang: Lang,
) -> std::result::Result<&calamine::Data, String> {
    let value = grid.value(row, col as u32);
    match grid.formula(row, col as u32) {
        Some(f) if *value == calamine::Data::Empty => Err(say(
            lang,
            format!(
                "ô {} chứa công thức ={} mà không có giá trị đã tính; gõ giá trị vào ô, hoặc mở và lưu tệp bằng Excel hay LibreOffice",
                cell_name(row, col),
                untrusted::line(f)
            ),
            format!(
                "cell {} holds the formula ={} without its computed value; type the value itself, or open and save the file in Excel or LibreOffice",
                cell_name(row, col),
                untrusted::line(f)
            ),
        )),
        _ => Ok(value),
    }
}

/// "H7": a cell as a spreadsheet names it.
fn cell_name(row: u32, col: u16) -> String {
    let mut letters = String::new();
    let mut n = col as u32 + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, (b'A' + rem as u8) as char);
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// The rows below the header that hold anything, in order.
fn data_rows(grid: &Grid) -> impl Iterator<Item = u32> + '_ {
    (FIRST_ROW..=grid.last_row().unwrap_or(0).max(FIRST_ROW))
        .filter(|row| grid.row_has_content(*row, 0))
}

impl Reader<'_> {
    fn origin(&self, sheet: &str, row: u32) -> Origin {
        Origin {
            file: self.file.to_string(),
            sheet: sheet.to_string(),
            row: row + 1,
        }
    }

    fn tasks(&self, grid: &Grid, sheet: &str, out: &mut ReturnedSheet) -> Result<()> {
        use task_col as c;
        let lang = self.lang;
        if cells::text(grid.value(HEADER_ROW, c::ID as u32)).as_deref() != Some("ID") {
            return Err(Error::invalid(say(
                lang,
                format!(
                    "{}: trang {sheet:?} không có dòng tiêu đề ở dòng {}; không chèn hay xoá dòng phía trên",
                    self.file,
                    HEADER_ROW + 1
                ),
                format!(
                    "{}: the sheet {sheet:?} does not have its header on row {}; do not insert or delete rows above it",
                    self.file,
                    HEADER_ROW + 1
                ),
            )));
        }
        let mut seen: HashMap<i64, u32> = HashMap::new();
        for row in data_rows(grid) {
            out.rows += 1;
            let origin = self.origin(sheet, row);
            let cell = |col: u16| grid.value(row, col as u32);
            let plan_ref = cells::text(cell(c::PLAN_REF)).unwrap_or_default();
            let title = cells::text(cell(c::TITLE)).unwrap_or_default();
            let mut refuse = |problem: Problem, subject: String, reason: String| {
                out.bad.push(BadRow {
                    origin: origin.clone(),
                    subject,
                    problem,
                    reason,
                })
            };
            let Some(id) = cells::int(cell(c::ID)) else {
                let reason = if cells::text(cell(c::ID)).is_some() {
                    say(
                        lang,
                        "ô ID đã bị sửa; khôi phục ô hoặc lập bảng mới".into(),
                        "the ID cell was changed; restore it or make a new sheet".into(),
                    )
                } else {
                    say(
                        lang,
                        "dòng thêm vào bảng: cchc không nhận nhiệm vụ mới từ bảng cập nhật; đề nghị Sở Nội vụ thêm nhiệm vụ (`cchc task add`)".into(),
                        "a row added to the sheet: cchc takes no new tasks from a returned sheet; ask Sở Nội vụ to add the task (`cchc task add`)".into(),
                    )
                };
                let subject = untrusted::line(&crate::text::truncate(&title, 48)).into_owned();
                refuse(Problem::Refused, subject, reason);
                continue;
            };
            let subject = task_subject(id, &title);
            let Some(made) = out.meta.task(id) else {
                refuse(
                    Problem::Refused,
                    subject,
                    say(
                        lang,
                        format!(
                            "bảng không được lập cho nhiệm vụ #{id} (dòng thêm vào, hoặc ô ID bị sửa); cchc không nhận dòng này"
                        ),
                        format!(
                            "the sheet was not made for task #{id} (a row added, or the ID cell changed); this row is not taken"
                        ),
                    ),
                );
                continue;
            };
            if untrusted::uncell(&plan_ref) != made.plan_ref.trim() {
                refuse(
                    Problem::Refused,
                    subject,
                    say(
                        lang,
                        format!(
                            "mã kế hoạch của dòng ({:?}) không phải của nhiệm vụ #{id} ({:?}): ô ID hoặc dòng đã bị sửa; không nhận dòng này",
                            untrusted::line(&plan_ref),
                            untrusted::line(&made.plan_ref)
                        ),
                        format!(
                            "the row's plan reference ({:?}) is not task #{id}'s ({:?}): the ID cell or the row was changed; this row is not taken",
                            untrusted::line(&plan_ref),
                            untrusted::line(&made.plan_ref)
                        ),
                    ),
                );
                continue;
            }
            if let Some(first) = seen.insert(id, row + 1) {
                refuse(
                    Problem::Refused,
                    subject,
                    say(
                        lang,
                        format!(
                            "nhiệm vụ #{id} đã có ở dòng {first}; mỗi nhiệm vụ một dòng, xoá dòng chép thêm"
                        ),
                        format!(
                            "task #{id} is also on row {first}; one row per task, delete the copy"
                        ),
                    ),
                );
                continue;
            }
            match self.task_row(grid, row, made.role) {
                Ok(Some((version, was, patch, note))) => out.edits.push(RowEdit {
                    subject,
                    edit: SheetEdit::Task {
                        id,
                        version,
                        agency: out.meta.agency.clone(),
                        plan_ref: made.plan_ref.clone(),
                        title: untrusted::uncell(&title).to_string(),
                        was,
                        patch,
                        note,
                        origin: origin.describe(self.sheet_lang),
                    },
                    origin,
                }),
                Ok(None) => {}
                Err((problem, reason)) => refuse(problem, subject, reason),
            }
        }
        for made in &out.meta.tasks {
            if !seen.contains_key(&made.id) {
                out.deleted.push(Deleted::Task(made.id));
            }
        }
        Ok(())
    }

    /// The fillable cells of one task row against what was exported: the change asked for, or
    /// `None` when nothing changed.
    #[allow(clippy::type_complexity)]
    fn task_row(
        &self,
        grid: &Grid,
        row: u32,
        role: Role,
    ) -> std::result::Result<Option<(i64, Exported, TaskPatch, Option<String>)>, (Problem, String)>
    {
        use task_col as c;
        let lang = self.lang;
        let bad = |reason: String| (Problem::BadCell, reason);
        let cell = |col: u16| grid.value(row, col as u32);
        let (Some(version), Some(was_status), Some(was_progress)) = (
            cells::int(cell(c::VERSION)),
            cells::text(cell(c::WAS_STATUS)).and_then(|s| Status::parse(&s)),
            cells::int(cell(c::WAS_PROGRESS)).and_then(|p| u8::try_from(p).ok()),
        ) else {
            return Err(bad(say(
                lang,
                "các cột ẩn của dòng này bị hỏng; lập bảng mới bằng `cchc sheet`".into(),
                "the hidden columns of this row are damaged; make a new sheet with `cchc sheet`"
                    .into(),
            )));
        };
        let was = Exported {
            status: was_status,
            progress: was_progress,
            completed_on: cells::text(cell(c::WAS_COMPLETED)).and_then(|s| s.parse().ok()),
        };
        let status = match cells::text(fillable(grid, row, c::STATUS, lang).map_err(bad)?) {
            None => None,
            Some(s) => match Status::parse(&s) {
                Some(st) => Some(st),
                None => {
                    return Err(bad(say(
                        lang,
                        format!(
                            "trạng thái {:?} không phải một trong: {}",
                            untrusted::line(&s),
                            Status::ALL.map(|s| s.label(self.sheet_lang)).join(", ")
                        ),
                        format!(
                            "status {:?} is not one of {}",
                            untrusted::line(&s),
                            Status::ALL.map(|s| s.label(self.sheet_lang)).join(", ")
                        ),
                    )));
                }
            },
        };
        let progress = cells::percent(fillable(grid, row, c::PROGRESS, lang).map_err(bad)?, lang)
            .map_err(bad)?;
        let completed = cells::date(fillable(grid, row, c::COMPLETED, lang).map_err(bad)?, lang)
            .map_err(|e| {
                bad(say(
                    lang,
                    format!("ngày hoàn thành: {e}"),
                    format!("completion date: {e}"),
                ))
            })?;
        let note = cells::text(fillable(grid, row, c::NOTE, lang).map_err(bad)?);
        if let Some(n) = &note
            && let Err(e) = untrusted::check_len("note", n, untrusted::MAX_NOTE)
        {
            return Err(bad(e.to_string()));
        }
        let mut patch = TaskPatch::default();
        if let Some(s) = status.filter(|s| *s != was.status) {
            patch.status = Some(s);
        }
        if let Some(p) = progress.filter(|p| *p != was.progress) {
            patch.progress = Some(p);
        }
        if let Some(d) = completed.filter(|d| Some(*d) != was.completed_on) {
            let done = match patch.status {
                Some(s) => s == Status::Done,
                None => was.status == Status::Done || patch.progress == Some(100),
            };
            if !done {
                return Err(bad(say(
                    lang,
                    format!(
                        "ngày hoàn thành chỉ ghi khi trạng thái là {:?}",
                        Status::Done.label(self.sheet_lang)
                    ),
                    format!(
                        "a completion date needs the status {:?}",
                        Status::Done.label(self.sheet_lang)
                    ),
                )));
            }
            if d > self.today {
                return Err(bad(say(
                    lang,
                    format!(
                        "ngày hoàn thành {} sau hôm nay ({})",
                        d.format("%d/%m/%Y"),
                        self.today.format("%d/%m/%Y")
                    ),
                    format!(
                        "completion date {} is after today ({})",
                        d.format("%d/%m/%Y"),
                        self.today.format("%d/%m/%Y")
                    ),
                )));
            }
            patch.completed_on = Some(d);
        }
        if role == Role::Coordinating && !patch.is_empty() {
            return Err((Problem::Refused, coordinating_only(lang)));
        }
        if patch.is_empty() && note.is_none() {
            return Ok(None);
        }
        Ok(Some((version, was, patch, note)))
    }

    fn indicators(&self, grid: &Grid, sheet: &str, out: &mut ReturnedSheet) {
        use indicator_col as c;
        let lang = self.lang;
        let mut seen: Vec<String> = Vec::new();
        for row in data_rows(grid) {
            out.rows += 1;
            let origin = self.origin(sheet, row);
            let code = cells::text(grid.value(row, c::CODE as u32))
                .map(|s| untrusted::uncell(&s).to_string())
                .unwrap_or_default();
            let name = cells::text(grid.value(row, c::NAME as u32)).unwrap_or_default();
            let subject = untrusted::line(&crate::text::truncate(
                if name.is_empty() { &code } else { &name },
                48,
            ))
            .into_owned();
            let mut bad = |problem: Problem, reason: String| {
                out.bad.push(BadRow {
                    origin: origin.clone(),
                    subject: subject.clone(),
                    problem,
                    reason,
                })
            };
            if !out.meta.indicators.contains(&code) || seen.contains(&code) {
                bad(
                    Problem::Refused,
                    say(
                        lang,
                        "bảng không được lập cho chỉ tiêu ở dòng này (dòng thêm vào, chép thêm, hoặc ô mã bị sửa); không nhận dòng này".into(),
                        "the sheet was not made for this row's indicator (a row added or copied, or the code changed); this row is not taken".into(),
                    ),
                );
                continue;
            }
            seen.push(code.clone());
            let read = |col: u16| fillable(grid, row, col, lang);
            let value = match read(c::NEW_VALUE).and_then(|v| cells::number(v, lang)) {
                Ok(v) => v,
                Err(e) => {
                    bad(
                        Problem::BadCell,
                        say(lang, format!("giá trị mới: {e}"), format!("new value: {e}")),
                    );
                    continue;
                }
            };
            let date = match read(c::NEW_DATE).and_then(|v| cells::date(v, lang)) {
                Ok(d) => d,
                Err(e) => {
                    bad(
                        Problem::BadCell,
                        say(lang, format!("ngày đo mới: {e}"), format!("new date: {e}")),
                    );
                    continue;
                }
            };
            let source = match read(c::SOURCE) {
                Ok(v) => cells::text(v),
                Err(e) => {
                    bad(Problem::BadCell, e);
                    continue;
                }
            };
            let Some(value) = value else {
                if date.is_some() || source.is_some() {
                    bad(
                        Problem::BadCell,
                        say(
                            lang,
                            "có ngày đo hoặc nguồn mà không có giá trị mới; điền cả giá trị".into(),
                            "a date or source without a new value; fill in the value too".into(),
                        ),
                    );
                }
                continue;
            };
            let source = match source.map(|s| untrusted::name("source", &s)).transpose() {
                Ok(s) => s.unwrap_or_default(),
                Err(e) => {
                    bad(Problem::BadCell, e.to_string());
                    continue;
                }
            };
            let measured_on = date.unwrap_or(self.today);
            if measured_on > self.today {
                bad(
                    Problem::BadCell,
                    say(
                        lang,
                        format!(
                            "ngày đo {} sau hôm nay ({})",
                            measured_on.format("%d/%m/%Y"),
                            self.today.format("%d/%m/%Y")
                        ),
                        format!(
                            "date {} is after today ({})",
                            measured_on.format("%d/%m/%Y"),
                            self.today.format("%d/%m/%Y")
                        ),
                    ),
                );
                continue;
            }
            out.edits.push(RowEdit {
                subject: subject.clone(),
                edit: SheetEdit::Measurement {
                    agency: out.meta.agency.clone(),
                    m: NewMeasurement {
                        indicator: code.clone(),
                        value,
                        measured_on,
                        source,
                        note: origin.describe(self.sheet_lang),
                    },
                },
                origin,
            });
        }
        for code in &out.meta.indicators {
            if !seen.contains(code) {
                out.deleted.push(Deleted::Indicator(code.clone()));
            }
        }
    }
}

fn coordinating_only(lang: Lang) -> String {
    say(
        lang,
        "cơ quan chỉ phối hợp nhiệm vụ này: bảng chỉ nhận ghi chú của cơ quan; trạng thái, tiến độ do cơ quan chủ trì báo cáo".into(),
        "this agency only coordinates the task: its row takes the agency's note only; the lead reports status and progress".into(),
    )
}

/// What the rows are checked against: the file's tasks, indicators and measurements as they
/// are now.
pub struct Known<'a> {
    pub tasks: &'a [Task],
    pub indicators: &'a [Indicator],
    pub measurements: &'a [Measurement],
    pub agency_name: &'a dyn Fn(&str) -> String,
}

/// Checks each row against the file as it is now: the task still exists under the same plan
/// reference and title and is still the agency's (a coordinating agency's row carries a note
/// only); the indicator is still the agency's and its new value is plausible for what it
/// records. A row that fails becomes a [`BadRow`].
pub fn vet(sheet: &mut ReturnedSheet, known: &Known, lang: Lang) {
    let agency = sheet.meta.agency.clone();
    let edits = std::mem::take(&mut sheet.edits);
    for e in edits {
        match vet_one(&e.edit, &agency, known, lang) {
            Ok(()) => sheet.edits.push(e),
            Err(reason) => sheet.bad.push(BadRow {
                origin: e.origin,
                subject: e.subject,
                problem: Problem::Refused,
                reason,
            }),
        }
    }
}

fn vet_one(
    edit: &SheetEdit,
    agency: &str,
    known: &Known,
    lang: Lang,
) -> std::result::Result<(), String> {
    match edit {
        SheetEdit::Task {
            id,
            plan_ref,
            title,
            patch,
            ..
        } => {
            let Some(task) = known.tasks.iter().find(|t| t.id == *id) else {
                return Err(say(
                    lang,
                    format!("nhiệm vụ #{id} không còn trong cchc"),
                    format!("task #{id} is no longer in cchc"),
                ));
            };
            if task.plan_ref != *plan_ref {
                return Err(say(
                    lang,
                    format!(
                        "#{id} trong cchc là nhiệm vụ {:?}, không phải {:?} như khi lập bảng (bảng của tệp dữ liệu khác?); không nhận dòng này",
                        untrusted::line(&task.plan_ref),
                        untrusted::line(plan_ref)
                    ),
                    format!(
                        "#{id} in cchc is the task {:?}, not {:?} as when the sheet was made (a sheet of another database?); this row is not taken",
                        untrusted::line(&task.plan_ref),
                        untrusted::line(plan_ref)
                    ),
                ));
            }
            if untrusted::line(&task.title).trim() != title.trim() {
                return Err(say(
                    lang,
                    format!(
                        "tên nhiệm vụ của dòng không khớp với #{id} trong cchc (nay là {:?}): ô đã bị sửa, hoặc nhiệm vụ được đổi tên sau khi lập bảng; lập bảng mới",
                        crate::text::truncate(&untrusted::line(&task.title), 60)
                    ),
                    format!(
                        "the row's title does not match #{id} in cchc (now {:?}): the cell was changed, or the task renamed since the sheet was made; make a new sheet",
                        crate::text::truncate(&untrusted::line(&task.title), 60)
                    ),
                ));
            }
            let lead = (known.agency_name)(&task.lead_agency);
            if task.lead_agency == agency {
                Ok(())
            } else if task.coordinating.iter().any(|c| c == agency) {
                if patch.is_empty() {
                    Ok(())
                } else {
                    Err(format!("{} ({lead})", coordinating_only(lang)))
                }
            } else {
                Err(say(
                    lang,
                    format!(
                        "nhiệm vụ #{id} không phải của {agency} (chủ trì: {lead}); bảng của {agency} không cập nhật được nhiệm vụ này"
                    ),
                    format!(
                        "task #{id} is not {agency}'s (lead: {lead}); {agency}'s sheet cannot update it"
                    ),
                ))
            }
        }
        SheetEdit::Measurement { m, .. } => {
            let Some(ind) = known.indicators.iter().find(|i| i.code == m.indicator) else {
                return Err(say(
                    lang,
                    "chỉ tiêu không còn trong cchc".into(),
                    "the indicator is no longer in cchc".into(),
                ));
            };
            if ind.lead_agency != agency {
                return Err(say(
                    lang,
                    format!(
                        "chỉ tiêu do {} chủ trì, không phải {agency}",
                        (known.agency_name)(&ind.lead_agency)
                    ),
                    format!(
                        "the indicator is led by {}, not {agency}",
                        (known.agency_name)(&ind.lead_agency)
                    ),
                ));
            }
            let ms: Vec<&Measurement> = known
                .measurements
                .iter()
                .filter(|x| x.indicator == ind.code)
                .collect();
            crate::indicators::check_value(ind, &ms, m.value).map_err(|e| e.message(lang))
        }
    }
}

/// Rows of different files (or of one file) imported together that set one task's field to
/// different values: each is refused, naming the other, so neither file silently wins.
pub fn cross_check(sheets: &mut [ReturnedSheet], lang: Lang) {
    type Key = (i64, &'static str);
    let mut said: HashMap<Key, Vec<(usize, usize, String)>> = HashMap::new();
    for (s, sheet) in sheets.iter().enumerate() {
        for (e, edit) in sheet.edits.iter().enumerate() {
            let SheetEdit::Task { id, patch, .. } = &edit.edit else {
                continue;
            };
            let fields: [(&'static str, Option<String>); 3] = [
                ("status", patch.status.map(|s| s.label(lang).to_string())),
                ("progress", patch.progress.map(|p| format!("{p}%"))),
                (
                    "completed_on",
                    patch.completed_on.map(|d| d.format("%d/%m/%Y").to_string()),
                ),
            ];
            for (field, value) in fields {
                if let Some(v) = value {
                    said.entry((*id, field)).or_default().push((s, e, v));
                }
            }
        }
    }
    let mut clash: HashMap<(usize, usize), String> = HashMap::new();
    for rows in said.values() {
        let first = &rows[0].2;
        if rows.iter().all(|(_, _, v)| v == first) {
            continue;
        }
        for (s, e, v) in rows {
            let others: Vec<String> = rows
                .iter()
                .filter(|(s2, e2, _)| (s2, e2) != (s, e))
                .map(|(s2, e2, v2)| {
                    let o = &sheets[*s2].edits[*e2].origin;
                    format!("{} {} {} ({v2})", o.file, t(lang, "dòng", "row"), o.row)
                })
                .collect();
            clash.entry((*s, *e)).or_insert_with(|| {
                say(
                    lang,
                    format!(
                        "{v} ở đây, khác với {}; giữ một bảng, hoặc sửa trong cchc (`cchc task set`)",
                        others.join(", ")
                    ),
                    format!(
                        "{v} here, but {} says otherwise; keep one sheet, or set it in cchc (`cchc task set`)",
                        others.join(", ")
                    ),
                )
            });
        }
    }
    for (s, sheet) in sheets.iter_mut().enumerate() {
        let edits = std::mem::take(&mut sheet.edits);
        for (e, edit) in edits.into_iter().enumerate() {
            match clash.remove(&(s, e)) {
                None => sheet.edits.push(edit),
                Some(reason) => sheet.bad.push(BadRow {
                    origin: edit.origin,
                    subject: edit.subject,
                    problem: Problem::Conflict,
                    reason,
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_names_file_sheet_and_row() {
        let o = Origin {
            file: "SNV-2026.xlsx".into(),
            sheet: "Nhiệm vụ".into(),
            row: 7,
        };
        assert_eq!(o.describe(Lang::Vi), "SNV-2026.xlsx, Nhiệm vụ dòng 7");
        assert_eq!(o.describe(Lang::En), "SNV-2026.xlsx, Nhiệm vụ row 7");
    }

    #[test]
    fn cells_are_named_as_a_spreadsheet_names_them() {
        assert_eq!(cell_name(6, 7), "H7");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(9, 26), "AA10");
    }
}
