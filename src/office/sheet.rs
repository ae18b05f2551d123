//! The agency's sheet: one workbook for one agency and one reporting period, which the agency
//! fills in and sends back (`sheet_import` reads it). Layout (both sheets): a header block
//! (rows 1–5), the column headers on row 6, one row per task or indicator below. The cells the
//! agency fills are unlocked and shaded; everything else is locked under sheet protection (no
//! password). A task the agency only coordinates asks for its note alone: its lead reports the
//! status and progress. Hidden, locked columns keep what each row held when it was made (its
//! version and the values of the fillable cells), so the import applies only what the agency
//! changed and can tell what cchc changed in between; a very hidden sheet (`sheet_meta`)
//! records what the sheet was made for.

use chrono::NaiveDate;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    FormatBorder, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use super::sheet_meta::{MetaTask, Role, SheetMeta};
use super::{DATE_FORMAT, Widths, fit_rows, t, xlsx_error};
use crate::error::Result;
use crate::indicators::{Latest, Point, Quantity};
use crate::model::ReportPeriod;
use crate::model::{Agency, Direction, Indicator, Lang, Status, Target, Task, TaskField};
use crate::text::figure;
use crate::untrusted;

/// Row (0-based) of the column headers; the header block is above it.
pub const HEADER_ROW: u32 = 5;
/// First data row (0-based).
pub const FIRST_ROW: u32 = HEADER_ROW + 1;

/// Columns of the task sheet (0-based).
pub mod task_col {
    pub const ID: u16 = 0;
    pub const PLAN_REF: u16 = 1;
    pub const TITLE: u16 = 2;
    pub const DUE: u16 = 3;
    pub const LEAD: u16 = 4;
    pub const STATE: u16 = 5;
    /// Filled by the agency: the status (drop-down).
    pub const STATUS: u16 = 6;
    pub const PROGRESS: u16 = 7;
    pub const COMPLETED: u16 = 8;
    pub const NOTE: u16 = 9;
    /// Hidden: the version the row was exported at, then the exported status code, percent
    /// and completion date (ISO text).
    pub const VERSION: u16 = 10;
    pub const WAS_STATUS: u16 = 11;
    pub const WAS_PROGRESS: u16 = 12;
    pub const WAS_COMPLETED: u16 = 13;
}

/// Columns of the indicator sheet (0-based).
pub mod indicator_col {
    pub const CODE: u16 = 0;
    pub const NAME: u16 = 1;
    /// What number to enter, in the unit cchc records.
    pub const ENTER: u16 = 2;
    /// A quantity's baseline (the staff of 2025), which the reduction is measured against.
    pub const BASELINE: u16 = 3;
    pub const TARGET: u16 = 4;
    pub const TARGET_DUE: u16 = 5;
    pub const LATEST: u16 = 6;
    pub const LATEST_DATE: u16 = 7;
    /// Filled by the agency.
    pub const NEW_VALUE: u16 = 8;
    pub const NEW_DATE: u16 = 9;
    pub const SOURCE: u16 = 10;
}

pub fn task_sheet_name(lang: Lang) -> &'static str {
    t(lang, "Nhiệm vụ", "Tasks")
}

pub fn indicator_sheet_name(lang: Lang) -> &'static str {
    t(lang, "Chỉ tiêu", "Indicators")
}

/// One indicator as the sheet shows it.
pub struct IndicatorLine<'a> {
    pub indicator: &'a Indicator,
    pub target: Option<Target>,
    pub latest: Option<Latest>,
    /// For a quantity: its baseline, as the reduction is measured against it.
    pub baseline: Option<Point>,
    /// The values the import will accept ([`crate::indicators::plausible_range`]).
    pub plausible: Option<(f64, f64)>,
}

