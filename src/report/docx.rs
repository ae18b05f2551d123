//! The report as an official document (.docx), laid out as Nghị định 30/2020/NĐ-CP lays out a
//! báo cáo: A4, margins top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman 14 pt (the
//! letterhead 13, tables 12), single-spaced, the two-column header (issuing body and agency
//! with its number; the national motto with place and date), the title and summary line, "Kính gửi", the body, "Nơi nhận" beside the signature, and
//! each appendix on its own pages with its caption. Page numbers are set at the top centre from
//! the second page, each appendix numbered on its own (as the decree places them); a table's
//! header row repeats on every page it runs over. The charts are pictures in the body. The words
//! are `body`'s; the letterhead comes from `[report]`. `docx_pack` finishes the file (header rows,
//! the language, deflate).

use chrono::{Datelike, NaiveDate};
use docx_rs::{
    AlignmentType, BorderType, Docx, Header, HeightRule, LineSpacing, PageMargin, PageNum,
    PageNumType, PageSize, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders,
    Pic, Run, RunFonts, Section, SpecialIndentType, Table, TableCell, TableCellMargins,
    TableLayoutType, TableRow, WidthType,
};

use crate::config::ReportConfig;
use crate::model::Lang;
use crate::untrusted;

use super::Report;
use super::body::{self, Appendix, Block, Letter};
use super::charts::{self, Chart};

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
/// Font sizes in half-points: the body at 14 pt, the letterhead at 13 pt, tables at 12 pt,
/// "Nơi nhận" at 12 and 11 pt.
const BODY: usize = 28;
const HEAD: usize = 26;
const TABLE: usize = 24;
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

/// A body paragraph: justified, first line indented, 6 pt above, single-spaced (the decree's
/// least spacing, which keeps the report within a few pages).
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
        .line_spacing(LineSpacing::new().before(120).after(0).line(240))
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
    // One row that never splits: the signature stays with its "Nơi nhận".
    Table::without_borders(vec![
        TableRow::new(vec![cell(left, left_cell), cell(right, right_cell)]).cant_split(),
    ])
    .set_grid(vec![left, right])
    .layout(TableLayoutType::Fixed)
    .width(TEXT_WIDTH, WidthType::Dxa)
    .margins(TableCellMargins::new().margin(0, 40, 0, 40))
}

