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

/// A CSV file read as a stream, for an import of any size: the whole file is checked first
/// (its encoding decided and any byte that is not text refused with its offset, as
/// [`decode`] does, reading 64 KiB at a time), then its rows are decoded as they are read, so
/// a file of a million rows takes the memory of a few.
pub struct CsvStream {
    pub encoding: SourceEncoding,
    pub delimiter: u8,
    /// The header, trimmed and lower-case.
    pub headers: Vec<String>,
    records: csv::StringRecordsIntoIter<Box<dyn std::io::Read>>,
    /// Bytes read since the last record: a record longer than `MAX_RECORD_BYTES` is refused
    /// rather than held.
    since_record: std::rc::Rc<std::cell::Cell<u64>>,
    row: usize,
}

/// How much of a file is read at a time (a few bytes in tests, so that characters are cut).
const CHUNK: usize = if cfg!(test) { 7 } else { 64 * 1024 };

/// The longest record a stream holds before refusing the file (the importers refuse a row over
/// 1 MB; this stops a file that never ends its row from filling the memory first).
pub const MAX_RECORD_BYTES: u64 = 16 << 20;

/// How a streamed file's size is told as it is read (bytes read so far).
pub type BytesRead = Box<dyn Fn(u64) + Send>;

impl CsvStream {
    /// Checks `path` whole, then opens it for reading rows; `read` is told how many of its
    /// bytes were read so far.
    pub fn open(path: &std::path::Path, read: BytesRead) -> Result<CsvStream, StreamError> {
        use std::io::Read;
        let encoding = check_file(path)?;
        let file = std::fs::File::open(path).map_err(StreamError::Io)?;
        let counted = Counted::new(std::io::BufReader::with_capacity(64 * 1024, file), read);
        let since_record = std::rc::Rc::new(std::cell::Cell::new(0));
        let mut text: Box<dyn std::io::Read> =
            Box::new(Utf8Reader::new(counted, encoding, since_record.clone()));
        // The header line decides the delimiter; it is read ahead and put back in front.
        let mut header = Vec::new();
        let mut byte = [0u8; 1];
        while header.len() < MAX_RECORD_BYTES as usize {
            match text.read(&mut byte).map_err(StreamError::Io)? {
                0 => break,
                _ => {
                    header.push(byte[0]);
                    if byte[0] == b'\n' {
                        break;
                    }
                }
            }
        }
        let delimiter = detect_delimiter(&String::from_utf8_lossy(&header));
        let text: Box<dyn std::io::Read> = Box::new(std::io::Cursor::new(header).chain(text));
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(64 * 1024)
            .from_reader(text);
        let headers = reader
            .headers()
            .map_err(|e| StreamError::Header(format!("cannot read the header: {e}")))?
            .iter()
            .map(|s| crate::text::to_nfc(s.trim()).to_lowercase())
            .collect();
        since_record.set(0);
        Ok(CsvStream {
            encoding,
            delimiter,
            headers,
            records: reader.into_records(),
            since_record,
            row: 1,
        })
    }

    /// The one line that says what was found, as [`Decoded::describe`].
    pub fn describe(&self, lang: Lang) -> String {
        Decoded {
            text: String::new(),
            encoding: self.encoding,
            delimiter: self.delimiter,
        }
        .describe(lang)
    }
}

impl Iterator for CsvStream {
    /// A record's row number as a spreadsheet shows it (the header is row 1) and its fields,
    /// trimmed and in NFC, or why it cannot be read.
    type Item = (usize, Result<Vec<String>, String>);

    fn next(&mut self) -> Option<Self::Item> {
        let record = self.records.next()?;
        self.since_record.set(0);
        self.row += 1;
        Some((
            self.row,
            record
                .map(|r| r.iter().map(|f| crate::text::to_nfc(f.trim())).collect())
                .map_err(|e| format!("unreadable: {e}")),
        ))
    }
}

