//! CSV files as offices save them: Excel on a Vietnamese Windows writes `;`-separated files
//! (the list separator there, the decimal mark being the comma), "Unicode text" as UTF-16LE
//! with tabs, or plain CSV in the ANSI code page, Windows-1258. This module finds the encoding
//! and the delimiter, says which it found, and turns the file into a header and rows; the
//! importers (`transfer`, `cchc agency import`) check the columns and the values.

use crate::model::Lang;

/// The encodings recognised, in the order they are tried when the file has no BOM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1258,
}

impl SourceEncoding {
    pub fn name(self) -> &'static str {
        match self {
            SourceEncoding::Utf8 => "UTF-8",
            SourceEncoding::Utf8Bom => "UTF-8 (BOM)",
            SourceEncoding::Utf16Le => "UTF-16LE",
            SourceEncoding::Utf16Be => "UTF-16BE",
            SourceEncoding::Windows1258 => "Windows-1258",
        }
    }
}

/// A file decoded to NFC text, with what was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    pub encoding: SourceEncoding,
    pub delimiter: u8,
}

/// Why a file is not text in any encoding tried.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "cannot read the file as text: {problem} at byte offset {offset} (tried {}); save it from the spreadsheet as \"CSV UTF-8\" and import again",
    .tried.join(", ")
)]
pub struct DecodeError {
    pub offset: usize,
    pub problem: String,
    pub tried: Vec<&'static str>,
}

impl Decoded {
    /// Text already in memory (a test, a string argument): UTF-8, delimiter detected.
    pub fn from_text(text: &str) -> Decoded {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let text = crate::text::to_nfc(text);
        Decoded {
            delimiter: detect_delimiter(&text),
            text,
            encoding: SourceEncoding::Utf8,
        }
    }

    /// The one line that says what was found ("đọc tệp: UTF-16LE, dấu phân cách ';'").
    pub fn describe(&self, lang: Lang) -> String {
        let delimiter = match (self.delimiter, lang) {
            (b'\t', Lang::Vi) => "tab".to_string(),
            (b'\t', Lang::En) => "tab".to_string(),
            (d, _) => format!("'{}'", d as char),
        };
        match lang {
            Lang::Vi => format!(
                "đọc tệp: {}, dấu phân cách {delimiter}",
                self.encoding.name()
            ),
            Lang::En => format!(
                "reading the file: {}, delimiter {delimiter}",
                self.encoding.name()
            ),
        }
    }
}

/// Decodes a CSV file's bytes: a BOM decides (UTF-8, UTF-16LE, UTF-16BE); without one, UTF-8
/// if the bytes are valid UTF-8, else Windows-1258. Text with control characters other than
/// tab and line breaks (NUL, C1) is not a CSV file in that encoding. The result is NFC:
/// Windows-1258 writes Vietnamese tone marks as combining characters.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).map_err(|e| DecodeError {
            offset: 3 + e.valid_up_to(),
            problem: "invalid UTF-8".into(),
            tried: vec!["UTF-8"],
        })?;
        check_controls(text, 3, &["UTF-8"])?;
        (text.to_string(), SourceEncoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (utf16(rest, true)?, SourceEncoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (utf16(rest, false)?, SourceEncoding::Utf16Be)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                check_controls(text, 0, &["UTF-8", "Windows-1258"])?;
                (text.to_string(), SourceEncoding::Utf8)
            }
            Err(_) => {
                let (text, _) = encoding_rs::WINDOWS_1258.decode_without_bom_handling(bytes);
                // A single-byte encoding: character i came from byte i.
                if let Some((i, c)) = text.chars().enumerate().find(|(_, c)| is_control(*c)) {
                    return Err(DecodeError {
                        offset: i,
                        problem: format!(
                            "byte 0x{:02X} is not valid UTF-8 and is a control character ({}) in Windows-1258",
                            bytes[i],
                            crate::untrusted::line(&c.to_string())
                        ),
                        tried: vec!["UTF-8", "Windows-1258"],
                    });
                }
                (text.into_owned(), SourceEncoding::Windows1258)
            }
        }
    };
    let text = crate::text::to_nfc(&text);
    Ok(Decoded {
        delimiter: detect_delimiter(&text),
        text,
        encoding,
    })
}

