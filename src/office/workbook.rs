//! `cchc export --format xlsx`: the whole picture in one workbook for people — tasks with
//! Vietnamese headers and state names, real dates shown dd/mm/yyyy and the state cell coloured
//! as in the TUI's default theme; the indicators with their targets; the measurements; the
//! change log. Each sheet has a frozen header row and an autofilter.

use chrono::NaiveDate;
use ratatui::style::Color as TermColor;
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::{DATE_FORMAT, META_EXPORT, META_SHEET, Widths, t, xlsx_error};
use crate::error::Result;
use crate::model::{Agency, Area, DisplayState, Indicator, Lang, LogEntry, Measurement, Task};
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

/// Headers, frozen pane, autofilter and widths of one sheet.
fn frame(
    ws: &mut Worksheet,
    name: &str,
    headers: &[&str],
    rows: usize,
    widths: &Widths,
    max: &[usize],
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    for (col, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, *h, &f.header)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows as u32, headers.len() as u16 - 1)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_repeat_rows(0, 0)?;
    widths.apply(ws, max).map(|_| ())
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
        text(ws, row, 14, &task.updated_at, &f.text)?;
        for (col, s) in [
            (1, &task.plan_ref),
            (2, &area),
            (3, &lead),
            (4, &with),
            (5, &task.title),
            (6, &task.output),
            (8, &state.label(lang).to_string()),
            (13, &task.updated_by),
            (14, &task.updated_at),
        ] {
            widths.see(col, s);
        }
        widths.see(7, "00/00/0000");
        widths.see(10, "00/00/0000");
    }
    frame(
        ws,
        t(lang, "Nhiệm vụ", "Tasks"),
        &headers,
        input.tasks.len(),
        &widths,
        &[8, 18, 30, 30, 30, 60, 40, 12, 18, 10, 14, 10, 10, 16, 22],
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
    let mut row = 0u32;
    for ind in input.indicators {
        let lead = input
            .agencies
            .iter()
            .find(|a| a.code == ind.lead_agency)
            .map_or(ind.lead_agency.clone(), |a| a.name.clone());
        let targets: Vec<Option<&crate::model::Target>> = if ind.targets.is_empty() {
            vec![None]
        } else {
            ind.targets.iter().map(Some).collect()
        };
        for target in targets {
            row += 1;
            text(ws, row, 0, &ind.code, &f.text)?;
            text(ws, row, 1, &ind.name, &f.wrap)?;
            text(ws, row, 2, &ind.area, &f.text)?;
            ws.write_string_with_format(row, 3, ind.unit.as_str(), &f.text)?;
            ws.write_string_with_format(row, 4, ind.direction.as_str(), &f.text)?;
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
            for (col, s) in [(0, &ind.code), (1, &ind.name), (2, &ind.area), (5, &lead)] {
                widths.see(col, s);
            }
            widths.see(7, "00/00/0000");
        }
    }
    frame(
        ws,
        t(lang, "Chỉ tiêu", "Indicators"),
        &headers,
        row as usize,
        &widths,
        &[28, 60, 12, 10, 10, 30, 10, 12],
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
        t(lang, "Mã chỉ tiêu", "Indicator"),
        t(lang, "Giá trị", "Value"),
        t(lang, "Ngày đo", "Measured on"),
        t(lang, "Nguồn số liệu", "Source"),
        t(lang, "Ghi chú", "Note"),
        t(lang, "Người ghi", "Recorded by"),
        t(lang, "Lúc ghi", "Recorded at"),
    ];
    let mut widths = Widths::new(&headers);
    for (i, m) in input.measurements.iter().enumerate() {
        let row = i as u32 + 1;
        text(ws, row, 0, &m.indicator, &f.text)?;
        ws.write_number_with_format(row, 1, m.value, &f.number)?;
        date(ws, row, 2, Some(m.measured_on), f)?;
        text(ws, row, 3, &m.source, &f.wrap)?;
        block(ws, row, 4, &m.note, &f.wrap)?;
        text(ws, row, 5, &m.recorded_by, &f.text)?;
        text(ws, row, 6, &m.recorded_at, &f.text)?;
        for (col, s) in [
            (0, &m.indicator),
            (3, &m.source),
            (4, &m.note),
            (5, &m.recorded_by),
            (6, &m.recorded_at),
        ] {
            widths.see(col, s);
        }
        widths.see(2, "00/00/0000");
    }
    frame(
        ws,
        t(lang, "Số đo", "Measurements"),
        &headers,
        input.measurements.len(),
        &widths,
        &[28, 10, 12, 30, 40, 16, 22],
        f,
    )
}

fn log_sheet(ws: &mut Worksheet, input: &ExportInput, f: &Formats) -> Result<(), XlsxError> {
    let lang = input.lang;
    let headers = [
        "#",
        t(lang, "Lúc", "At"),
        t(lang, "Người", "User"),
        t(lang, "Đối tượng", "Entity"),
        t(lang, "Mã", "Id"),
        t(lang, "Việc", "Action"),
        t(lang, "Thay đổi", "Changes"),
        t(lang, "Ghi chú", "Note"),
    ];
    let mut widths = Widths::new(&headers);
    for (i, e) in input.log.iter().enumerate() {
        let row = i as u32 + 1;
        let changes = e
            .changes
            .iter()
            .map(crate::model::FieldChange::describe)
            .collect::<Vec<_>>()
            .join("\n");
        let note = e.note.clone().unwrap_or_default();
        ws.write_number_with_format(row, 0, e.id as f64, &f.number)?;
        text(ws, row, 1, &e.at, &f.text)?;
        text(ws, row, 2, &e.user, &f.text)?;
        text(ws, row, 3, &e.entity, &f.text)?;
        text(ws, row, 4, &e.entity_id, &f.text)?;
        text(ws, row, 5, &e.action, &f.text)?;
        block(ws, row, 6, &changes, &f.wrap)?;
        block(ws, row, 7, &note, &f.wrap)?;
        for (col, s) in [
            (1, &e.at),
            (2, &e.user),
            (3, &e.entity),
            (4, &e.entity_id),
            (5, &e.action),
            (6, &changes),
            (7, &note),
        ] {
            widths.see(col, s);
        }
    }
    frame(
        ws,
        t(lang, "Nhật ký", "Change log"),
        &headers,
        input.log.len(),
        &widths,
        &[8, 22, 16, 10, 24, 10, 60, 50],
        f,
    )
}

/// Builds the export workbook.
pub fn export_workbook(input: &ExportInput) -> Result<Workbook> {
    let cell = Format::new().set_align(FormatAlign::Top);
    let f = Formats {
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
