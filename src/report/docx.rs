//! The report as an official document (.docx), laid out as Nghị định 30/2020/NĐ-CP lays out a
//! báo cáo: A4, margins top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman 13–14 pt, the
//! two-column header (issuing body and agency with its number; the national motto with place and
//! date), the title and summary line, "Kính gửi", the body, "Nơi nhận" beside the signature, and
//! the appendix on its own page. The words are `body`'s; the letterhead comes from `[report]`.

use chrono::{Datelike, NaiveDate};
use docx_rs::{
    AlignmentType, BorderType, Docx, LineSpacing, PageMargin, Paragraph, ParagraphBorder,
    ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, SpecialIndentType, Table, TableCell,
    TableCellMargins, TableLayoutType, TableRow, WidthType,
};

use crate::config::ReportConfig;
use crate::model::Lang;
use crate::untrusted;

use super::QuarterReport;
use super::body::{self, Block};

const FONT: &str = "Times New Roman";
/// A4 in twentieths of a point.
pub const PAGE_WIDTH: u32 = 11906;
pub const PAGE_HEIGHT: u32 = 16838;
/// Millimetres in twentieths of a point: 1 mm = 56.7 twips.
const fn mm(v: u32) -> i32 {
    (v * 567 / 10) as i32
}
pub const MARGIN_TOP: i32 = mm(20);
pub const MARGIN_BOTTOM: i32 = mm(20);
pub const MARGIN_LEFT: i32 = mm(30);
pub const MARGIN_RIGHT: i32 = mm(15);
const TEXT_WIDTH: usize = PAGE_WIDTH as usize - MARGIN_LEFT as usize - MARGIN_RIGHT as usize;
/// Font sizes in half-points: the body at 14 pt, tables at 13 pt, "Nơi nhận" at 12 and 11 pt.
const BODY: usize = 28;
const TABLE: usize = 26;
/// A first-line indent of 1.27 cm, as the decree's body paragraphs have.
const INDENT: i32 = 720;

/// Text from the file or the config, made safe for one line of the document.
fn safe(s: &str) -> String {
    untrusted::line(s).into_owned()
}

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .east_asia(FONT)
        .cs(FONT)
}

#[derive(Clone, Copy, Default)]
struct Style {
    bold: bool,
    italic: bool,
}

const PLAIN: Style = Style {
    bold: false,
    italic: false,
};
const BOLD: Style = Style {
    bold: true,
    italic: false,
};
const ITALIC: Style = Style {
    bold: false,
    italic: true,
};
const BOLD_ITALIC: Style = Style {
    bold: true,
    italic: true,
};

fn run(text: &str, size: usize, style: Style) -> Run {
    let mut r = Run::new().add_text(text).size(size).fonts(fonts());
    if style.bold {
        r = r.bold();
    }
    if style.italic {
        r = r.italic();
    }
    r
}

/// A paragraph of one run, with `before` twips of space above it and single line spacing.
fn para(text: &str, size: usize, style: Style, align: AlignmentType, before: u32) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, size, style))
        .align(align)
        .line_spacing(LineSpacing::new().before(before).after(0).line(240))
}

/// A body paragraph: justified, first line indented, 6 pt above, lines 1.15 apart.
fn body_para(text: &str, style: Style) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY, style))
        .align(AlignmentType::Both)
        .indent(
            Some(0),
            Some(SpecialIndentType::FirstLine(INDENT)),
            None,
            None,
        )
        .line_spacing(LineSpacing::new().before(120).after(0).line(276))
}

/// The short horizontal rule under a name or the motto: an empty paragraph, indented from both
/// sides of its column, with a top border.
fn rule(column: usize, length: usize) -> Paragraph {
    let side = column.saturating_sub(length) as i32 / 2;
    let mut p = Paragraph::new()
        .add_run(run("", 4, PLAIN))
        .indent(Some(side), None, Some(side), None)
        .line_spacing(LineSpacing::new().before(60).after(0).line(240));
    // Only the top border: docx-rs's default border set would draw a box.
    p.property = p.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Top)
                .val(BorderType::Single)
                .size(6)
                .space(1),
        ),
    );
    p
}

fn cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa);
    for p in paragraphs {
        c = c.add_paragraph(p);
    }
    c
}