/// Why a streamed CSV file cannot be read.
#[derive(Debug)]
pub enum StreamError {
    /// Not text in any encoding tried.
    Decode(DecodeError),
    /// The header cannot be read.
    Header(String),
    Io(std::io::Error),
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::Decode(e) => write!(f, "{e}"),
            StreamError::Header(e) => write!(f, "{e}"),
            StreamError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// The first pass over a file: its encoding, as [`decode`] decides it, or the first byte that
/// is not text in it. Holds 64 KiB at a time.
fn check_file(path: &std::path::Path) -> Result<SourceEncoding, StreamError> {
    use std::io::Read;
    let open = || std::fs::File::open(path).map_err(StreamError::Io);
    let mut file = std::io::BufReader::with_capacity(64 * 1024, open()?);
    let mut start = [0u8; 3];
    let mut n = 0;
    while n < 3 {
        match file.read(&mut start[n..]).map_err(StreamError::Io)? {
            0 => break,
            k => n += k,
        }
    }
    let start = &start[..n];
    let decode_err = StreamError::Decode;
    if start.starts_with(b"\xEF\xBB\xBF") {
        check_utf8(open()?, 3, &["UTF-8"]).map_err(decode_err)?;
        return Ok(SourceEncoding::Utf8Bom);
    }
    for (bom, little_endian, encoding) in [
        (b"\xFF\xFE", true, SourceEncoding::Utf16Le),
        (b"\xFE\xFF", false, SourceEncoding::Utf16Be),
    ] {
        if start.starts_with(bom) {
            check_utf16(open()?, little_endian, encoding.name()).map_err(decode_err)?;
            return Ok(encoding);
        }
    }
    match check_utf8(open()?, 0, &["UTF-8", "Windows-1258"]) {
        Ok(()) => Ok(SourceEncoding::Utf8),
        Err(e) if e.problem == "invalid UTF-8" => {
            check_1258(open()?).map_err(decode_err)?;
            Ok(SourceEncoding::Windows1258)
        }
        Err(e) => Err(decode_err(e)),
    }
}

/// Reads `file` in chunks: `f` gets each chunk and the offset of its first byte.
fn chunks(
    file: std::fs::File,
    mut f: impl FnMut(&[u8], usize) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    use std::io::Read;
    let mut file = file;
    let mut buf = vec![0u8; CHUNK];
    let mut offset = 0;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(DecodeError {
                    offset,
                    problem: format!("cannot read the file: {e}"),
                    tried: Vec::new(),
                });
            }
        };
        f(&buf[..n], offset)?;
        offset += n;
    }
}

/// Valid UTF-8 from byte `skip` on, without a control character (as `decode` checks it).
fn check_utf8(file: std::fs::File, skip: usize, tried: &[&'static str]) -> Result<(), DecodeError> {
    // The bytes of a character cut by the end of a chunk, carried to the next.
    let mut carry: Vec<u8> = Vec::new();
    let mut bytes = Vec::with_capacity(64 * 1024 + 4);
    let mut end = 0;
    chunks(file, |chunk, offset| {
        end = offset + chunk.len();
        let chunk = if offset == 0 {
            &chunk[skip.min(chunk.len())..]
        } else {
            chunk
        };
        let base = offset.max(skip) - carry.len();
        bytes.clear();
        bytes.append(&mut carry);
        bytes.extend_from_slice(chunk);
        let valid = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            Err(e) if e.error_len().is_none() => {
                // Cut at the end: the rest of the character comes with the next chunk.
                carry.extend_from_slice(&bytes[e.valid_up_to()..]);
                // Valid up to there, by the error itself.
                std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default()
            }
            Err(e) => {
                return Err(DecodeError {
                    offset: base + e.valid_up_to(),
                    problem: "invalid UTF-8".into(),
                    tried: tried.to_vec(),
                });
            }
        };
        check_controls(valid, base, tried)
    })?;
    if carry.is_empty() {
        Ok(())
    } else {
        // A character cut by the end of the file.
        Err(DecodeError {
            offset: end - carry.len(),
            problem: "invalid UTF-8".into(),
            tried: tried.to_vec(),
        })
    }
}

