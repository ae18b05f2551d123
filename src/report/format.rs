//! Numbers, dates and instants as the report (and the CLI's tables) write them in each language.

use super::*;

/// A number as each language writes it: Vietnamese uses a decimal comma.
pub fn num(v: f64, lang: Lang) -> String {
    let s = if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    match lang {
        Lang::Vi => s.replace('.', ","),
        Lang::En => s,
    }
}

pub fn value(unit: Unit, v: f64, lang: Lang) -> String {
    match (unit, lang) {
        (Unit::Percent, _) => format!("{}%", num(v, lang)),
        (Unit::Level, Lang::Vi) => format!("cấp độ {}", num(v, lang)),
        (Unit::Level, Lang::En) => format!("level {}", num(v, lang)),
    }
}

/// A figure in a document: thousands grouped and the decimal mark as each language writes them
/// (vi 11.800 and 95,5; en 11,800 and 95.5), at most one decimal.
pub use crate::text::figure;

/// A count in a document, grouped as [`figure`] groups.
pub fn count(n: usize, lang: Lang) -> String {
    figure(n as f64, lang)
}

/// An indicator value in a document: [`figure`] with its unit.
pub fn figure_value(unit: Unit, v: f64, lang: Lang) -> String {
    match (unit, lang) {
        (Unit::Percent, _) => format!("{}%", figure(v, lang)),
        (Unit::Level, Lang::Vi) => format!("cấp độ {}", figure(v, lang)),
        (Unit::Level, Lang::En) => format!("level {}", figure(v, lang)),
    }
}

/// Dates as Vietnamese officials write them: 31/12/2026.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A stored instant (RFC 3339, as the change log writes it in UTC) as people read it: the
/// local date day first and the time to the minute, "01/12/2026 19:40". Text that is not an
/// instant is returned as it is.
pub fn instant(at: &str) -> String {
    instant_in(at, &chrono::Local)
}

/// [`instant`] in a given time zone.
pub fn instant_in<Tz: chrono::TimeZone>(at: &str, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => t.with_timezone(tz).format("%d/%m/%Y %H:%M").to_string(),
        Err(_) => at.to_string(),
    }
}