/// C0 controls other than tab and line breaks, DEL and C1 controls: never in a CSV file.
fn is_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

fn check_controls(text: &str, base: usize, tried: &[&'static str]) -> Result<(), DecodeError> {
    match text.char_indices().find(|(_, c)| is_control(*c)) {
        None => Ok(()),
        Some((i, c)) => Err(DecodeError {
            offset: base + i,
            problem: format!(
                "the control character {} (not text)",
                crate::untrusted::line(&c.to_string())
            ),
            tried: tried.to_vec(),
        }),
    }
}

fn utf16(bytes: &[u8], little_endian: bool) -> Result<String, DecodeError> {
    let name = if little_endian {
        "UTF-16LE"
    } else {
        "UTF-16BE"
    };
    if bytes.len() % 2 == 1 {
        return Err(DecodeError {
            offset: 2 + bytes.len() - 1,
            problem: "an odd number of bytes".into(),
            tried: vec![name],
        });
    }
    let units = bytes.chunks_exact(2).map(|b| {
        if little_endian {
            u16::from_le_bytes([b[0], b[1]])
        } else {
            u16::from_be_bytes([b[0], b[1]])
        }
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    let mut offset = 2;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) if is_control(c) => {
                return Err(DecodeError {
                    offset,
                    problem: format!(
                        "the control character {} (not text)",
                        crate::untrusted::line(&c.to_string())
                    ),
                    tried: vec![name],
                });
            }
            Ok(c) => {
                offset += c.len_utf16() * 2;
                out.push(c);
            }
            Err(e) => {
                return Err(DecodeError {
                    offset,
                    problem: format!("an unpaired surrogate 0x{:04X}", e.unpaired_surrogate()),
                    tried: vec![name],
                });
            }
        }
    }
    Ok(out)
}

/// The delimiter of the header line: whichever of `,` `;` and tab it holds most of, outside
/// quotes; `,` when none.
pub fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        match b {
            b'"' => quoted = !quoted,
            _ if quoted => {}
            _ => {
                for (d, n) in counts.iter_mut() {
                    if *d == b {
                        *n += 1;
                    }
                }
            }
        }
    }
    // max_by_key keeps the last of equal maxima: order the candidates so ',' wins ties.
    counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map(|(d, _)| *d)
        .unwrap_or(b',')
}

/// A CSV file as a header (trimmed, lower-case) and its records, each with its row number as a
/// spreadsheet shows it (the header is row 1).
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Result<Vec<String>, String>)>,
}

impl Sheet {
    pub fn read(d: &Decoded) -> Result<Sheet, String> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .delimiter(d.delimiter)
            .from_reader(d.text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| format!("cannot read the header: {e}"))?
            .iter()
            .map(|s| s.trim().to_lowercase())
            .collect();
        let rows = reader
            .records()
            .enumerate()
            .map(|(i, r)| {
                (
                    i + 2,
                    r.map(|r| r.iter().map(|f| f.trim().to_string()).collect())
                        .map_err(|e| format!("unreadable: {e}")),
                )
            })
            .collect();
        Ok(Sheet { headers, rows })
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
}

