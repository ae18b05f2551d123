//! The report as an official document (.docx), laid out as Nghị định 30/2020/NĐ-CP lays out a
//! báo cáo: A4, margins top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman 14 pt (the
//! letterhead 13, tables 12), single-spaced, the two-column header (issuing body and agency
//! with its number; the national motto with place and date), the title and summary line, "Kính gửi", the body, "Nơi nhận" beside the signature, and
//! each appendix on its own pages with its caption. Page numbers are set at the top centre from
//! the second page, each appendix numbered on its own (as the decree places them); a table's
//! header row repeats on every page it runs over. The charts are pictures in the body. The words
//! are `body`'s; the letterhead comes from `[report]`; the decree's page and parts are
//! `office::nd30`'s, shared with the letter urging an agency.

use chrono::NaiveDate;
use docx_rs::{AlignmentType, LineSpacing, Paragraph, Pic, Run, Table};

use crate::config::ReportConfig;
use crate::model::Lang;
use crate::office::nd30::{
    self, BODY, BOLD, BOLD_ITALIC, HEAD, ITALIC, Letterhead, PLAIN, TEXT_WIDTH, body_para,
    body_para_of, para, rule, run,
};

use super::Report;
use super::body::{self, Appendix, Block, Letter};
use super::charts::{self, Chart};

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
            Block::Placeholder(text) => {
                out.push(p(body_para_of(run(text, BODY, ITALIC).highlight("yellow"))))
            }
            Block::Bullets(items) => {
                for item in items {
                    out.push(p(body_para(&format!("- {item}"), PLAIN)));
                }
            }
            Block::Table(t) => {
                out.push(p(para("", 8, PLAIN, AlignmentType::Left, 0)));
                out.push(Part::T(Box::new(nd30::data_table(t))));
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

/// A section of its own (the body, or an appendix before the last), numbered from 1.
fn section(parts: Vec<Part>) -> docx_rs::Section {
    let mut s = nd30::section();
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
        Part::T(Box::new(Letterhead::of_report(cfg).table(today))),
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
    first.push(p(nd30::addressed_to(&cfg.recipient)));
    blocks(&mut first, &b.blocks, &charts);
    first.push(p(para("", BODY, PLAIN, AlignmentType::Left, 0)));
    first.push(Part::T(Box::new(nd30::signature(&cfg.copies_to, cfg))));
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
    let mut doc = nd30::document();
    for parts in sections {
        doc = doc.add_section(section(parts));
    }
    for part in last {
        doc = match part {
            Part::P(p) => doc.add_paragraph(*p),
            Part::T(t) => doc.add_table(*t),
        };
    }
    nd30::pack(doc)
}
