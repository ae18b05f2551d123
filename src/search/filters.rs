//! Filter tokens in a search, as in Taskwarrior: `agency:STP area:tthc status:blocked
//! due.before:2026-12-31 bao cao`. A word `key:value` whose key is known filters exactly; the
//! rest of the query stays the fuzzy text of [`crate::search`]. The search box, `cchc tasks
//! --search` and saved views read the same string through [`TaskQuery::parse`]. Pure: the
//! caller gives the areas and agencies that values are resolved against.
//!
//! Keys (Vietnamese spellings without diacritics also work, `coquan:`, `linhvuc:`, …):
//! - `agency:STP` (or `agency:STP,SNV`): the lead agency, by code or the start of its code or
//!   name; several give any of them, and a repeated `agency:` adds to the list;
//! - `area:tthc`: the area of work, by code or the start of its name;
//! - `status:blocked`: the stored status (not-started, in-progress, done, blocked, or their
//!   Vietnamese names), or `status:overdue` for the tasks overdue today;
//! - `due.before:2026-12-31`, `due.after:…`, `due:…`: the due date strictly before, strictly
//!   after, or on the day (YYYY-MM-DD or DD/MM/YYYY).
//!
//! Words in double quotes are text, whatever they hold. A key that is not known, or a value
//! that names nothing, is a problem the caller shows; the word is then left out.

use chrono::{Duration, NaiveDate};

use crate::model::{Agency, Area, Lang, Status};
use crate::text::fold;

/// A filter key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Agency,
    Area,
    Status,
    DueBefore,
    DueAfter,
    Due,
}

impl Key {
    pub const ALL: [Key; 6] = [
        Key::Agency,
        Key::Area,
        Key::Status,
        Key::DueBefore,
        Key::DueAfter,
        Key::Due,
    ];

    /// Its spellings, folded; the first is the one shown and completed.
    fn names(self) -> &'static [&'static str] {
        match self {
            Key::Agency => &["agency", "lead", "coquan", "chutri"],
            Key::Area => &["area", "linhvuc"],
            Key::Status => &["status", "trangthai"],
            Key::DueBefore => &["due.before", "due.below", "han.truoc"],
            Key::DueAfter => &["due.after", "due.above", "han.sau"],
            Key::Due => &["due", "han"],
        }
    }

    pub fn name(self) -> &'static str {
        self.names()[0]
    }

    fn from_name(folded: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.names().contains(&folded))
    }
}

/// The values `status:` takes besides the statuses: the tasks overdue today.
const OVERDUE_WORDS: [&str; 3] = ["overdue", "qua-han", "quahan"];

/// The exact filters of a query, resolved: codes as the file has them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub area: Option<String>,
    /// Any of these lead agencies.
    pub agencies: Option<Vec<String>>,
    pub status: Option<Status>,
    /// Only the tasks overdue today.
    pub overdue: bool,
    pub due_before: Option<NaiveDate>,
    pub due_after: Option<NaiveDate>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// What the filters let through, one phrase each, for a list's title: "cơ quan STP",
    /// "hạn trước 31/12/2026".
    pub fn describe(&self, lang: Lang) -> Vec<String> {
        let vi = lang == Lang::Vi;
        let date = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
        let mut out = Vec::new();
        if let Some(codes) = &self.agencies {
            out.push(format!(
                "{} {}",
                if vi { "cơ quan" } else { "agency" },
                codes.join(",")
            ));
        }
        if let Some(area) = &self.area {
            out.push(format!("{} {area}", if vi { "lĩnh vực" } else { "area" }));
        }
        if let Some(status) = self.status {
            out.push(status.label(lang).to_lowercase());
        }
        if self.overdue {
            out.push((if vi { "quá hạn" } else { "overdue" }).into());
        }
        match (self.due_after, self.due_before) {
            (Some(a), Some(b)) if a + Duration::days(2) == b => out.push(format!(
                "{} {}",
                if vi { "hạn" } else { "due" },
                date(a + Duration::days(1))
            )),
            (after, before) => {
                if let Some(a) = after {
                    out.push(format!(
                        "{} {}",
                        if vi { "hạn sau" } else { "due after" },
                        date(a)
                    ));
                }
                if let Some(b) = before {
                    out.push(format!(
                        "{} {}",
                        if vi { "hạn trước" } else { "due before" },
                        date(b)
                    ));
                }
            }
        }
        out
    }
}

