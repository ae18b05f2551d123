//! `cchc export --format xlsx`: the whole picture in one workbook for people — tasks with
//! Vietnamese headers and state names, real dates shown dd/mm/yyyy and the state cell coloured
//! as in the TUI's default theme; the indicators with their targets; the measurements; the
//! change log. Areas, agencies, units and what happened are in words, not codes; times are
//! local, to the minute. Each sheet has a frozen header row, an autofilter, rows as tall as
//! their wrapped text, and prints on A4 landscape one page wide, the header row repeated and
//! the pages numbered.

use chrono::NaiveDate;
use ratatui::style::Color as TermColor;
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::{DATE_FORMAT, META_EXPORT, META_SHEET, Widths, fit_rows, t, xlsx_error};
use crate::error::Result;
use crate::model::{Agency, Area, DisplayState, Indicator, Lang, LogEntry, Measurement, Task};
use crate::report::instant;
use crate::untrusted;

/// Everything the export holds, read by the caller.
pub struct ExportInput<'a> {
    pub today: NaiveDate,
    pub lang: Lang,
    pub areas: &'a [Area],
    pub agencies: &'a [Agency],
    pub tasks: &'a [Task],
    pub indicators: &'a [Indicator],
    pub measurements: &'a [Measurement],
    pub log: &'a [LogEntry],
}

/// The xterm default palette for the 16 basic colours (what a terminal shows by default).
const BASIC: [u32; 16] = [
    0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5, 0x7f7f7f,
    0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
];

/// A terminal colour as RGB, as xterm shows it; `None` for the terminal's own colour.
pub fn rgb(c: TermColor) -> Option<u32> {
    let indexed = |i: u8| -> u32 {
        match i {
            0..=15 => BASIC[i as usize],
            16..=231 => {
                let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v as u32 };
                let i = i - 16;
                (level(i / 36) << 16) | (level((i / 6) % 6) << 8) | level(i % 6)
            }
            _ => {
                let g = 8 + 10 * (i as u32 - 232);
                (g << 16) | (g << 8) | g
            }
        }
    };
    Some(match c {
        TermColor::Reset => return None,
        TermColor::Black => BASIC[0],
        TermColor::Red => BASIC[1],
        TermColor::Green => BASIC[2],
        TermColor::Yellow => BASIC[3],
        TermColor::Blue => BASIC[4],
        TermColor::Magenta => BASIC[5],
        TermColor::Cyan => BASIC[6],
        TermColor::Gray => BASIC[7],
        TermColor::DarkGray => BASIC[8],
        TermColor::LightRed => BASIC[9],
        TermColor::LightGreen => BASIC[10],
        TermColor::LightYellow => BASIC[11],
        TermColor::LightBlue => BASIC[12],
        TermColor::LightMagenta => BASIC[13],
        TermColor::LightCyan => BASIC[14],
        TermColor::White => BASIC[15],
        TermColor::Indexed(i) => indexed(i),
        TermColor::Rgb(r, g, b) => ((r as u32) << 16) | ((g as u32) << 8) | b as u32,
    })
}

/// The fill of a state cell: the foreground colour the default theme gives that state in the
/// TUI, with black or white text, whichever reads better on it.
pub fn state_fill(state: DisplayState) -> Option<u32> {
    let theme = crate::tui::theme::Theme::builtin("default")?;
    theme.state(state).fg.and_then(rgb)
}

fn state_format(state: DisplayState, base: &Format) -> Format {
    match state_fill(state) {
        None => base.clone(),
        Some(fill) => {
            let (r, g, b) = ((fill >> 16) & 0xff, (fill >> 8) & 0xff, fill & 0xff);
            let luma = 0.299 * r as f64 + 0.587 * g as f64 + 0.114 * b as f64;
            let text = if luma < 128.0 { 0xffffff } else { 0x000000 };
            base.clone()
                .set_background_color(Color::RGB(fill))
                .set_font_color(Color::RGB(text))
                .set_bold()
        }
    }
}

struct Formats {
    lang: Lang,
    header: Format,
    text: Format,
    wrap: Format,
    date: Format,
    number: Format,
}

fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str, f: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, untrusted::cell(s), f)?;
    Ok(())
}