/// Everything one agency's sheet is made from.
pub struct SheetInput<'a> {
    pub agency: &'a Agency,
    pub period: ReportPeriod,
    pub made_on: NaiveDate,
    pub lang: Lang,
    /// The tasks of the sheet, already chosen with [`tasks_for`].
    pub tasks: Vec<&'a Task>,
    /// Names of all agencies, to show the lead by name.
    pub agencies: &'a [Agency],
    pub indicators: Vec<IndicatorLine<'a>>,
}

/// The tasks an agency's sheet asks about (see [`asks_about`]), in list order.
pub fn tasks_for<'a>(agency: &str, period: ReportPeriod, tasks: &'a [Task]) -> Vec<&'a Task> {
    let mut out: Vec<&Task> = tasks
        .iter()
        .filter(|t| asks_about(agency, period, t))
        .collect();
    out.sort_by_key(|t| (t.due, t.id));
    out
}

/// Whether an agency's sheet asks about a task: one it leads or coordinates that falls due in
/// the days the period adds to the last report, not done and due before the period's cut-off
/// (late work carried over), or started and not done whatever its due date.
pub fn asks_about(agency: &str, period: ReportPeriod, t: &Task) -> bool {
    (t.lead_agency == agency || t.coordinating.iter().any(|c| c == agency)) && in_sheets(period, t)
}

/// Whether the sheets of `period` ask about a task at all (for its lead and its coordinating
/// agencies).
pub fn in_sheets(period: ReportPeriod, t: &Task) -> bool {
    let (start, end) = period.own_days();
    let in_period = t.due >= start && t.due <= end;
    let open = t.status != Status::Done;
    let started = matches!(t.status, Status::InProgress | Status::Blocked);
    in_period || (open && (t.due <= end || started))
}

/// The default file name of an agency's sheet: `<CODE>-<PERIOD>.xlsx`, e.g. `SNV-2026-H1.xlsx`.
pub fn file_name(agency: &str, period: ReportPeriod) -> String {
    let safe = super::file_name_part(agency);
    format!("{safe}-{period}.xlsx")
}

struct Formats {
    title: Format,
    text: Format,
    header: Format,
    locked: Format,
    locked_wrap: Format,
    locked_date: Format,
    locked_number: Format,
    fill: Format,
    fill_wrap: Format,
    fill_date: Format,
    fill_number: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top);
        let fill = cell
            .clone()
            .set_unlocked()
            .set_background_color(Color::RGB(0xFFF2CC));
        Formats {
            title: Format::new().set_bold().set_font_size(13),
            text: Format::new(),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xD9E1F2)),
            locked: cell.clone(),
            locked_wrap: cell.clone().set_text_wrap(),
            locked_date: cell.clone().set_num_format(DATE_FORMAT),
            // "General": 11800 and 72.5 as they are ("0.##" shows "11800.").
            locked_number: cell.clone(),
            fill_wrap: fill.clone().set_text_wrap(),
            fill_date: fill.clone().set_num_format(DATE_FORMAT),
            fill_number: fill.clone(),
            fill,
        }
    }
}

/// Writes a text from the database: made inert and escaped, never a formula.
fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str, f: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, untrusted::cell(s), f)?;
    Ok(())
}

fn header_block(
    ws: &mut Worksheet,
    input: &SheetInput,
    title: &str,
    f: &Formats,
) -> Result<(), XlsxError> {
    let lang = input.lang;
    ws.write_string_with_format(0, 0, title, &f.title)?;
    ws.write_string_with_format(
        1,
        0,
        format!(
            "{}: {} ({})",
            t(lang, "Cơ quan", "Agency"),
            untrusted::line(&input.agency.name),
            untrusted::line(&input.agency.code)
        ),
        &f.text,
    )?;
    ws.write_string_with_format(
        2,
        0,
        format!(
            "{}: {} ({} – {})",
            t(lang, "Kỳ báo cáo", "Period"),
            input.period.title(lang),
            input.period.start().format("%d/%m/%Y"),
            input.period.end().format("%d/%m/%Y")
        ),
        &f.text,
    )?;
    ws.write_string_with_format(
        3,
        0,
        format!(
            "{} {}",
            t(lang, "Lập ngày", "Made on"),
            input.made_on.format("%d/%m/%Y")
        ),
        &f.text,
    )?;
    Ok(())
}