/// Refuses a header naming a column the importer does not know, with the closest known name
/// ("plan_rf: did you mean plan_ref?"), and a column given twice.
pub fn check_columns(headers: &[String], known: &[&str]) -> Result<(), String> {
    for (i, h) in headers.iter().enumerate() {
        if headers[..i].contains(h) {
            return Err(format!(
                "column {:?} is given twice; keep one",
                crate::untrusted::line(h)
            ));
        }
        if known.contains(&h.as_str()) {
            continue;
        }
        let closest = known
            .iter()
            .map(|k| (strsim::levenshtein(h, k), *k))
            .min()
            .filter(|(d, k)| *d <= (k.len() / 3).max(2));
        let shown = crate::untrusted::line(h);
        return Err(match closest {
            Some((_, k)) => format!("unknown column {shown:?}: did you mean {k}?"),
            None => format!(
                "unknown column {shown:?}; the columns are {}",
                known.join(", ")
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> Vec<u8> {
        let mut b = vec![0xFF, 0xFE];
        b.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        b
    }

    /// Text as Windows writes it in code page 1258: the letter with its circumflex, breve or
    /// horn precomposed, the tone mark after it as a combining character.
    pub(crate) fn windows_1258(s: &str) -> Vec<u8> {
        use unicode_normalization::char::{compose, decompose_canonical};
        const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
        let mut out = String::new();
        for c in s.chars() {
            let mut parts = Vec::new();
            decompose_canonical(c, |d| parts.push(d));
            let mut base = parts[0];
            let mut tones = String::new();
            for &m in &parts[1..] {
                if TONES.contains(&m) {
                    tones.push(m);
                } else {
                    base = compose(base, m).unwrap_or(base);
                }
            }
            out.push(base);
            out.push_str(&tones);
        }
        let (bytes, _, bad) = encoding_rs::WINDOWS_1258.encode(&out);
        assert!(!bad, "{s:?} is not Windows-1258 text");
        bytes.into_owned()
    }

    #[test]
    fn encodings_are_detected() {
        let d = decode("code;name\nA;Sở\n".as_bytes()).unwrap();
        assert_eq!((d.encoding, d.delimiter), (SourceEncoding::Utf8, b';'));
        let d = decode(b"\xEF\xBB\xBFcode,name\n").unwrap();
        assert_eq!(d.encoding, SourceEncoding::Utf8Bom);
        assert_eq!(d.text, "code,name\n");
        let d = decode(&utf16le("code\tname\nA\tSở Nội vụ\n")).unwrap();
        assert_eq!((d.encoding, d.delimiter), (SourceEncoding::Utf16Le, b'\t'));
        assert!(d.text.contains("Sở Nội vụ"));
        let bytes = windows_1258("code,name\nA,Sở Nội vụ\n");
        assert!(
            bytes.contains(&0xD2),
            "the hook above is a combining mark in Windows-1258"
        );
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, SourceEncoding::Windows1258);
        assert!(
            d.text.contains("Sở Nội vụ"),
            "NFC after decoding: {:?}",
            d.text
        );
    }

    #[test]
    fn undecodable_bytes_name_their_offset() {
        let e = decode(b"code,name\nA,\x81\x00B\n").unwrap_err();
        assert_eq!(e.offset, 12, "{e}");
        assert_eq!(e.tried, vec!["UTF-8", "Windows-1258"]);
        let e = decode(&[0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x41, 0x00]).unwrap_err();
        assert_eq!(e.offset, 4, "{e}");
        assert!(e.to_string().contains("byte offset 4"), "{e}");
    }

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter("a,b,c\n"), b',');
        assert_eq!(detect_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_delimiter("\"a;b\",c\n"), b',');
        assert_eq!(detect_delimiter("abc\n"), b',');
        assert_eq!(detect_delimiter("a\tb\n"), b'\t');
    }

    #[test]
    fn unknown_columns_get_a_suggestion() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let known = ["plan_ref", "area", "title"];
        let e = check_columns(&h(&["plan_rf", "area"]), &known).unwrap_err();
        assert!(e.contains("did you mean plan_ref?"), "{e}");
        let e = check_columns(&h(&["zzzzzz"]), &known).unwrap_err();
        assert!(e.contains("the columns are"), "{e}");
        assert!(check_columns(&h(&["title", "area"]), &known).is_ok());
        assert!(check_columns(&h(&["title", "title"]), &known).is_err());
    }
}