fn block(ws: &mut Worksheet, row: u32, col: u16, s: &str, f: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, untrusted::cell_block(s), f)?;
    Ok(())
}

fn date(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    d: Option<NaiveDate>,
    f: &Formats,
) -> Result<(), XlsxError> {
    match d {
        Some(d) => ws.write_date_with_format(row, col, d, &f.date)?,
        None => ws.write_blank(row, col, &f.text)?,
    };
    Ok(())
}

/// Headers, frozen pane, autofilter, widths, the heights of rows with wrapped text
/// (`wrapped`: each row's wrapped cells) and the print setup of one sheet.
#[allow(clippy::too_many_arguments)]
fn frame(
    ws: &mut Worksheet,
    name: &str,
    headers: &[&str],
    rows: usize,
    widths: &Widths,
    max: &[usize],
    wrapped: Vec<(u32, Vec<(u16, &str)>)>,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    for (col, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, *h, &f.header)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows as u32, headers.len() as u16 - 1)?;
    let applied = widths.apply(ws, max)?;
    fit_rows(ws, &applied, wrapped)?;
    // On paper: A4 landscape, every column on the page, the header on every page, numbered.
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_header(format!(
        "&L&A&R{}",
        t(f.lang, "Xuất ngày &D", "Exported &D")
    ));
    ws.set_footer(t(f.lang, "&CTrang &P/&N", "&CPage &P of &N"));
    Ok(())
}

fn tasks_sheet(ws: &mut Worksheet, input: &ExportInput, f: &Formats) -> Result<(), XlsxError> {
    let lang = input.lang;
    let headers = [
        "ID",
        t(lang, "Mã kế hoạch", "Plan ref"),
        t(lang, "Lĩnh vực", "Area"),
        t(lang, "Cơ quan chủ trì", "Lead agency"),
        t(lang, "Cơ quan phối hợp", "Coordinating"),
        t(lang, "Nhiệm vụ", "Task"),
        t(lang, "Sản phẩm", "Output"),
        t(lang, "Hạn", "Due"),
        t(lang, "Trạng thái", "State"),
        t(lang, "Tiến độ %", "Progress %"),
        t(lang, "Ngày hoàn thành", "Completed on"),
        t(lang, "Số ngày trễ", "Days late"),
        t(lang, "Phiên bản", "Version"),
        t(lang, "Cập nhật bởi", "Updated by"),
        t(lang, "Cập nhật lúc", "Updated at"),
    ];
    let area_name = |code: &str| {
        input
            .areas
            .iter()
            .find(|a| a.code == code)
            .map_or(code.to_string(), |a| a.name(lang).to_string())
    };
    let agency_name = |code: &str| {
        input
            .agencies
            .iter()
            .find(|a| a.code == code)
            .map_or(code.to_string(), |a| a.name.clone())
    };
    let mut widths = Widths::new(&headers);
    let states: Vec<(DisplayState, Format)> = [
        DisplayState::DoneOnTime,
        DisplayState::DoneLate,
        DisplayState::InProgress,
        DisplayState::Overdue,
        DisplayState::NotStarted,
    ]
    .into_iter()
    .map(|s| (s, state_format(s, &f.text)))
    .collect();
    let mut wrapped: Vec<(u32, [String; 3])> = Vec::with_capacity(input.tasks.len());
    for (i, task) in input.tasks.iter().enumerate() {
        let row = i as u32 + 1;
        let area = area_name(&task.area);
        let lead = agency_name(&task.lead_agency);
        let with = task
            .coordinating
            .iter()
            .map(|c| agency_name(c))
            .collect::<Vec<_>>()
            .join("; ");
        let state = task.display_state(input.today);
        ws.write_number_with_format(row, 0, task.id as f64, &f.number)?;
        text(ws, row, 1, &task.plan_ref, &f.text)?;
        text(ws, row, 2, &area, &f.wrap)?;
        text(ws, row, 3, &lead, &f.wrap)?;
        text(ws, row, 4, &with, &f.wrap)?;
        text(ws, row, 5, &task.title, &f.wrap)?;
        block(ws, row, 6, &task.output, &f.wrap)?;
        date(ws, row, 7, Some(task.due), f)?;
        let fmt = states
            .iter()
            .find(|(s, _)| *s == state)
            .map_or(&f.text, |(_, fmt)| fmt);
        ws.write_string_with_format(row, 8, state.label(lang), fmt)?;
        ws.write_number_with_format(row, 9, task.progress as f64, &f.number)?;
        date(ws, row, 10, task.completed_on, f)?;
        ws.write_number_with_format(row, 11, task.days_late(input.today) as f64, &f.number)?;
        ws.write_number_with_format(row, 12, task.version as f64, &f.number)?;
        text(ws, row, 13, &task.updated_by, &f.text)?;
        let updated_at = instant(&task.updated_at);
        text(ws, row, 14, &updated_at, &f.text)?;
        for (col, s) in [
            (1, &task.plan_ref),
            (2, &area),
            (3, &lead),
            (4, &with),
            (5, &task.title),
            (6, &task.output),
            (8, &state.label(lang).to_string()),
            (13, &task.updated_by),
            (14, &updated_at),
        ] {
            widths.see(col, s);
        }
        widths.see(7, "00/00/0000");
        widths.see(10, "00/00/0000");
        wrapped.push((row, [area, lead, with]));
    }
    frame(
        ws,
        t(lang, "Nhiệm vụ", "Tasks"),
        &headers,
        input.tasks.len(),
        &widths,
        &[8, 18, 30, 30, 30, 60, 40, 12, 18, 10, 14, 10, 10, 16, 18],
        input
            .tasks
            .iter()
            .zip(&wrapped)
            .map(|(task, (row, [area, lead, with]))| {
                (
                    *row,
                    vec![
                        (2, area.as_str()),
                        (3, lead.as_str()),
                        (4, with.as_str()),
                        (5, task.title.as_str()),
                        (6, task.output.as_str()),
                    ],
                )
            })
            .collect(),
        f,
    )
}

