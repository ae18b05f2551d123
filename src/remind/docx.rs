//! The letter as a công văn (.docx), laid out as Nghị định 30/2020/NĐ-CP lays one out
//! (`office::nd30`, shared with the report): the header with "Số: …/SNV-CCHC" and the "V/v"
//! summary under it, the motto with place and date, "Kính gửi", the body and its table, then
//! "Nơi nhận" beside the signature of `[report]`. The number is left for the văn thư, as a
//! draft's is, unless the letter is given one.

use chrono::NaiveDate;
use docx_rs::AlignmentType;

use crate::config::ReportConfig;
use crate::office::nd30::{self, BODY, Letterhead, PLAIN, body_para, para};

use super::words::{SUBJECT, Words};

/// Who signs and issues the letter: `[report]`'s letterhead and signer, `[remind]`'s symbol.
pub struct Issued<'a> {
    pub report: &'a ReportConfig,
    pub symbol: &'a str,
    /// The letter's number; empty leaves "…" and the day and month to the văn thư.
    pub number: &'a str,
}

/// The bytes of the .docx letter.
pub fn render(w: &Words, issued: &Issued, today: NaiveDate) -> Result<Vec<u8>, String> {
    let cfg = issued.report;
    let head = Letterhead {
        parent_body: &cfg.parent_body,
        agency: &cfg.agency,
        place: &cfg.place,
        number: issued.number,
        symbol: issued.symbol,
        subject: Some(SUBJECT),
    };
    let mut doc = nd30::document()
        .add_table(head.table(today))
        .add_paragraph(nd30::addressed_to(&w.addressed_to));
    for p in &w.opening {
        doc = doc.add_paragraph(body_para(p, PLAIN));
    }
    doc = doc
        .add_paragraph(para("", 8, PLAIN, AlignmentType::Left, 0))
        .add_table(nd30::data_table(&w.table));
    for p in &w.closing {
        doc = doc.add_paragraph(body_para(p, PLAIN));
    }
    doc = doc
        .add_paragraph(para("", BODY, PLAIN, AlignmentType::Left, 0))
        .add_table(nd30::signature(&w.copies_to, cfg));
    nd30::pack(doc)
}