/// Protection, frozen header, filter and print setup shared by both sheets.
fn finish(ws: &mut Worksheet, rows: u32, last_col: u16) -> Result<(), XlsxError> {
    let last_row = (FIRST_ROW + rows).saturating_sub(1).max(HEADER_ROW);
    ws.set_freeze_panes(FIRST_ROW, 0)?;
    ws.autofilter(HEADER_ROW, 0, last_row, last_col)?;
    // No password: protection guards against slips, not against a determined editor (the
    // import checks every cell it reads anyway).
    let options = ProtectionOptions {
        use_autofilter: true,
        sort: true,
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    };
    ws.protect_with_options(&options);
    ws.set_paper_size(9); // A4
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    Ok(())
}

/// The agency's part in a task of its sheet.
fn role(agency: &str, task: &Task) -> Role {
    if task.lead_agency == agency {
        Role::Lead
    } else {
        Role::Coordinating
    }
}

fn write_task_sheet(ws: &mut Worksheet, input: &SheetInput, f: &Formats) -> Result<(), XlsxError> {
    use task_col as c;
    let lang = input.lang;
    ws.set_name(task_sheet_name(lang))?;
    header_block(
        ws,
        input,
        t(
            lang,
            "CẬP NHẬT TÌNH HÌNH THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
            "ADMINISTRATIVE REFORM TASKS: PROGRESS UPDATE",
        ),
        f,
    )?;
    ws.write_string_with_format(
        4,
        0,
        t(
            lang,
            "Chỉ điền các ô nền vàng: trạng thái (chọn trong danh sách), tiến độ % (0–100), ngày hoàn thành (dd/mm/yyyy), ghi chú. Nhiệm vụ cơ quan chỉ phối hợp: chỉ ghi chú (cơ quan chủ trì báo cáo trạng thái, tiến độ). Không thêm hay xoá dòng (sắp xếp, lọc thì được).",
            "Fill in only the shaded cells: status (pick from the list), progress % (0–100), completion date (dd/mm/yyyy), note. A task you only coordinate takes your note alone (its lead reports status and progress). Do not add or delete rows (sorting and filtering are fine).",
        ),
        &f.text,
    )?;
    let headers = [
        "ID",
        t(lang, "Mã kế hoạch", "Plan ref"),
        t(lang, "Nhiệm vụ", "Task"),
        t(lang, "Hạn", "Due"),
        t(lang, "Chủ trì", "Lead"),
        t(lang, "Tình trạng", "State"),
        t(lang, "Trạng thái (cập nhật)", "Status (update)"),
        t(lang, "Tiến độ %", "Progress %"),
        t(lang, "Ngày hoàn thành", "Completed on"),
        t(lang, "Ghi chú", "Note"),
        t(lang, "Phiên bản", "Version"),
        // Hidden: the values the sheet was made with, under their stable names.
        TaskField::Status.name(),
        TaskField::Progress.name(),
        TaskField::CompletedOn.name(),
    ];
    for (col, h) in headers.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, col as u16, *h, &f.header)?;
    }
    let mut widths = Widths::new(&headers[..=c::NOTE as usize]);
    let lead_name = |code: &str| {
        input
            .agencies
            .iter()
            .find(|a| a.code == code)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| code.to_string())
    };
    for (i, task) in input.tasks.iter().enumerate() {
        let row = FIRST_ROW + i as u32;
        ws.write_number_with_format(row, c::ID, task.id as f64, &f.locked)?;
        text(ws, row, c::PLAN_REF, &task.plan_ref, &f.locked)?;
        text(ws, row, c::TITLE, &task.title, &f.locked_wrap)?;
        ws.write_date_with_format(row, c::DUE, task.due, &f.locked_date)?;
        let lead = lead_name(&task.lead_agency);
        text(ws, row, c::LEAD, &lead, &f.locked_wrap)?;
        let state = task.display_state(input.made_on).label(lang);
        ws.write_string_with_format(row, c::STATE, state, &f.locked)?;
        // The lead reports status and progress; a coordinating agency sees them, locked.
        let (fill, fill_date) = match role(&input.agency.code, task) {
            Role::Lead => (&f.fill, &f.fill_date),
            Role::Coordinating => (&f.locked, &f.locked_date),
        };
        let status = task.status.label(lang);
        ws.write_string_with_format(row, c::STATUS, status, fill)?;
        ws.write_number_with_format(row, c::PROGRESS, task.progress as f64, fill)?;
        match task.completed_on {
            Some(d) => ws.write_date_with_format(row, c::COMPLETED, d, fill_date)?,
            None => ws.write_blank(row, c::COMPLETED, fill_date)?,
        };
        ws.write_blank(row, c::NOTE, &f.fill_wrap)?;
        ws.write_number_with_format(row, c::VERSION, task.version as f64, &f.locked)?;
        ws.write_string_with_format(row, c::WAS_STATUS, task.status.as_str(), &f.locked)?;
        ws.write_number_with_format(row, c::WAS_PROGRESS, task.progress as f64, &f.locked)?;
        let was_done = task.completed_on.map(|d| d.to_string()).unwrap_or_default();
        ws.write_string_with_format(row, c::WAS_COMPLETED, was_done, &f.locked)?;
        widths.see(c::PLAN_REF as usize, &task.plan_ref);
        widths.see(c::TITLE as usize, &task.title);
        widths.see(c::DUE as usize, "00/00/0000");
        widths.see(c::LEAD as usize, &lead);
        widths.see(c::STATE as usize, state);
        widths.see(c::STATUS as usize, "Đang thực hiện ▾");
        widths.see(c::COMPLETED as usize, "00/00/0000");
        widths.see(c::NOTE as usize, &"x".repeat(40));
    }
    let applied = widths.apply(ws, &[8, 18, 60, 12, 28, 16, 18, 10, 14, 40])?;
    let leads: Vec<String> = input
        .tasks
        .iter()
        .map(|t| lead_name(&t.lead_agency))
        .collect();
    fit_rows(
        ws,
        &applied,
        input
            .tasks
            .iter()
            .zip(&leads)
            .enumerate()
            .map(|(i, (task, lead))| {
                (
                    FIRST_ROW + i as u32,
                    vec![(c::TITLE, task.title.as_str()), (c::LEAD, lead.as_str())],
                )
            }),
    )?;
    ws.set_row_height(HEADER_ROW, 30.0)?;
    for col in c::VERSION..=c::WAS_COMPLETED {
        ws.set_column_hidden(col)?;
    }
    let n = input.tasks.len() as u32;
    if n > 0 {
        let last = FIRST_ROW + n - 1;
        let labels: Vec<&str> = Status::ALL.iter().map(|s| s.label(lang)).collect();
        let status = DataValidation::new()
            .allow_list_strings(&labels)?
            .set_error_title(t(lang, "Trạng thái", "Status"))?
            .set_error_message(t(
                lang,
                "Chọn một trạng thái trong danh sách.",
                "Pick a status from the list.",
            ))?;
        ws.add_data_validation(FIRST_ROW, c::STATUS, last, c::STATUS, &status)?;
        let progress = DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(0, 100))
            .set_error_title(t(lang, "Tiến độ", "Progress"))?
            .set_error_message(t(
                lang,
                "Nhập số nguyên từ 0 đến 100.",
                "Enter a whole number from 0 to 100.",
            ))?;
        ws.add_data_validation(FIRST_ROW, c::PROGRESS, last, c::PROGRESS, &progress)?;
        let completed = date_validation(lang)?;
        ws.add_data_validation(FIRST_ROW, c::COMPLETED, last, c::COMPLETED, &completed)?;
    }
    finish(ws, n, c::NOTE)
}