fn indicators_sheet(ws: &mut Worksheet, input: &ExportInput, f: &Formats) -> Result<(), XlsxError> {
    let lang = input.lang;
    let headers = [
        t(lang, "Mã", "Code"),
        t(lang, "Chỉ tiêu", "Indicator"),
        t(lang, "Lĩnh vực", "Area"),
        t(lang, "Đơn vị", "Unit"),
        t(lang, "Chiều", "Direction"),
        t(lang, "Cơ quan chủ trì", "Lead agency"),
        t(lang, "Mục tiêu", "Target"),
        t(lang, "Hạn mục tiêu", "Target due"),
    ];
    let mut widths = Widths::new(&headers);
    let mut wrapped: Vec<(u32, String, String, String)> = Vec::new();
    let mut row = 0u32;
    for ind in input.indicators {
        let lead = input
            .agencies
            .iter()
            .find(|a| a.code == ind.lead_agency)
            .map_or(ind.lead_agency.clone(), |a| a.name.clone());
        let area = input
            .areas
            .iter()
            .find(|a| a.code == ind.area)
            .map_or(ind.area.clone(), |a| a.name(lang).to_string());
        let targets: Vec<Option<&crate::model::Target>> = if ind.targets.is_empty() {
            vec![None]
        } else {
            ind.targets.iter().map(Some).collect()
        };
        for target in targets {
            row += 1;
            text(ws, row, 0, &ind.code, &f.text)?;
            text(ws, row, 1, &ind.name, &f.wrap)?;
            text(ws, row, 2, &area, &f.wrap)?;
            ws.write_string_with_format(row, 3, ind.unit.label(lang), &f.text)?;
            ws.write_string_with_format(row, 4, ind.direction.label(lang), &f.wrap)?;
            text(ws, row, 5, &lead, &f.wrap)?;
            match target {
                Some(tg) => {
                    ws.write_number_with_format(row, 6, tg.value, &f.number)?;
                    date(ws, row, 7, Some(tg.due), f)?;
                }
                None => {
                    ws.write_blank(row, 6, &f.text)?;
                    ws.write_blank(row, 7, &f.text)?;
                }
            }
            for (col, s) in [(0, &ind.code), (1, &ind.name), (2, &area), (5, &lead)] {
                widths.see(col, s);
            }
            widths.see(3, ind.unit.label(lang));
            widths.see(4, ind.direction.label(lang));
            widths.see(7, "00/00/0000");
            wrapped.push((row, ind.name.clone(), area.clone(), lead.clone()));
        }
    }
    frame(
        ws,
        t(lang, "Chỉ tiêu", "Indicators"),
        &headers,
        row as usize,
        &widths,
        &[28, 60, 24, 12, 16, 30, 10, 12],
        wrapped
            .iter()
            .map(|(row, name, area, lead)| {
                (
                    *row,
                    vec![(1, name.as_str()), (2, area.as_str()), (5, lead.as_str())],
                )
            })
            .collect(),
        f,
    )
}