/// A search query split into its exact filters and its fuzzy text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskQuery {
    /// The fuzzy text, normalised (`search::normalize`); empty when the query is only filters.
    pub text: String,
    pub filters: Filters,
    /// Words not understood (an unknown key, a value that names nothing), one message each,
    /// saying what to type instead.
    pub problems: Vec<String>,
}

impl TaskQuery {
    /// Splits `query` (as typed) into filters and text, resolving values against `areas` and
    /// `agencies`; messages are in `lang`.
    pub fn parse(query: &str, areas: &[Area], agencies: &[Agency], lang: Lang) -> TaskQuery {
        let mut q = TaskQuery::default();
        let mut text: Vec<String> = Vec::new();
        for (i, part) in query.split('"').enumerate() {
            // Odd parts were inside quotes: text, kept quoted for the fuzzy search.
            if i % 2 == 1 {
                if !part.trim().is_empty() {
                    text.push(format!("\"{part}\""));
                }
                continue;
            }
            for word in part.split_whitespace() {
                match token(word) {
                    Token::Text => text.push(word.to_string()),
                    // Half typed ("agency:"): nothing yet.
                    Token::Filter(_, "") => {}
                    Token::Filter(key, value) => {
                        if let Err(problem) = q.add(key, value, areas, agencies, lang) {
                            q.problems.push(problem);
                        }
                    }
                    Token::Unknown(key) => q.problems.push(unknown_key(key, lang)),
                }
            }
        }
        q.text = super::normalize(&text.join(" "));
        q
    }

    fn add(
        &mut self,
        key: Key,
        value: &str,
        areas: &[Area],
        agencies: &[Agency],
        lang: Lang,
    ) -> Result<(), String> {
        let f = &mut self.filters;
        match key {
            Key::Agency => {
                let mut codes = f.agencies.take().unwrap_or_default();
                for part in value.split(',').filter(|p| !p.trim().is_empty()) {
                    let code = resolve_agency(part, agencies, lang)?;
                    if !codes.contains(&code) {
                        codes.push(code);
                    }
                }
                f.agencies = (!codes.is_empty()).then_some(codes);
            }
            Key::Area => f.area = Some(resolve_area(value, areas, lang)?),
            Key::Status => {
                let folded = fold(value).replace(['_', ' '], "-");
                if OVERDUE_WORDS.contains(&folded.as_str()) {
                    f.overdue = true;
                } else {
                    f.status = Some(Status::parse(value).ok_or_else(|| {
                        format!(
                            "{} {:?}: {}",
                            tr(lang, "status: không nhận", "status: does not take"),
                            crate::untrusted::line(value),
                            tr(
                                lang,
                                "dùng not-started, in-progress, done, blocked hoặc overdue",
                                "use not-started, in-progress, done, blocked or overdue"
                            )
                        )
                    })?);
                }
            }
            Key::DueBefore | Key::DueAfter | Key::Due => {
                let day = crate::context::parse_date(value).map_err(|_| {
                    format!(
                        "{}: {:?} {}",
                        key.name(),
                        crate::untrusted::line(value),
                        tr(
                            lang,
                            "không phải ngày; ghi 2026-12-31 hoặc 31/12/2026",
                            "is not a date; write 2026-12-31 or 31/12/2026"
                        )
                    )
                })?;
                match key {
                    Key::DueBefore => f.due_before = Some(day),
                    Key::DueAfter => f.due_after = Some(day),
                    _ => {
                        f.due_after = Some(day - Duration::days(1));
                        f.due_before = Some(day + Duration::days(1));
                    }
                }
            }
        }
        Ok(())
    }
}

/// What one unquoted word of a query is.
enum Token<'a> {
    Text,
    Filter(Key, &'a str),
    /// `word:…` whose word looks like a key but is none.
    Unknown(&'a str),
}

fn token(word: &str) -> Token<'_> {
    let Some((key, value)) = word.split_once(':') else {
        return Token::Text;
    };
    if let Some(k) = Key::from_name(&fold(key)) {
        return Token::Filter(k, value);
    }
    // A key is letters and dots; "10:30", "#1:2" or a URL's "https:" stay text.
    let looks_like_key = !key.is_empty()
        && key.chars().all(|c| c.is_alphabetic() || c == '.')
        && !value.starts_with('/');
    if looks_like_key {
        Token::Unknown(key)
    } else {
        Token::Text
    }
}