fn check_utf16(
    file: std::fs::File,
    little_endian: bool,
    name: &'static str,
) -> Result<(), DecodeError> {
    let mut odd: Option<u8> = None;
    // A high surrogate waiting for its pair, and where it was.
    let mut high: Option<(u16, usize)> = None;
    let mut end = 0;
    let unpaired = |u: u16, offset: usize| DecodeError {
        offset,
        problem: format!("an unpaired surrogate 0x{u:04X}"),
        tried: vec![name],
    };
    chunks(file, |chunk, offset| {
        let (mut bytes, mut at) = if offset == 0 {
            (&chunk[2.min(chunk.len())..], 2)
        } else {
            (chunk, offset)
        };
        end = offset + chunk.len();
        let mut unit = |pair: [u8; 2], at: usize| -> Result<(), DecodeError> {
            let u = if little_endian {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            };
            if let Some((h, h_at)) = high.take() {
                if (0xDC00..=0xDFFF).contains(&u) {
                    return Ok(());
                }
                return Err(unpaired(h, h_at));
            }
            match u {
                0xD800..=0xDBFF => {
                    high = Some((u, at));
                    Ok(())
                }
                0xDC00..=0xDFFF => Err(unpaired(u, at)),
                _ => match char::from_u32(u32::from(u)) {
                    Some(c) if is_control(c) => Err(DecodeError {
                        offset: at,
                        problem: format!(
                            "the control character {} (not text)",
                            crate::untrusted::line(&c.to_string())
                        ),
                        tried: vec![name],
                    }),
                    _ => Ok(()),
                },
            }
        };
        if let (Some(first), Some((&second, rest))) = (odd, bytes.split_first()) {
            unit([first, second], at - 1)?;
            odd = None;
            bytes = rest;
            at += 1;
        }
        let mut pairs = bytes.chunks_exact(2);
        for (i, pair) in pairs.by_ref().enumerate() {
            unit([pair[0], pair[1]], at + 2 * i)?;
        }
        if let [last] = pairs.remainder() {
            odd = Some(*last);
        }
        Ok(())
    })?;
    if odd.is_some() {
        return Err(DecodeError {
            offset: end - 1,
            problem: "an odd number of bytes".into(),
            tried: vec![name],
        });
    }
    match high {
        Some((h, at)) => Err(unpaired(h, at)),
        None => Ok(()),
    }
}

fn check_1258(file: std::fs::File) -> Result<(), DecodeError> {
    chunks(file, |chunk, offset| {
        let (text, _) = encoding_rs::WINDOWS_1258.decode_without_bom_handling(chunk);
        // A single-byte encoding: character i came from byte i.
        match text.chars().enumerate().find(|(_, c)| is_control(*c)) {
            Some((i, c)) => Err(DecodeError {
                offset: offset + i,
                problem: format!(
                    "byte 0x{:02X} is not valid UTF-8 and is a control character ({}) in Windows-1258",
                    chunk[i],
                    crate::untrusted::line(&c.to_string())
                ),
                tried: vec!["UTF-8", "Windows-1258"],
            }),
            None => Ok(()),
        }
    })
}

/// A reader that counts the bytes read and tells every 64 KiB (a progress bar's position).
pub struct Counted<R> {
    inner: R,
    read: u64,
    told: u64,
    tell: BytesRead,
}

impl<R> Counted<R> {
    pub fn new(inner: R, tell: BytesRead) -> Self {
        Counted {
            inner,
            read: 0,
            told: 0,
            tell,
        }
    }
}

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read - self.told >= 64 << 10 || n == 0 {
            self.told = self.read;
            (self.tell)(self.read);
        }
        Ok(n)
    }
}

/// The file's text as UTF-8, decoded as it is read (the file was checked whole before), a
/// BOM left out.
struct Utf8Reader<R> {
    inner: R,
    decoder: Option<encoding_rs::Decoder>,
    /// Raw bytes read and not yet decoded, and decoded text not yet handed out.
    raw: Vec<u8>,
    out: Vec<u8>,
    at: usize,
    bom: usize,
    since_record: std::rc::Rc<std::cell::Cell<u64>>,
    done: bool,
}