fn measurements_sheet(
    ws: &mut Worksheet,
    input: &ExportInput,
    f: &Formats,
) -> Result<(), XlsxError> {
    let lang = input.lang;
    let headers = [
        t(lang, "Chỉ tiêu", "Indicator"),
        t(lang, "Giá trị", "Value"),
        t(lang, "Ngày đo", "Measured on"),
        t(lang, "Nguồn số liệu", "Source"),
        t(lang, "Ghi chú", "Note"),
        t(lang, "Người ghi", "Recorded by"),
        t(lang, "Lúc ghi", "Recorded at"),
    ];
    let mut widths = Widths::new(&headers);
    let mut names = Vec::with_capacity(input.measurements.len());
    for (i, m) in input.measurements.iter().enumerate() {
        let row = i as u32 + 1;
        let name = input
            .indicators
            .iter()
            .find(|ind| ind.code == m.indicator)
            .map_or_else(|| m.indicator.clone(), |ind| ind.name.clone());
        text(ws, row, 0, &name, &f.wrap)?;
        ws.write_number_with_format(row, 1, m.value, &f.number)?;
        date(ws, row, 2, Some(m.measured_on), f)?;
        text(ws, row, 3, &m.source, &f.wrap)?;
        block(ws, row, 4, &m.note, &f.wrap)?;
        text(ws, row, 5, &m.recorded_by, &f.text)?;
        let recorded_at = instant(&m.recorded_at);
        text(ws, row, 6, &recorded_at, &f.text)?;
        for (col, s) in [
            (0, &name),
            (3, &m.source),
            (4, &m.note),
            (5, &m.recorded_by),
            (6, &recorded_at),
        ] {
            widths.see(col, s);
        }
        widths.see(2, "00/00/0000");
        names.push(name);
    }
    frame(
        ws,
        t(lang, "Số đo", "Measurements"),
        &headers,
        input.measurements.len(),
        &widths,
        &[50, 12, 12, 30, 40, 16, 18],
        input
            .measurements
            .iter()
            .zip(&names)
            .enumerate()
            .map(|(i, (m, name))| {
                (
                    i as u32 + 1,
                    vec![
                        (0, name.as_str()),
                        (3, m.source.as_str()),
                        (4, m.note.as_str()),
                    ],
                )
            })
            .collect(),
        f,
    )
}

/// What a change-log entry did, in words ("Cập nhật", "Ghi số liệu"); an action this version
/// does not know is shown as stored.
fn action_label(action: &str, lang: Lang) -> &str {
    let (vi, en) = match action {
        "create" => ("Tạo mới", "Created"),
        "update" => ("Cập nhật", "Updated"),
        "note" => ("Ghi chú", "Note"),
        "measure" => ("Ghi số liệu", "Measured"),
        "import" => ("Nhập tệp", "Imported a file"),
        "import-update" => ("Cập nhật khi nhập tệp", "Updated by an import"),
        "undo" => ("Hoàn tác", "Undone"),
        "withdraw" => ("Chuyển cho từng xã, phường", "Withdrawn to the communes"),
        "add" => ("Thêm", "Added"),
        "remove" => ("Xoá", "Removed"),
        "rename" => ("Đổi tên", "Renamed"),
        "refused" => ("Bị từ chối", "Refused"),
        "seed" => ("Khởi tạo kế hoạch", "Plan seeded"),
        other => return other,
    };
    t(lang, vi, en)
}

