//! An official document (.docx) laid out as Nghị định 30/2020/NĐ-CP lays one out, shared by the
//! periodic report (a báo cáo, `report::docx`) and the letter urging an agency (a công văn,
//! `remind::docx`): A4, margins top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman 14 pt
//! (the letterhead 13, tables 12), single-spaced; the two-column header (issuing body and agency
//! with the number, and a công văn's "V/v" summary under it; the national motto with place and
//! date), "Nơi nhận" beside the signature, page numbers at the top centre from the second page.
//! `docx_pack` finishes the file (header rows that repeat, the language, deflate).

use chrono::{Datelike, NaiveDate};
use docx_rs::{
    AlignmentType, BorderType, Docx, Header, HeightRule, LineSpacing, PageMargin, PageNum,
    PageNumType, PageSize, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders,
    Run, RunFonts, Section, SpecialIndentType, Table, TableCell, TableCellMargins, TableLayoutType,
    TableRow, WidthType,
};

use crate::config::ReportConfig;
use crate::report::body;
use crate::untrusted;

const FONT: &str = "Times New Roman";
/// A4 in twentieths of a point.
pub const PAGE_WIDTH: u32 = 11906;
pub const PAGE_HEIGHT: u32 = 16838;
/// Millimetres in twentieths of a point: 1 mm = 56.7 twips.
pub const fn mm(v: u32) -> i32 {
    (v * 567 / 10) as i32
}
pub const MARGIN_TOP: i32 = mm(20);
pub const MARGIN_BOTTOM: i32 = mm(20);
pub const MARGIN_LEFT: i32 = mm(30);
pub const MARGIN_RIGHT: i32 = mm(15);
pub const TEXT_WIDTH: usize = PAGE_WIDTH as usize - MARGIN_LEFT as usize - MARGIN_RIGHT as usize;
/// Font sizes in half-points: the body at 14 pt, the letterhead at 13 pt, tables at 12 pt,
/// "Nơi nhận" at 12 and 11 pt.
pub const BODY: usize = 28;
pub const HEAD: usize = 26;
pub const TABLE: usize = 24;
/// A first-line indent of 1.27 cm, as the decree's body paragraphs have.
const INDENT: i32 = 720;

/// Text from the file or the config, made safe for one line of the document.
pub fn safe(s: &str) -> String {
    untrusted::line(s).into_owned()
}

pub fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .east_asia(FONT)
        .cs(FONT)
}

#[derive(Clone, Copy, Default)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
}

pub const PLAIN: Style = Style {
    bold: false,
    italic: false,
};
pub const BOLD: Style = Style {
    bold: true,
    italic: false,
};
pub const ITALIC: Style = Style {
    bold: false,
    italic: true,
};
pub const BOLD_ITALIC: Style = Style {
    bold: true,
    italic: true,
};

pub fn run(text: &str, size: usize, style: Style) -> Run {
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
pub fn para(text: &str, size: usize, style: Style, align: AlignmentType, before: u32) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, size, style))
        .align(align)
        .line_spacing(LineSpacing::new().before(before).after(0).line(240))
}

/// A body paragraph: justified, first line indented, 6 pt above, single-spaced (the decree's
/// least spacing, which keeps a document within a few pages).
pub fn body_para(text: &str, style: Style) -> Paragraph {
    body_para_of(run(text, BODY, style))
}

