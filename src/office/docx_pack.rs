//! Finishes the .docx docx-rs writes, for what it has no words for: a table's header row
//! repeated on every page (`w:tblHeader`), the document's language (vi-VN, so Word and
//! LibreOffice check spelling and hyphenate as Vietnamese), and deflate (docx-rs stores its
//! parts uncompressed, five times the size). Each change is an exact text docx-rs writes; if a
//! newer docx-rs writes it otherwise, the change fails loudly instead of being skipped.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The minimum height (twips, 0.7 cm) `docx` gives a table's header row; the row's mark here.
pub const HEADER_ROW_HEIGHT: f32 = 397.0;
const HEADER_ROW: &str = r#"<w:trHeight w:val="397" w:hRule="atLeast" />"#;
const REPEATED_HEADER_ROW: &str = r#"<w:trHeight w:val="397" w:hRule="atLeast" /><w:tblHeader />"#;
const DEFAULT_RUN_END: &str = "</w:rPr></w:rPrDefault>";
const VIETNAMESE: &str =
    r#"<w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA" /></w:rPr></w:rPrDefault>"#;
const CORE_END: &str = "</cp:coreProperties>";
const CORE_LANGUAGE: &str = "<dc:language>vi-VN</dc:language></cp:coreProperties>";

fn err<E: std::fmt::Display>(e: E) -> String {
    format!("cannot finish the .docx: {e}")
}

/// Replaces `from` with `to` in `xml`, at least once when `required`.
fn patch(xml: String, from: &str, to: &str, part: &str, required: bool) -> Result<String, String> {
    if required && !xml.contains(from) {
        return Err(err(format!("{part} lacks {from:?}")));
    }
    Ok(xml.replace(from, to))
}

/// The .docx `bytes`, with header rows repeated, the language set and every part deflated.
pub fn finish(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(err)?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(0o644);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(err)?;
        let name = entry.name().map_err(err)?.to_string();
        if entry.is_dir() {
            out.add_directory(name, options).map_err(err)?;
            continue;
        }
        let mut data = Vec::new();
        entry.read_to_end(&mut data).map_err(err)?;
        let data = match name.as_str() {
            "word/document.xml" => {
                let xml = String::from_utf8(data).map_err(err)?;
                let has_tables = xml.contains("<w:tbl>");
                patch(xml, HEADER_ROW, REPEATED_HEADER_ROW, &name, has_tables)?.into_bytes()
            }
            "word/styles.xml" => {
                let xml = String::from_utf8(data).map_err(err)?;
                patch(xml, DEFAULT_RUN_END, VIETNAMESE, &name, true)?.into_bytes()
            }
            "docProps/core.xml" => {
                let xml = String::from_utf8(data).map_err(err)?;
                patch(xml, CORE_END, CORE_LANGUAGE, &name, true)?.into_bytes()
            }
            _ => data,
        };
        out.start_file(name, options).map_err(err)?;
        out.write_all(&data).map_err(err)?;
    }
    Ok(out.finish().map_err(err)?.into_inner())
}