fn date_validation(lang: Lang) -> Result<DataValidation, XlsxError> {
    let (from, to) = (
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or_default(),
    );
    DataValidation::new()
        .allow_date(DataValidationRule::Between(from, to))
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title(t(lang, "Ngày", "Date"))?
        .set_error_message(t(
            lang,
            "Nhập ngày dạng dd/mm/yyyy.",
            "Enter a date as dd/mm/yyyy.",
        ))
}

/// The target as the row states it: the plan's figure, and for a quantity also the value it
/// means against the baseline ("giảm 10% → còn tối đa 10.620").
fn target_text(line: &IndicatorLine, target: Target, lang: Lang) -> Option<String> {
    let ind = line.indicator;
    if ind.direction != Direction::ReduceBy {
        return None;
    }
    let cut = figure(target.value, lang);
    Some(match line.baseline {
        Some(b) => {
            let left = figure((b.value * (1.0 - target.value / 100.0)).floor(), lang);
            match lang {
                Lang::Vi => format!("giảm {cut}% → còn tối đa {left}"),
                Lang::En => format!("cut by {cut}% → at most {left}"),
            }
        }
        None => match lang {
            Lang::Vi => format!("giảm {cut}%"),
            Lang::En => format!("cut by {cut}%"),
        },
    })
}