/// "Lạng Sơn, ngày 05 tháng 02 năm 2026": the decree pads days below 10 and months below 3.
/// Without a number the document is a draft, and the văn thư writes the day and month.
fn place_and_date(cfg: &ReportConfig, issued: Option<NaiveDate>, year: i32) -> String {
    format!(
        "{}, {}",
        safe(&cfg.place),
        body::day_month_year(issued, year)
    )
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
            HEAD,
            PLAIN,
            AlignmentType::Center,
            0,
        ),
        para(
            &safe(&cfg.agency).to_uppercase(),
            HEAD,
            BOLD,
            AlignmentType::Center,
            0,
        ),
        rule(LEFT, 1100),
        para(
            &format!("Số: {number}/{}", safe(&cfg.symbol)),
            HEAD,
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
    // The header row's minimum height marks it for `docx_pack`, which makes it repeat.
    let mut rows = vec![
        row(&t.header, true)
            .row_height(super::docx_pack::HEADER_ROW_HEIGHT)
            .height_rule(HeightRule::AtLeast),
    ];
    rows.extend(t.rows.iter().map(|r| row(r, false)));
    Table::new(rows)
        .set_grid(grid.clone())
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .margins(TableCellMargins::new().margin(40, 80, 40, 80))
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

/// A paragraph as a part of a section.
fn p(paragraph: Paragraph) -> Part {
    Part::P(Box::new(paragraph))
}

/// What goes on a section's pages, in order.
enum Part {
    P(Box<Paragraph>),
    T(Box<Table>),
}

fn blocks(out: &mut Vec<Part>, blocks: &[Block], charts: &[Chart]) {
    for block in blocks {
        match block {
            Block::Heading { level: 1 | 2, text } => {
                out.push(p(body_para(text, BOLD).keep_next(true)))
            }
            Block::Heading { text, .. } => {
                out.push(p(body_para(text, BOLD_ITALIC).keep_next(true)));
            }
            Block::Para(text) => out.push(p(body_para(text, PLAIN))),
            Block::Placeholder(text) => out.push(p(Paragraph::new()
                .add_run(run(text, BODY, ITALIC).highlight("yellow"))
                .align(AlignmentType::Both)
                .indent(
                    Some(0),
                    Some(SpecialIndentType::FirstLine(INDENT)),
                    None,
                    None,
                )
                .line_spacing(LineSpacing::new().before(120).after(0).line(240)))),
            Block::Bullets(items) => {
                for item in items {
                    out.push(p(body_para(&format!("- {item}"), PLAIN)));
                }
            }
            Block::Table(t) => {
                out.push(p(para("", 8, PLAIN, AlignmentType::Left, 0)));
                out.push(Part::T(Box::new(data_table(t))));
            }
            Block::Chart { index, caption } => {
                if let Some(chart) = charts.get(*index) {
                    out.push(p(picture(chart)));
                    out.push(p(para(caption, HEAD, ITALIC, AlignmentType::Center, 0)));
                }
            }
        }
    }
}

/// A chart centred on its own line, at its size at `charts::DPI`, kept with its caption.
fn picture(chart: &Chart) -> Paragraph {
    const EMU_PER_INCH: u32 = 914_400;
    let emu = |px: u32| (u64::from(px) * u64::from(EMU_PER_INCH) / u64::from(charts::DPI)) as u32;
    let pic = Pic::new_with_dimensions(chart.png.clone(), chart.width, chart.height)
        .size(emu(chart.width), emu(chart.height));
    Paragraph::new()
        .add_run(Run::new().add_image(pic))
        .align(AlignmentType::Center)
        .keep_next(true)
        .line_spacing(LineSpacing::new().before(120).after(0))
}

/// "Phụ lục I", its title and "(Kèm theo Báo cáo số …)", centred, as the decree heads one.
fn appendix_head(out: &mut Vec<Part>, a: &Appendix) {
    out.push(p(
        para(&a.label, BODY, BOLD, AlignmentType::Center, 0).keep_next(true)
    ));
    out.push(p(
        para(&a.title, BODY, BOLD, AlignmentType::Center, 0).keep_next(true)
    ));
    out.push(p(
        para(&a.caption, BODY, ITALIC, AlignmentType::Center, 0).keep_next(true)
    ));
    out.push(p(rule(TEXT_WIDTH, 1800).keep_next(true)));
}

/// The page number at the top centre; the first page's header is empty (the decree shows no
/// number on the first page).
fn page_number() -> Header {
    Header::new().add_paragraph(
        Paragraph::new()
            .add_page_num(PageNum::new())
            .align(AlignmentType::Center),
    )
}

fn margins() -> PageMargin {
    PageMargin {
        top: MARGIN_TOP,
        left: MARGIN_LEFT,
        bottom: MARGIN_BOTTOM,
        right: MARGIN_RIGHT,
        header: mm(10),
        footer: mm(10),
        gutter: 0,
    }
}

/// A section of its own (the body, or an appendix before the last), numbered from 1.
fn section(parts: Vec<Part>) -> Section {
    let mut s = Section::new()
        .page_size(PageSize::new().size(PAGE_WIDTH, PAGE_HEIGHT))
        .page_margin(margins())
        .page_num_type(PageNumType::new().start(1))
        .title_pg()
        .header(page_number())
        .first_header(Header::new());
    for part in parts {
        s = match part {
            Part::P(p) => s.add_paragraph(*p),
            Part::T(t) => s.add_table(*t),
        };
    }
    s
}

/// The whole document as the bytes of a .docx file. `today` dates the document when it has a
/// number (a draft leaves the day and month to the văn thư).
pub fn render(
    r: &Report,
    lang: Lang,
    cfg: &ReportConfig,
    today: NaiveDate,
) -> Result<Vec<u8>, String> {
    let letter = Letter::new(cfg, today);
    let b = body::build(r, lang, &letter);
    let charts = charts::render(r, lang)?;
    let mut first = vec![
        Part::T(Box::new(letterhead(cfg, today))),
        p(para("BÁO CÁO", BODY, BOLD, AlignmentType::Center, 480)),
        p(para(
            &body::summary_line(r.period, Lang::Vi),
            BODY,
            BOLD,
            AlignmentType::Center,
            0,
        )),
    ];
    if r.preliminary {
        first.push(p(para(
            &format!("({})", body::as_of_line(r, Lang::Vi)),
            HEAD,
            ITALIC,
            AlignmentType::Center,
            0,
        )));
    }
    first.push(p(rule(TEXT_WIDTH, 1800)));
    first.push(p(Paragraph::new()
        .add_run(run("Kính gửi: ", BODY, PLAIN))
        .add_run(run(&format!("{}.", safe(&cfg.recipient)), BODY, PLAIN))
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().before(240).after(120).line(240))));
    blocks(&mut first, &b.blocks, &charts);
    first.push(p(para("", BODY, PLAIN, AlignmentType::Left, 0)));
    first.push(Part::T(Box::new(signature(cfg))));
    if let Some((id, hash)) = &r.log_head {
        first.push(p(para(
            &format!("Mã kiểm chứng nhật ký thay đổi, mục {id}: {hash}"),
            18,
            ITALIC,
            AlignmentType::Left,
            240,
        )));
    }
    let mut sections = vec![first];
    for a in &b.appendices {
        let mut parts = Vec::new();
        appendix_head(&mut parts, a);
        blocks(&mut parts, &a.blocks, &charts);
        sections.push(parts);
    }
    // Every section but the last closes itself; the last is the document's own.
    let last = sections.pop().unwrap_or_default();
    let mut doc = Docx::new()
        .default_fonts(fonts())
        .default_size(BODY)
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(margins())
        .page_num_type(PageNumType::new().start(1))
        .title_pg()
        .header(page_number())
        .first_header(Header::new());
    for parts in sections {
        doc = doc.add_section(section(parts));
    }
    for part in last {
        doc = match part {
            Part::P(p) => doc.add_paragraph(*p),
            Part::T(t) => doc.add_table(*t),
        };
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut bytes)
        .map_err(|e| format!("cannot build the .docx: {e}"))?;
    super::docx_pack::finish(&bytes.into_inner())
}