/// A body paragraph of a run made by the caller (a highlighted placeholder).
pub fn body_para_of(run: Run) -> Paragraph {
    Paragraph::new()
        .add_run(run)
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
pub fn rule(column: usize, length: usize) -> Paragraph {
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

/// Who issues a document, its number and what it is about, as the header gives them.
pub struct Letterhead<'a> {
    /// The body above the issuing agency: "UBND TỈNH LẠNG SƠN".
    pub parent_body: &'a str,
    /// The issuing agency: "SỞ NỘI VỤ".
    pub agency: &'a str,
    /// Where it is issued: "Lạng Sơn".
    pub place: &'a str,
    /// The number; empty leaves "…" and the day and month for the văn thư to write.
    pub number: &'a str,
    /// The symbol after the number: "BC-SNV", "SNV-CCHC".
    pub symbol: &'a str,
    /// A công văn's summary under its number ("V/v đôn đốc …"); a báo cáo has none.
    pub subject: Option<&'a str>,
}

impl<'a> Letterhead<'a> {
    /// The periodic report's: `[report]` as configured.
    pub fn of_report(cfg: &'a ReportConfig) -> Letterhead<'a> {
        Letterhead {
            parent_body: &cfg.parent_body,
            agency: &cfg.agency,
            place: &cfg.place,
            number: &cfg.number,
            symbol: &cfg.symbol,
            subject: None,
        }
    }

    /// The number as the header shows it: "…" until the văn thư gives one.
    pub fn number_shown(&self) -> String {
        if self.number.trim().is_empty() {
            "…".to_string()
        } else {
            safe(self.number)
        }
    }

    /// The day the document is dated: `today` once it has a number (a draft leaves the day
    /// and month to the văn thư).
    pub fn issued(&self, today: NaiveDate) -> Option<NaiveDate> {
        (!self.number.trim().is_empty()).then_some(today)
    }

    /// "Lạng Sơn, ngày 05 tháng 02 năm 2026": the decree pads days below 10 and months below 3.
    pub fn place_and_date(&self, today: NaiveDate) -> String {
        format!(
            "{}, {}",
            safe(self.place),
            body::day_month_year(self.issued(today), today.year())
        )
    }

    /// The two-column header.
    pub fn table(&self, today: NaiveDate) -> Table {
        const LEFT: usize = 3700;
        let right = TEXT_WIDTH - LEFT;
        let mut left = vec![
            para(
                &safe(self.parent_body).to_uppercase(),
                HEAD,
                PLAIN,
                AlignmentType::Center,
                0,
            ),
            para(
                &safe(self.agency).to_uppercase(),
                HEAD,
                BOLD,
                AlignmentType::Center,
                0,
            ),
            rule(LEFT, 1100),
            para(
                &format!("Số: {}/{}", self.number_shown(), safe(self.symbol)),
                HEAD,
                PLAIN,
                AlignmentType::Center,
                120,
            ),
        ];
        if let Some(subject) = self.subject {
            // The decree sets a công văn's summary at 12–13 pt, upright, centred under the
            // number.
            left.push(para(
                &safe(subject),
                TABLE,
                PLAIN,
                AlignmentType::Center,
                60,
            ));
        }
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
                &self.place_and_date(today),
                BODY,
                ITALIC,
                AlignmentType::Center,
                120,
            ),
        ];
        two_columns(LEFT, left, right_cell)
    }
}

/// A table of figures or tasks: a bold header row that repeats on every page it runs over,
/// columns scaled from `t.widths` to the text width, numbers right-aligned.
pub fn data_table(t: &body::Table) -> Table {
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

/// "Nơi nhận:" and its list on the left, the signature from `[report]` on the right.
pub fn signature(copies_to: &[String], cfg: &ReportConfig) -> Table {
    const LEFT: usize = 4300;
    let mut left = vec![para("Nơi nhận:", 24, BOLD_ITALIC, AlignmentType::Left, 0)];
    let n = copies_to.len();
    for (i, to) in copies_to.iter().enumerate() {
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

/// "Kính gửi: …", centred, as the decree sets it under the header.
pub fn addressed_to(recipient: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run("Kính gửi: ", BODY, PLAIN))
        .add_run(run(&format!("{}.", safe(recipient)), BODY, PLAIN))
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().before(240).after(120).line(240))
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

/// A section of its own (a report's body, or an appendix before the last), numbered from 1.
pub fn section() -> Section {
    Section::new()
        .page_size(PageSize::new().size(PAGE_WIDTH, PAGE_HEIGHT))
        .page_margin(margins())
        .page_num_type(PageNumType::new().start(1))
        .title_pg()
        .header(page_number())
        .first_header(Header::new())
}

/// An empty document on the decree's page: A4, its margins and fonts, numbered from page 2.
pub fn document() -> Docx {
    Docx::new()
        .default_fonts(fonts())
        .default_size(BODY)
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(margins())
        .page_num_type(PageNumType::new().start(1))
        .title_pg()
        .header(page_number())
        .first_header(Header::new())
}

/// The document as the bytes of a finished .docx file (`docx_pack::finish`).
pub fn pack(doc: Docx) -> Result<Vec<u8>, String> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut bytes)
        .map_err(|e| format!("cannot build the .docx: {e}"))?;
    super::docx_pack::finish(&bytes.into_inner())
}