fn write_indicator_sheet(
    ws: &mut Worksheet,
    input: &SheetInput,
    f: &Formats,
) -> Result<(), XlsxError> {
    use indicator_col as c;
    let lang = input.lang;
    ws.set_name(indicator_sheet_name(lang))?;
    header_block(
        ws,
        input,
        t(
            lang,
            "CẬP NHẬT CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH",
            "ADMINISTRATIVE REFORM INDICATORS: NEW VALUES",
        ),
        f,
    )?;
    ws.write_string_with_format(
        4,
        0,
        t(
            lang,
            "Nếu có số liệu mới, điền giá trị (đúng loại số ở cột \"Số liệu cần nhập\"), ngày đo (dd/mm/yyyy) và nguồn số liệu vào các ô nền vàng.",
            "If there is a new figure, fill in its value (the number the column \"What to enter\" asks for), date (dd/mm/yyyy) and source in the shaded cells.",
        ),
        &f.text,
    )?;
    let headers = [
        t(lang, "Mã", "Code"),
        t(lang, "Chỉ tiêu", "Indicator"),
        t(lang, "Số liệu cần nhập", "What to enter"),
        t(lang, "Số liệu gốc", "Baseline"),
        t(lang, "Mục tiêu", "Target"),
        t(lang, "Hạn mục tiêu", "Target due"),
        t(lang, "Giá trị mới nhất", "Latest value"),
        t(lang, "Ngày đo", "Measured on"),
        t(lang, "Giá trị mới", "New value"),
        t(lang, "Ngày đo mới", "New date"),
        t(lang, "Nguồn số liệu", "Source"),
    ];
    for (col, h) in headers.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, col as u16, *h, &f.header)?;
    }
    let mut widths = Widths::new(&headers);
    let mut fitted: Vec<(u32, Vec<(u16, String)>)> = Vec::new();
    for (i, line) in input.indicators.iter().enumerate() {
        let row = FIRST_ROW + i as u32;
        let ind = line.indicator;
        let quantity = Quantity::of(ind);
        text(ws, row, c::CODE, &ind.code, &f.locked)?;
        text(ws, row, c::NAME, &ind.name, &f.locked_wrap)?;
        let ask = quantity.ask(lang);
        ws.write_string_with_format(row, c::ENTER, ask, &f.locked_wrap)?;
        let baseline_note = match (&line.baseline, &ind.baseline) {
            (Some(b), Some(_)) => {
                ws.write_number_with_format(row, c::BASELINE, b.value, &f.locked_number)?;
                None
            }
            (None, Some(plan)) => {
                let missing = match lang {
                    Lang::Vi => format!("chưa có ({})", plan.label),
                    Lang::En => format!("not recorded ({})", plan.label),
                };
                text(ws, row, c::BASELINE, &missing, &f.locked_wrap)?;
                Some(missing)
            }
            _ => {
                ws.write_blank(row, c::BASELINE, &f.locked)?;
                None
            }
        };
        match line.target {
            Some(tg) => {
                match target_text(line, tg, lang) {
                    Some(words) => text(ws, row, c::TARGET, &words, &f.locked_wrap)?,
                    None => {
                        ws.write_number_with_format(row, c::TARGET, tg.value, &f.locked_number)?;
                    }
                }
                ws.write_date_with_format(row, c::TARGET_DUE, tg.due, &f.locked_date)?;
            }
            None => {
                ws.write_blank(row, c::TARGET, &f.locked)?;
                ws.write_blank(row, c::TARGET_DUE, &f.locked)?;
            }
        }
        match &line.latest {
            Some(l) => {
                ws.write_number_with_format(row, c::LATEST, l.value, &f.locked_number)?;
                ws.write_date_with_format(row, c::LATEST_DATE, l.date, &f.locked_date)?;
            }
            None => {
                ws.write_blank(row, c::LATEST, &f.locked)?;
                ws.write_blank(row, c::LATEST_DATE, &f.locked)?;
            }
        }
        ws.write_blank(row, c::NEW_VALUE, &f.fill_number)?;
        ws.write_blank(row, c::NEW_DATE, &f.fill_date)?;
        ws.write_blank(row, c::SOURCE, &f.fill_wrap)?;
        ws.add_data_validation(
            row,
            c::NEW_VALUE,
            row,
            c::NEW_VALUE,
            &value_validation(line, lang)?,
        )?;
        widths.see(c::CODE as usize, &ind.code);
        widths.see(c::NAME as usize, &ind.name);
        widths.see(c::ENTER as usize, ask);
        widths.see(c::BASELINE as usize, "000.000");
        widths.see(c::TARGET_DUE as usize, "00/00/0000");
        widths.see(c::LATEST_DATE as usize, "00/00/0000");
        widths.see(c::NEW_DATE as usize, "00/00/0000");
        widths.see(c::SOURCE as usize, &"x".repeat(30));
        let target = line.target.and_then(|tg| target_text(line, tg, lang));
        let mut wrapped = vec![(c::NAME, ind.name.clone()), (c::ENTER, ask.to_string())];
        wrapped.extend(baseline_note.map(|n| (c::BASELINE, n)));
        wrapped.extend(target.map(|tg| (c::TARGET, tg)));
        fitted.push((row, wrapped));
    }
    let applied = widths.apply(ws, &[28, 50, 28, 14, 16, 12, 10, 12, 10, 12, 30])?;
    fit_rows(
        ws,
        &applied,
        fitted
            .iter()
            .map(|(row, cells)| (*row, cells.iter().map(|(c, s)| (*c, s.as_str())).collect())),
    )?;
    ws.set_row_height(HEADER_ROW, 30.0)?;
    let n = input.indicators.len() as u32;
    if n > 0 {
        let last = FIRST_ROW + n - 1;
        ws.add_data_validation(
            FIRST_ROW,
            c::NEW_DATE,
            last,
            c::NEW_DATE,
            &date_validation(lang)?,
        )?;
    }
    finish(ws, n, c::SOURCE)
}