impl<R: std::io::Read> Utf8Reader<R> {
    fn new(
        inner: R,
        encoding: SourceEncoding,
        since_record: std::rc::Rc<std::cell::Cell<u64>>,
    ) -> Self {
        let (decoder, bom) = match encoding {
            SourceEncoding::Utf8 => (None, 0),
            SourceEncoding::Utf8Bom => (None, 3),
            SourceEncoding::Utf16Le => (
                Some(encoding_rs::UTF_16LE.new_decoder_without_bom_handling()),
                2,
            ),
            SourceEncoding::Utf16Be => (
                Some(encoding_rs::UTF_16BE.new_decoder_without_bom_handling()),
                2,
            ),
            SourceEncoding::Windows1258 => (
                Some(encoding_rs::WINDOWS_1258.new_decoder_without_bom_handling()),
                0,
            ),
        };
        Utf8Reader {
            inner,
            decoder,
            raw: vec![0; CHUNK],
            out: Vec::new(),
            at: 0,
            bom,
            since_record,
            done: false,
        }
    }

    /// Reads raw bytes, skipping the BOM; 0 at the end.
    fn read_raw(&mut self) -> std::io::Result<usize> {
        loop {
            let n = self.inner.read(&mut self.raw)?;
            if self.bom == 0 || n == 0 {
                return Ok(n);
            }
            let skip = self.bom.min(n);
            self.bom -= skip;
            self.raw.copy_within(skip..n, 0);
            if n > skip {
                return Ok(n - skip);
            }
        }
    }
}

impl<R: std::io::Read> std::io::Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = if self.decoder.is_none() {
            if self.bom > 0 {
                let mut skip = vec![0u8; self.bom];
                self.inner.read_exact(&mut skip)?;
                self.bom = 0;
            }
            self.inner.read(buf)?
        } else {
            while self.at == self.out.len() && !self.done {
                let n = self.read_raw()?;
                let last = n == 0;
                self.out.clear();
                self.at = 0;
                let mut text = String::with_capacity(n * 3 + 16);
                if let Some(d) = &mut self.decoder {
                    let _ = d.decode_to_string(&self.raw[..n], &mut text, last);
                }
                self.out.extend_from_slice(text.as_bytes());
                self.done = last;
            }
            let n = buf.len().min(self.out.len() - self.at);
            buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
            self.at += n;
            n
        };
        let since = self.since_record.get() + n as u64;
        self.since_record.set(since);
        if since > MAX_RECORD_BYTES {
            return Err(std::io::Error::other(format!(
                "a row longer than {} MB; is this a CSV file?",
                MAX_RECORD_BYTES >> 20
            )));
        }
        Ok(n)
    }
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

    /// What the stream reads is what `decode` and `Sheet::read` make of the whole file, and a
    /// file they refuse it refuses at the same byte; chunks of 7 bytes cut characters.
    #[test]
    fn a_stream_reads_what_the_whole_file_gives() {
        let dir = tempfile::tempdir().unwrap();
        let text = "mã;tên\nA;Sở Nội vụ 𝔸\n\"B\nb\";Ủy ban\r\nC;\u{1F600} xong\n";
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(text.as_bytes());
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        let files: Vec<Vec<u8>> = vec![
            text.as_bytes().to_vec(),
            bom,
            utf16le(text),
            be,
            windows_1258("mã,tên\nA,Sở Nội vụ\nB,Ủy ban nhân dân\n"),
            b"code,name\nA,\x81\x00B\n".to_vec(),
            vec![0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x41, 0x00],
            vec![0xFF, 0xFE, 0x41, 0x00, 0x41],
            b"a,b\n\xE1\xBB".to_vec(),
            b"a,b\nx,\x01y\n".to_vec(),
        ];
        for (i, bytes) in files.iter().enumerate() {
            let path = dir.path().join(format!("{i}.csv"));
            std::fs::write(&path, bytes).unwrap();
            let whole = decode(bytes);
            match CsvStream::open(&path, Box::new(|_| {})) {
                Ok(stream) => {
                    let whole = whole.unwrap_or_else(|e| panic!("file {i}: {e}"));
                    let sheet = Sheet::read(&whole).unwrap();
                    assert_eq!(
                        (stream.encoding, stream.delimiter),
                        (whole.encoding, whole.delimiter),
                        "file {i}"
                    );
                    assert_eq!(stream.headers, sheet.headers, "file {i}");
                    let rows: Vec<_> = stream.collect();
                    assert_eq!(rows, sheet.rows, "file {i}");
                }
                Err(StreamError::Decode(e)) => assert_eq!(Err(e), whole.map(|_| ()), "file {i}"),
                Err(e) => panic!("file {i}: {e}"),
            }
        }
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