fn unknown_key(key: &str, lang: Lang) -> String {
    let keys: Vec<String> = Key::ALL.iter().map(|k| format!("{}:", k.name())).collect();
    format!(
        "{} {:?}; {} {}",
        tr(lang, "Không có bộ lọc", "No filter"),
        format!("{}:", crate::untrusted::line(key)),
        tr(lang, "dùng", "use"),
        keys.join(" ")
    )
}

/// What Tab offers for `word`, the word being typed: the values of a known key (`agency:S` →
/// `agency:SNV`, `agency:STP`, …), or the keys a word starts (`st` → `status:`). Empty when
/// there is nothing to offer.
pub fn complete(word: &str, areas: &[Area], agencies: &[Agency]) -> Vec<String> {
    if let Some((key, typed)) = word.split_once(':') {
        let Some(k) = Key::from_name(&fold(key)) else {
            return Vec::new();
        };
        // The last of a comma list is the one being typed.
        let (done, typed) = match typed.rsplit_once(',') {
            Some((done, last)) => (format!("{done},"), last),
            None => (String::new(), typed),
        };
        let wanted = fold(typed);
        let values: Vec<String> = match k {
            Key::Agency => agencies.iter().map(|a| a.code.clone()).collect(),
            Key::Area => areas.iter().map(|a| a.code.clone()).collect(),
            Key::Status => Status::ALL
                .iter()
                .map(|s| s.as_str().to_string())
                .chain(std::iter::once(OVERDUE_WORDS[0].to_string()))
                .collect(),
            Key::DueBefore | Key::DueAfter | Key::Due => Vec::new(),
        };
        return values
            .into_iter()
            .filter(|v| fold(v).starts_with(&wanted))
            .map(|v| format!("{key}:{done}{v}"))
            .collect();
    }
    let wanted = fold(word);
    if wanted.is_empty() {
        return Vec::new();
    }
    Key::ALL
        .iter()
        .filter(|k| k.name().starts_with(&wanted))
        .map(|k| format!("{}:", k.name()))
        .collect()
}

fn tr<'a>(lang: Lang, vi: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// The area an argument names: its code (any case), else the one area whose name (either
/// language, diacritics optional) starts with it. The message lists the codes.
pub fn resolve_area(arg: &str, areas: &[Area], lang: Lang) -> Result<String, String> {
    let wanted = fold(arg.trim());
    if let Some(a) = areas.iter().find(|a| fold(&a.code) == wanted) {
        return Ok(a.code.clone());
    }
    let found: Vec<&Area> = areas
        .iter()
        .filter(|a| fold(&a.name_vi).starts_with(&wanted) || fold(&a.name_en).starts_with(&wanted))
        .collect();
    let codes = |list: &mut dyn Iterator<Item = &Area>| {
        list.map(|a| a.code.as_str()).collect::<Vec<_>>().join(", ")
    };
    match found.as_slice() {
        [one] => Ok(one.code.clone()),
        [] => Err(format!(
            "{} {:?}; {}: {}",
            tr(lang, "Không có lĩnh vực", "No area"),
            crate::untrusted::line(arg),
            tr(lang, "các mã", "the codes are"),
            codes(&mut areas.iter())
        )),
        many => Err(format!(
            "{:?} {}: {}",
            crate::untrusted::line(arg),
            tr(lang, "khớp nhiều lĩnh vực", "matches several areas"),
            codes(&mut many.iter().copied())
        )),
    }
}