/// The new value's check in the spreadsheet itself, with a prompt saying what to enter: the
/// unit's range, or for a quantity the plausible range the import holds it to.
fn value_validation(line: &IndicatorLine, lang: Lang) -> Result<DataValidation, XlsxError> {
    let quantity = Quantity::of(line.indicator);
    let (low, high) = match (quantity, line.plausible) {
        (Quantity::Percent, _) => (0.0, 100.0),
        (Quantity::Level, _) => (1.0, 5.0),
        (_, Some((low, high))) => (low.ceil(), high.floor()),
        (_, None) => (0.0, crate::store::MAX_MEASURED),
    };
    let message = match lang {
        Lang::Vi => format!(
            "{}: từ {} đến {}.",
            quantity.ask(lang),
            figure(low, lang),
            figure(high, lang)
        ),
        Lang::En => format!(
            "{}: from {} to {}.",
            quantity.ask(lang),
            figure(low, lang),
            figure(high, lang)
        ),
    };
    let message: String = message.chars().take(250).collect();
    DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(low, high))
        .set_input_title(t(lang, "Giá trị mới", "New value"))?
        .set_input_message(&message)?
        .set_error_title(t(lang, "Giá trị mới", "New value"))?
        .set_error_message(&message)
}

/// What the sheet was made for, as the import checks it.
fn meta(input: &SheetInput) -> SheetMeta {
    SheetMeta {
        agency: input.agency.code.clone(),
        period: input.period,
        lang: input.lang,
        made_on: input.made_on,
        tasks: input
            .tasks
            .iter()
            .map(|t| MetaTask {
                id: t.id,
                plan_ref: t.plan_ref.clone(),
                role: role(&input.agency.code, t),
            })
            .collect(),
        indicators: input
            .indicators
            .iter()
            .map(|l| l.indicator.code.clone())
            .collect(),
    }
}