/// A borderless two-column table, the way the header and the signature are laid out.
fn two_columns(left: usize, left_cell: Vec<Paragraph>, right_cell: Vec<Paragraph>) -> Table {
    let right = TEXT_WIDTH - left;
    Table::without_borders(vec![TableRow::new(vec![
        cell(left, left_cell),
        cell(right, right_cell),
    ])])
    .set_grid(vec![left, right])
    .layout(TableLayoutType::Fixed)
    .width(TEXT_WIDTH, WidthType::Dxa)
    .margins(TableCellMargins::new().margin(0, 40, 0, 40))
}

/// "Lạng Sơn, ngày 05 tháng 02 năm 2026": the decree pads days below 10 and months below 3.
/// Without a number the document is a draft, and the văn thư writes the day and month.
fn place_and_date(cfg: &ReportConfig, issued: Option<NaiveDate>, year: i32) -> String {
    let place = safe(&cfg.place);
    match issued {
        Some(d) => {
            let month = if d.month() < 3 {
                format!("{:02}", d.month())
            } else {
                d.month().to_string()
            };
            format!(
                "{place}, ngày {:02} tháng {month} năm {}",
                d.day(),
                d.year()
            )
        }
        None => format!("{place}, ngày … tháng … năm {year}"),
    }
}

fn letterhead(cfg: &ReportConfig, today: NaiveDate) -> Table {
    const LEFT: usize = 3700;
    let right = TEXT_WIDTH - LEFT;
    let number = if cfg.number.trim().is_empty() {
        "…".to_string()
    } else {
        safe(&cfg.number)
    };
    let issued = (!cfg.number.trim().is_empty()).then_some(today);
    let left = vec![
        para(
            &safe(&cfg.parent_body).to_uppercase(),
            TABLE,
            PLAIN,
            AlignmentType::Center,
            0,
        ),
        para(
            &safe(&cfg.agency).to_uppercase(),
            TABLE,
            BOLD,
            AlignmentType::Center,
            0,
        ),
        rule(LEFT, 1100),
        para(
            &format!("Số: {number}/{}", safe(&cfg.symbol)),
            TABLE,
            PLAIN,
            AlignmentType::Center,
            120,
        ),
    ];
    let right_cell = vec![
        para(
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            24,
            BOLD,
            AlignmentType::Center,
            0,
        ),
        para(
            "Độc lập - Tự do - Hạnh phúc",
            BODY,
            BOLD,
            AlignmentType::Center,
            0,
        ),
        rule(right, 3300),
        para(
            &place_and_date(cfg, issued, today.year()),
            BODY,
            ITALIC,
            AlignmentType::Center,
            120,
        ),
    ];
    two_columns(LEFT, left, right_cell)
}

fn data_table(t: &body::Table) -> Table {
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    let grid: Vec<usize> = t
        .widths
        .iter()
        .map(|w| TEXT_WIDTH * *w as usize / total as usize)
        .collect();
    let row = |cells: &[String], header: bool| {
        TableRow::new(
            cells
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    let align = if header {
                        AlignmentType::Center
                    } else if t.numeric.get(i).copied().unwrap_or(false) {
                        AlignmentType::Right
                    } else {
                        AlignmentType::Left
                    };
                    let style = if header { BOLD } else { PLAIN };
                    cell(
                        grid.get(i).copied().unwrap_or(1000),
                        vec![para(text, TABLE, style, align, 0)],
                    )
                })
                .collect(),
        )
        .cant_split()
    };
    let mut rows = vec![row(&t.header, true)];
    rows.extend(t.rows.iter().map(|r| row(r, false)));
    Table::new(rows)
        .set_grid(grid.clone())
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .margins(TableCellMargins::new().margin(40, 80, 40, 80))
}