/// The agency an argument names: its code (any case), else the one agency whose code or
/// name starts with it. The message says how to find the codes.
pub fn resolve_agency(arg: &str, agencies: &[Agency], lang: Lang) -> Result<String, String> {
    let wanted = fold(arg.trim());
    if let Some(a) = agencies.iter().find(|a| fold(&a.code) == wanted) {
        return Ok(a.code.clone());
    }
    let found: Vec<&Agency> = agencies
        .iter()
        .filter(|a| fold(&a.code).starts_with(&wanted) || fold(&a.name).starts_with(&wanted))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.code.clone()),
        [] => Err(format!(
            "{} {:?} — {}",
            tr(lang, "Không có cơ quan", "No agency"),
            crate::untrusted::line(arg),
            tr(
                lang,
                "Tab gợi ý mã; `cchc agencies` liệt kê",
                "Tab completes codes; `cchc agencies` lists them"
            )
        )),
        many => Err(format!(
            "{:?} {}: {}",
            crate::untrusted::line(arg),
            tr(lang, "khớp nhiều cơ quan", "matches several agencies"),
            many.iter()
                .take(8)
                .map(|a| a.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AgencyKind;

    fn areas() -> Vec<Area> {
        vec![Area {
            code: "tthc".into(),
            name_vi: "Cải cách thủ tục hành chính".into(),
            name_en: "Administrative procedures".into(),
        }]
    }

    fn agencies() -> Vec<Agency> {
        ["STP", "SNV", "STC"]
            .iter()
            .map(|c| Agency {
                code: (*c).into(),
                name: format!("Sở {c}"),
                kind: AgencyKind::Department,
            })
            .collect()
    }

    fn parse(q: &str) -> TaskQuery {
        TaskQuery::parse(q, &areas(), &agencies(), Lang::En)
    }

    #[test]
    fn tokens_filter_exactly_and_the_rest_is_fuzzy_text() {
        let q = parse("agency:stp area:TTHC status:blocked due.before:2026-12-31 Quá hạn");
        assert_eq!(q.text, "qua han");
        assert_eq!(q.filters.agencies, Some(vec!["STP".to_string()]));
        assert_eq!(q.filters.area.as_deref(), Some("tthc"));
        assert_eq!(q.filters.status, Some(Status::Blocked));
        assert_eq!(q.filters.due_before, "2026-12-31".parse().ok());
        assert!(q.problems.is_empty(), "{:?}", q.problems);
        // Vietnamese keys and values, a list, a day, and "overdue" as a status.
        let q = parse("coquan:STP,snv han:31/12/2026 trangthai:qua-han bao cao");
        assert_eq!(q.filters.agencies, Some(vec!["STP".into(), "SNV".into()]));
        assert_eq!(q.filters.due_after, "2026-12-30".parse().ok());
        assert_eq!(q.filters.due_before, "2027-01-01".parse().ok());
        assert!(q.filters.overdue);
        assert_eq!(q.text, "bao cao");
        assert_eq!(
            q.filters.describe(Lang::Vi),
            ["cơ quan STP,SNV", "quá hạn", "hạn 31/12/2026"]
        );
    }

    #[test]
    fn quotes_keep_text_and_half_typed_or_unknown_words_say_so() {
        let q = parse("\"agency:STP\" 10:30 agency:");
        assert_eq!(q.text, "\"agency:stp\" 10:30");
        assert!(q.filters.is_empty() && q.problems.is_empty(), "{q:?}");
        let q = parse("agnecy:STP status:later agency:XYZ due:soon bao");
        assert_eq!(q.text, "bao");
        assert_eq!(q.problems.len(), 4, "{:?}", q.problems);
        assert!(q.problems[0].contains("\"agnecy:\"") && q.problems[0].contains("agency:"));
        assert!(q.problems[1].contains("blocked"));
        assert!(q.problems[2].contains("XYZ"));
        assert!(q.problems[3].contains("2026-12-31"));
    }

    #[test]
    fn tab_completes_keys_and_values() {
        let (a, g) = (areas(), agencies());
        assert_eq!(complete("st", &a, &g), ["status:"]);
        assert_eq!(
            complete("agency:S", &a, &g),
            ["agency:STP", "agency:SNV", "agency:STC"]
        );
        assert_eq!(complete("agency:STP,sn", &a, &g), ["agency:STP,SNV"]);
        assert_eq!(complete("status:b", &a, &g), ["status:blocked"]);
        assert_eq!(complete("area:", &a, &g), ["area:tthc"]);
        assert!(complete("bao", &a, &g).is_empty());
        assert!(complete("", &a, &g).is_empty());
    }
}