/// Builds the agency's workbook.
pub fn agency_workbook(input: &SheetInput) -> Result<Workbook> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    write_task_sheet(wb.add_worksheet(), input, &f).map_err(xlsx_error)?;
    write_indicator_sheet(wb.add_worksheet(), input, &f).map_err(xlsx_error)?;
    meta(input).write(wb.add_worksheet()).map_err(xlsx_error)?;
    Ok(wb)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Recurrence;

    fn task(id: i64, lead: &str, with: &[&str], due: &str, status: Status) -> Task {
        Task {
            id,
            plan_ref: String::new(),
            area: "tthc".into(),
            lead_agency: lead.into(),
            coordinating: with.iter().map(|s| s.to_string()).collect(),
            coordinating_inferred: vec![],
            title: format!("task {id}"),
            detail: String::new(),
            output: String::new(),
            due: due.parse().unwrap(),
            due_assumed: false,
            recurrence: Recurrence::Once,
            status,
            progress: 0,
            completed_on: None,
            version: 1,
            updated_by: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn a_sheet_asks_about_the_quarters_work_and_what_is_still_open() {
        // The year's report: its own days are 15/09 to 14/12.
        let year = ReportPeriod::parse("2026").unwrap();
        let tasks = [
            task(1, "SNV", &[], "2026-11-30", Status::NotStarted), // due in the period
            task(2, "SNV", &[], "2026-12-10", Status::Done),       // done in it: still reported
            task(3, "SNV", &[], "2026-06-30", Status::NotStarted), // late, carried over
            task(4, "SNV", &[], "2026-06-30", Status::Done),       // done, reported before
            task(5, "SNV", &[], "2028-12-31", Status::InProgress), // started, due later
            task(6, "SNV", &[], "2028-12-31", Status::NotStarted), // future work
            task(7, "STP", &["SNV"], "2026-10-15", Status::NotStarted), // SNV coordinates
            task(8, "STP", &[], "2026-10-15", Status::NotStarted), // not SNV's
            task(9, "SNV", &[], "2026-12-20", Status::NotStarted), // next period's (from 15/12)
        ];
        let ids: Vec<i64> = tasks_for("SNV", year, &tasks)
            .iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(ids, vec![3, 7, 1, 2, 5]);
    }

    #[test]
    fn file_names_are_code_and_period() {
        let h1 = ReportPeriod::parse("2026-H1").unwrap();
        assert_eq!(file_name("SNV", h1), "SNV-2026-H1.xlsx");
        assert_eq!(file_name("../x/y", h1), "___x_y-2026-H1.xlsx");
        assert_eq!(
            file_name("SNV", ReportPeriod::parse("2026").unwrap()),
            "SNV-2026.xlsx"
        );
    }
}
