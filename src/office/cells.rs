//! What a returned cell holds, as cchc reads it. A cell may have been saved by Excel,
//! LibreOffice or a script: dates come as date cells, plain serial numbers or text dd/mm/yyyy;
//! numbers as numbers or text ("40%", "87,5"). Every value is checked before it is converted:
//! a serial date is turned into a date only within the years cchc accepts (2000–2100), so a
//! date cell of −1e12 is a bad cell, never an overflow. Reasons are in the reader's language.

use calamine::{Data, DataType};
use chrono::{Datelike, NaiveDate};

use crate::model::Lang;
use crate::untrusted;

/// Serial numbers of 01/01/2000 and 31/12/2100 in Excel's 1900 date system; 1904 workbooks
/// count 1462 days fewer, so their range starts lower.
const FIRST_SERIAL: f64 = 36_526.0 - 1_462.0;
const LAST_SERIAL: f64 = 73_415.0 + 1.0;

fn say(lang: Lang, vi: String, en: String) -> String {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// The text of a cell, trimmed; `None` when empty. A number reads as people write it.
pub fn text(d: &Data) -> Option<String> {
    match d {
        Data::Empty => None,
        Data::String(s) => {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        }
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(format!("{}", *f as i64)),
        other => other
            .as_string()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
    }
}

/// A whole number: a number cell without a fraction, or text of one.
pub fn int(d: &Data) -> Option<i64> {
    match d {
        Data::Int(i) => Some(*i),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(*f as i64),
        Data::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A serial day number as a date, within 2000–2100 only.
fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !(FIRST_SERIAL..LAST_SERIAL).contains(&serial) {
        return None;
    }
    // Inside that range the conversion cannot overflow.
    let dt = calamine::ExcelDateTime::new(serial, calamine::ExcelDateTimeType::DateTime, false);
    dt.as_datetime().map(|dt| dt.date()).and_then(in_years)
}

fn in_years(d: NaiveDate) -> Option<NaiveDate> {
    (2000..=2100).contains(&d.year()).then_some(d)
}

/// A date cell: a real date, an Excel serial number, or text dd/mm/yyyy (or yyyy-mm-dd).
pub fn date(d: &Data, lang: Lang) -> Result<Option<NaiveDate>, String> {
    let out_of_range = |shown: String| {
        say(
            lang,
            format!("{shown} không phải một ngày trong khoảng 2000–2100; ghi ngày dạng dd/mm/yyyy"),
            format!("{shown} is not a date from 2000 to 2100; write the date as dd/mm/yyyy"),
        )
    };
    match d {
        Data::Empty => Ok(None),
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            // The workbook's date system is not shown, so the 1904 one is read through
            // calamine, once the number is known to be in range.
            if !(FIRST_SERIAL..LAST_SERIAL).contains(&serial) {
                return Err(out_of_range(serial.to_string()));
            }
            d.as_date()
                .and_then(in_years)
                .map(Some)
                .ok_or_else(|| out_of_range(serial.to_string()))
        }
        Data::DateTimeIso(s) => d
            .as_date()
            .and_then(in_years)
            .map(Some)
            .ok_or_else(|| out_of_range(format!("{:?}", untrusted::line(s)))),
        Data::Float(v) => serial_date(*v)
            .map(Some)
            .ok_or_else(|| out_of_range(v.to_string())),
        Data::Int(v) => serial_date(*v as f64)
            .map(Some)
            .ok_or_else(|| out_of_range(v.to_string())),
        other => match text(other) {
            None => Ok(None),
            Some(s) => crate::context::parse_date(&s).map(Some).map_err(|_| {
                say(
                    lang,
                    format!(
                        "{:?} không phải một ngày; ghi ngày dạng dd/mm/yyyy",
                        untrusted::line(&s)
                    ),
                    format!(
                        "{:?} is not a date; write it as dd/mm/yyyy",
                        untrusted::line(&s)
                    ),
                )
            }),
        },
    }
}

/// A number: a number cell, or text of one ("87,5", "1.250", "40%").
pub fn number(d: &Data, lang: Lang) -> Result<Option<f64>, String> {
    let value = match d {
        Data::Empty => return Ok(None),
        Data::Int(i) => *i as f64,
        Data::Float(f) => *f,
        other => match text(other) {
            None => return Ok(None),
            Some(s) => crate::context::parse_number(&s).map_err(|_| {
                say(
                    lang,
                    format!("{:?} không phải một số", untrusted::line(&s)),
                    format!("{:?} is not a number", untrusted::line(&s)),
                )
            })?,
        },
    };
    if value.is_finite() {
        Ok(Some(value))
    } else {
        Err(say(
            lang,
            "giá trị không phải một số".into(),
            "the value is not a number".into(),
        ))
    }
}

/// A progress percentage: a whole number from 0 to 100.
pub fn percent(d: &Data, lang: Lang) -> Result<Option<u8>, String> {
    let bad = |shown: String| {
        say(
            lang,
            format!("tiến độ {shown} không phải số nguyên từ 0 đến 100"),
            format!("progress {shown} is not a whole number from 0 to 100"),
        )
    };
    match number(d, lang) {
        Err(_) => Err(bad(format!("{:?}", text(d).unwrap_or_default()))),
        Ok(None) => Ok(None),
        Ok(Some(v)) if v.fract() == 0.0 && (0.0..=100.0).contains(&v) => Ok(Some(v as u8)),
        Ok(Some(v)) => Err(bad(v.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn date_cell(v: f64) -> Data {
        Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false))
    }

    #[test]
    fn dates_come_as_cells_serials_or_text() {
        let serial = 46331.0; // 2026-11-05 in Excel's 1900 system
        assert_eq!(
            date(&date_cell(serial), Lang::En),
            Ok(Some(d("2026-11-05")))
        );
        assert_eq!(
            date(&Data::Float(serial), Lang::En),
            Ok(Some(d("2026-11-05")))
        );
        assert_eq!(
            date(&Data::String("05/11/2026".into()), Lang::En),
            Ok(Some(d("2026-11-05")))
        );
        assert_eq!(
            date(&Data::String(" 2026-11-05 ".into()), Lang::En),
            Ok(Some(d("2026-11-05")))
        );
        assert_eq!(
            date(&Data::DateTimeIso("2026-11-05T00:00:00".into()), Lang::En),
            Ok(Some(d("2026-11-05")))
        );
        assert_eq!(date(&Data::Empty, Lang::En), Ok(None));
        assert_eq!(date(&Data::String("  ".into()), Lang::En), Ok(None));
        let bad = date(&Data::String("31/02/2026".into()), Lang::En).unwrap_err();
        assert!(bad.contains("dd/mm/yyyy"), "{bad}");
    }

    #[test]
    fn serial_dates_out_of_range_are_bad_cells_not_overflows() {
        // −1e12 overflowed calamine's conversion (a panic, exit 101) before it was checked.
        for v in [
            -1e12,
            -1.0,
            0.0,
            1.0,
            36_000.0,
            80_000.0,
            1e12,
            f64::MAX,
            f64::NAN,
        ] {
            for cell in [date_cell(v), Data::Float(v)] {
                let e = date(&cell, Lang::Vi).unwrap_err();
                assert!(e.contains("2000–2100"), "{v}: {e}");
            }
        }
        assert_eq!(date(&Data::Int(-5), Lang::En).map_err(|_| ()), Err(()));
        assert_eq!(
            date(&date_cell(36_526.0), Lang::En),
            Ok(Some(d("2000-01-01")))
        );
        assert_eq!(
            date(&date_cell(73_415.0), Lang::En),
            Ok(Some(d("2100-12-31")))
        );
        assert!(date(&Data::DateTimeIso("1850-01-01".into()), Lang::En).is_err());
    }

    #[test]
    fn progress_is_a_whole_number_from_0_to_100() {
        assert_eq!(percent(&Data::Float(40.0), Lang::En), Ok(Some(40)));
        assert_eq!(percent(&Data::Int(100), Lang::En), Ok(Some(100)));
        assert_eq!(percent(&Data::String("40%".into()), Lang::En), Ok(Some(40)));
        assert_eq!(percent(&Data::Empty, Lang::En), Ok(None));
        for bad in [
            Data::Float(101.0),
            Data::Float(4.5),
            Data::Float(-1.0),
            Data::Float(f64::INFINITY),
            Data::String("nhiều".into()),
        ] {
            let e = percent(&bad, Lang::En).unwrap_err();
            assert!(e.contains("whole number from 0 to 100"), "{e}");
            let e = percent(&bad, Lang::Vi).unwrap_err();
            assert!(e.contains("số nguyên từ 0 đến 100"), "{e}");
        }
    }

    #[test]
    fn numbers_as_text_and_ids() {
        assert_eq!(
            number(&Data::String("87,5".into()), Lang::En),
            Ok(Some(87.5))
        );
        assert_eq!(int(&Data::Float(12.0)), Some(12));
        assert_eq!(int(&Data::Float(1e300)), None);
        assert_eq!(int(&Data::String(" 7 ".into())), Some(7));
        assert_eq!(text(&Data::Float(12.0)).as_deref(), Some("12"));
    }
}