/// What a change-log entry is about, in words: "Nhiệm vụ #12", an indicator's name, "Cơ
/// quan Sở Nội vụ".
fn entity_label(e: &LogEntry, input: &ExportInput) -> String {
    let lang = input.lang;
    let id = e.entity_id.as_str();
    match e.entity.as_str() {
        "task" => format!("{} #{id}", t(lang, "Nhiệm vụ", "Task")),
        "indicator" => input
            .indicators
            .iter()
            .find(|i| i.code == id)
            .map_or_else(|| id.to_string(), |i| i.name.clone()),
        "agency" => format!(
            "{} {}",
            t(lang, "Cơ quan", "Agency"),
            input
                .agencies
                .iter()
                .find(|a| a.code == id)
                .map_or(id, |a| a.name.as_str())
        ),
        "member" => format!("{} {id}", t(lang, "Thành viên", "Member")),
        "import" => format!("{} {id}", t(lang, "Tệp", "File")),
        "plan" => t(lang, "Kế hoạch", "The plan").to_string(),
        other => format!("{other} {id}"),
    }
}

fn log_sheet(ws: &mut Worksheet, input: &ExportInput, f: &Formats) -> Result<(), XlsxError> {
    let lang = input.lang;
    let headers = [
        "#",
        t(lang, "Lúc", "At"),
        t(lang, "Người", "User"),
        t(lang, "Đối tượng", "About"),
        t(lang, "Việc", "Action"),
        t(lang, "Thay đổi", "Changes"),
        t(lang, "Ghi chú", "Note"),
    ];
    let mut widths = Widths::new(&headers);
    let mut wrapped: Vec<(u32, [String; 3])> = Vec::with_capacity(input.log.len());
    for (i, e) in input.log.iter().enumerate() {
        let row = i as u32 + 1;
        let changes = e
            .changes
            .iter()
            .map(|c| c.describe_in(lang))
            .collect::<Vec<_>>()
            .join("\n");
        let note = e.note.clone().unwrap_or_default();
        let at = instant(&e.at);
        let about = entity_label(e, input);
        let action = action_label(&e.action, lang);
        ws.write_number_with_format(row, 0, e.id as f64, &f.number)?;
        text(ws, row, 1, &at, &f.text)?;
        text(ws, row, 2, &e.user, &f.text)?;
        text(ws, row, 3, &about, &f.wrap)?;
        text(ws, row, 4, action, &f.text)?;
        block(ws, row, 5, &changes, &f.wrap)?;
        block(ws, row, 6, &note, &f.wrap)?;
        for (col, s) in [
            (1, at.as_str()),
            (2, &e.user),
            (3, &about),
            (4, action),
            (5, &changes),
            (6, &note),
        ] {
            widths.see(col, s);
        }
        wrapped.push((row, [about, changes, note]));
    }
    frame(
        ws,
        t(lang, "Nhật ký", "Change log"),
        &headers,
        input.log.len(),
        &widths,
        &[8, 18, 16, 30, 16, 60, 50],
        wrapped
            .iter()
            .map(|(row, [about, changes, note])| {
                (
                    *row,
                    vec![
                        (3, about.as_str()),
                        (5, changes.as_str()),
                        (6, note.as_str()),
                    ],
                )
            })
            .collect(),
        f,
    )
}

/// Builds the export workbook.
pub fn export_workbook(input: &ExportInput) -> Result<Workbook> {
    let cell = Format::new().set_align(FormatAlign::Top);
    let f = Formats {
        lang: input.lang,
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_background_color(Color::RGB(0xD9E1F2)),
        wrap: cell.clone().set_text_wrap(),
        date: cell.clone().set_num_format(DATE_FORMAT),
        number: cell.clone(),
        text: cell,
    };
    let mut wb = Workbook::new();
    let build = |wb: &mut Workbook| -> Result<(), XlsxError> {
        tasks_sheet(wb.add_worksheet(), input, &f)?;
        indicators_sheet(wb.add_worksheet(), input, &f)?;
        measurements_sheet(wb.add_worksheet(), input, &f)?;
        log_sheet(wb.add_worksheet(), input, &f)?;
        let meta = wb.add_worksheet();
        meta.set_name(META_SHEET)?;
        meta.write_string(0, 0, META_EXPORT)?;
        meta.write_string(0, 1, "1")?;
        meta.write_string(1, 0, "as_of")?;
        meta.write_string(1, 1, input.today.to_string())?;
        meta.set_hidden(true);
        Ok(())
    };
    build(&mut wb).map_err(xlsx_error)?;
    Ok(wb)
}