fn add_blocks(mut doc: Docx, blocks: &[Block], first_page_break: bool) -> Docx {
    for (i, block) in blocks.iter().enumerate() {
        doc = match block {
            Block::Heading { level: 1, text } => {
                let p = if first_page_break && i == 0 {
                    para(text, BODY, BOLD, AlignmentType::Center, 0).page_break_before(true)
                } else {
                    body_para(text, BOLD)
                };
                doc.add_paragraph(p.keep_next(true))
            }
            Block::Heading { level: 2, text } => {
                doc.add_paragraph(body_para(text, BOLD).keep_next(true))
            }
            Block::Heading { text, .. } => {
                doc.add_paragraph(body_para(text, BOLD_ITALIC).keep_next(true))
            }
            Block::Para(text) if first_page_break && i == 1 => {
                doc.add_paragraph(para(text, BODY, ITALIC, AlignmentType::Center, 0))
            }
            Block::Para(text) => doc.add_paragraph(body_para(text, PLAIN)),
            Block::Bullets(items) => items.iter().fold(doc, |doc, item| {
                doc.add_paragraph(body_para(&format!("- {item}"), PLAIN))
            }),
            Block::Table(t) => doc
                .add_paragraph(para("", 8, PLAIN, AlignmentType::Left, 0))
                .add_table(data_table(t)),
        };
    }
    doc
}

/// "Nơi nhận:" on the left, the signature on the right.
fn signature(cfg: &ReportConfig) -> Table {
    const LEFT: usize = 4300;
    let mut left = vec![para("Nơi nhận:", 24, BOLD_ITALIC, AlignmentType::Left, 0)];
    let n = cfg.copies_to.len();
    for (i, to) in cfg.copies_to.iter().enumerate() {
        let end = if i + 1 == n { "." } else { ";" };
        left.push(para(
            &format!("- {}{end}", safe(to)),
            22,
            PLAIN,
            AlignmentType::Left,
            0,
        ));
    }
    let mut right = Vec::new();
    if !cfg.signer_authority.trim().is_empty() {
        right.push(para(
            &safe(&cfg.signer_authority).to_uppercase(),
            BODY,
            BOLD,
            AlignmentType::Center,
            0,
        ));
    }
    right.push(para(
        &safe(&cfg.signer_position).to_uppercase(),
        BODY,
        BOLD,
        AlignmentType::Center,
        0,
    ));
    right.push(para(
        "(Ký, ghi rõ họ tên)",
        BODY,
        ITALIC,
        AlignmentType::Center,
        0,
    ));
    // Room for the signature and the seal.
    for _ in 0..4 {
        right.push(para("", BODY, PLAIN, AlignmentType::Center, 0));
    }
    right.push(para(
        &safe(&cfg.signer_name),
        BODY,
        BOLD,
        AlignmentType::Center,
        0,
    ));
    two_columns(LEFT, left, right)
}

/// The whole document as the bytes of a .docx file. `today` dates the document when it has a
/// number (a draft leaves the day and month to the văn thư).
pub fn render(
    r: &QuarterReport,
    lang: Lang,
    cfg: &ReportConfig,
    today: NaiveDate,
) -> Result<Vec<u8>, String> {
    let b = body::build(r, lang);
    let mut doc = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(PageMargin {
            top: MARGIN_TOP,
            left: MARGIN_LEFT,
            bottom: MARGIN_BOTTOM,
            right: MARGIN_RIGHT,
            header: mm(10),
            footer: mm(10),
            gutter: 0,
        })
        .default_fonts(fonts())
        .default_size(BODY)
        .add_table(letterhead(cfg, today))
        .add_paragraph(para("BÁO CÁO", BODY, BOLD, AlignmentType::Center, 480))
        .add_paragraph(para(
            &body::summary_line(r.period, Lang::Vi),
            BODY,
            BOLD,
            AlignmentType::Center,
            0,
        ))
        .add_paragraph(rule(TEXT_WIDTH, 1800))
        .add_paragraph(
            Paragraph::new()
                .add_run(run("Kính gửi: ", BODY, PLAIN))
                .add_run(run(&format!("{}.", safe(&cfg.recipient)), BODY, PLAIN))
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().before(240).after(120).line(240)),
        );
    doc = add_blocks(doc, &b.blocks, false);
    doc = doc
        .add_paragraph(para("", BODY, PLAIN, AlignmentType::Left, 0))
        .add_table(signature(cfg));
    doc = add_blocks(doc, &b.appendix, true);
    if let Some((id, hash)) = &r.log_head {
        doc = doc.add_paragraph(para(
            &format!("Mã kiểm chứng nhật ký thay đổi, mục {id}: {hash}"),
            20,
            ITALIC,
            AlignmentType::Left,
            240,
        ));
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut bytes)
        .map_err(|e| format!("cannot build the .docx: {e}"))?;
    Ok(bytes.into_inner())
}
