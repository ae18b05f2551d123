//! The reporting regime's periods (Nghị định 09/2019/NĐ-CP, chế độ báo cáo): what a periodic
//! report covers and the day its figures stand on. A period's data run from the 15th of the
//! month before it to the 14th of its last month, so the four reports of a year are
//! quý I (15/12 of the year before → 14/03), 6 tháng đầu năm (15/12 → 14/06), quý III (15/06 →
//! 14/09, a quarter's window) and năm (15/12 → 14/12). The plan's own report tasks (V.1.5,
//! V.2.1b, V.2.5) use the same four names.

use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};

use super::Lang;

/// Which of the year's four reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodKind {
    /// Quý I.
    Q1,
    /// 6 tháng đầu năm.
    H1,
    /// Quý III.
    Q3,
    /// Năm.
    Year,
}

/// One periodic report's period, e.g. 2026-H1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReportPeriod {
    pub year: i32,
    pub kind: PeriodKind,
}

/// The day a report's figures stand on: the period's cut-off once it has passed, otherwise
/// today, and then the figures are preliminary (số liệu sơ bộ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AsOf {
    pub date: NaiveDate,
    pub preliminary: bool,
}

const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

fn day(year: i32, month: u32, d: u32) -> NaiveDate {
    // Every date built here is the 14th or 15th of a month in YEARS (±1): always valid.
    NaiveDate::from_ymd_opt(year, month, d).unwrap_or_default()
}

impl ReportPeriod {
    pub fn new(year: i32, kind: PeriodKind) -> ReportPeriod {
        ReportPeriod { year, kind }
    }

    /// Reads "2026-Q1", "2026-H1", "2026-Q3", "2026" (the year's report), and the ways people
    /// write them: "2026Q1", "Q1/2026", "2026-6T", "2026-Y"/"2026-N". A calendar quarter
    /// without a report of its own names the report that covers it: Q2 is the half-year's,
    /// Q4 the year's (so the old `--quarter 2026Q4` keeps working).
    pub fn parse(s: &str) -> Result<ReportPeriod, String> {
        let t: String = s
            .trim()
            .to_uppercase()
            .chars()
            .filter(|c| !matches!(c, '-' | '/' | ' ' | '_'))
            .collect();
        let err = || {
            format!(
                "{s:?} is not a reporting period; write 2026-Q1, 2026-H1, 2026-Q3 or 2026 (the year)"
            )
        };
        let digits_at_start = t.chars().take_while(char::is_ascii_digit).count();
        // Year first ("2026H1") or year last ("H12026", from "H1/2026").
        let (year, tag) = if digits_at_start >= 4 {
            (&t[..4], &t[4..])
        } else if t.len() > 4 && t.is_char_boundary(t.len() - 4) {
            (&t[t.len() - 4..], &t[..t.len() - 4])
        } else {
            return Err(err());
        };
        let year: i32 = year.parse().map_err(|_| err())?;
        if !YEARS.contains(&year) {
            return Err(err());
        }
        let kind = match tag {
            "Q1" | "QI" => PeriodKind::Q1,
            "Q2" | "QII" | "H1" | "6T" | "6M" => PeriodKind::H1,
            "Q3" | "QIII" => PeriodKind::Q3,
            "" | "Q4" | "QIV" | "Y" | "N" | "NAM" | "NĂM" => PeriodKind::Year,
            _ => return Err(err()),
        };
        Ok(ReportPeriod { year, kind })
    }

    /// The period whose own stretch of days holds `d`: quý I from 15/12 to 14/03, then the
    /// half-year's new months to 14/06, quý III to 14/09 and the year's last months to 14/12.
    /// That is the report being prepared on `d`.
    pub fn current(d: NaiveDate) -> ReportPeriod {
        let cut = |m| day(d.year(), m, 14);
        let (year, kind) = if d <= cut(3) {
            (d.year(), PeriodKind::Q1)
        } else if d <= cut(6) {
            (d.year(), PeriodKind::H1)
        } else if d <= cut(9) {
            (d.year(), PeriodKind::Q3)
        } else if d <= cut(12) {
            (d.year(), PeriodKind::Year)
        } else {
            (d.year() + 1, PeriodKind::Q1)
        };
        ReportPeriod { year, kind }
    }

    /// The first day of the period's data: the 15th of the month before it.
    pub fn start(self) -> NaiveDate {
        match self.kind {
            PeriodKind::Q3 => day(self.year, 6, 15),
            _ => day(self.year - 1, 12, 15),
        }
    }

    /// The cut-off: the 14th of the period's last month.
    pub fn end(self) -> NaiveDate {
        let month = match self.kind {
            PeriodKind::Q1 => 3,
            PeriodKind::H1 => 6,
            PeriodKind::Q3 => 9,
            PeriodKind::Year => 12,
        };
        day(self.year, month, 14)
    }

    /// From the year's first data day (15/12 of the year before) to the cut-off: what
    /// provinces give beside quý III as the nine months' figures.
    pub fn year_to_date(self) -> (NaiveDate, NaiveDate) {
        (day(self.year - 1, 12, 15), self.end())
    }

    /// The days this period adds to the one before it (for H1 and the year, their last
    /// months; for the quarters, the whole window).
    pub fn own_days(self) -> (NaiveDate, NaiveDate) {
        (
            self.previous().end().succ_opt().unwrap_or_default(),
            self.end(),
        )
    }

    pub fn previous(self) -> ReportPeriod {
        let (year, kind) = match self.kind {
            PeriodKind::Q1 => (self.year - 1, PeriodKind::Year),
            PeriodKind::H1 => (self.year, PeriodKind::Q1),
            PeriodKind::Q3 => (self.year, PeriodKind::H1),
            PeriodKind::Year => (self.year, PeriodKind::Q3),
        };
        ReportPeriod { year, kind }
    }

    pub fn next(self) -> ReportPeriod {
        let (year, kind) = match self.kind {
            PeriodKind::Q1 => (self.year, PeriodKind::H1),
            PeriodKind::H1 => (self.year, PeriodKind::Q3),
            PeriodKind::Q3 => (self.year, PeriodKind::Year),
            PeriodKind::Year => (self.year + 1, PeriodKind::Q1),
        };
        ReportPeriod { year, kind }
    }

    /// The day the figures stand on, given today: the cut-off once it has passed (on the
    /// 14th itself the day's work is still coming in, so its figures are still preliminary).
    pub fn as_of(self, today: NaiveDate) -> AsOf {
        if today > self.end() {
            AsOf {
                date: self.end(),
                preliminary: false,
            }
        } else {
            AsOf {
                date: today,
                preliminary: true,
            }
        }
    }

    /// "quý I năm 2026", "6 tháng đầu năm 2026", "quý III năm 2026", "năm 2026": as a report's
    /// title says it after "Báo cáo kết quả thực hiện công tác cải cách hành chính".
    pub fn label(self, lang: Lang) -> String {
        let y = self.year;
        match (lang, self.kind) {
            (Lang::Vi, PeriodKind::Q1) => format!("quý I năm {y}"),
            (Lang::Vi, PeriodKind::H1) => format!("6 tháng đầu năm {y}"),
            (Lang::Vi, PeriodKind::Q3) => format!("quý III năm {y}"),
            (Lang::Vi, PeriodKind::Year) => format!("năm {y}"),
            (Lang::En, PeriodKind::Q1) => format!("Q1 {y}"),
            (Lang::En, PeriodKind::H1) => format!("first half of {y}"),
            (Lang::En, PeriodKind::Q3) => format!("Q3 {y}"),
            (Lang::En, PeriodKind::Year) => format!("year {y}"),
        }
    }

    /// The label with a capital first letter, for the start of a line or a cell.
    pub fn title(self, lang: Lang) -> String {
        let label = self.label(lang);
        let mut chars = label.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => label,
        }
    }
}

impl std::fmt::Display for ReportPeriod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            PeriodKind::Q1 => write!(f, "{}-Q1", self.year),
            PeriodKind::H1 => write!(f, "{}-H1", self.year),
            PeriodKind::Q3 => write!(f, "{}-Q3", self.year),
            PeriodKind::Year => write!(f, "{}", self.year),
        }
    }
}

impl std::str::FromStr for ReportPeriod {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReportPeriod::parse(s)
    }
}

impl Serialize for ReportPeriod {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn p(s: &str) -> ReportPeriod {
        ReportPeriod::parse(s).unwrap()
    }

    #[test]
    fn the_regimes_four_windows() {
        let w = |s| (p(s).start().to_string(), p(s).end().to_string());
        let own = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(w("2026-Q1"), own("2025-12-15", "2026-03-14"));
        assert_eq!(w("2026-H1"), own("2025-12-15", "2026-06-14"));
        assert_eq!(w("2026-Q3"), own("2026-06-15", "2026-09-14"));
        assert_eq!(w("2026"), own("2025-12-15", "2026-12-14"));
        assert_eq!(
            p("2026-Q3").year_to_date(),
            (d("2025-12-15"), d("2026-09-14"))
        );
        assert_eq!(p("2026-H1").own_days(), (d("2026-03-15"), d("2026-06-14")));
        assert_eq!(p("2026").own_days(), (d("2026-09-15"), d("2026-12-14")));
    }

    #[test]
    fn spellings_and_the_old_quarters() {
        for (input, want) in [
            ("2026-Q1", "2026-Q1"),
            ("2026q1", "2026-Q1"),
            ("Q1/2026", "2026-Q1"),
            ("2026-H1", "2026-H1"),
            ("h1/2026", "2026-H1"),
            ("2026-6T", "2026-H1"),
            ("2026Q2", "2026-H1"),
            ("2026-Q3", "2026-Q3"),
            ("2026", "2026"),
            ("2026Q4", "2026"),
            ("Q4/2026", "2026"),
            (" 2027-y ", "2027"),
        ] {
            assert_eq!(p(input).to_string(), want, "{input}");
        }
        for bad in [
            "", "soon", "2026Q5", "2026-H2", "1999", "Q3", "26Q3", "2026Q1x", "ẞ2026",
        ] {
            assert!(ReportPeriod::parse(bad).is_err(), "{bad:?} was accepted");
        }
        // Display reads back as itself.
        for s in ["2026-Q1", "2026-H1", "2026-Q3", "2026"] {
            assert_eq!(p(&p(s).to_string()), p(s));
        }
    }

    #[test]
    fn the_period_being_prepared_on_a_day() {
        for (on, want) in [
            ("2026-01-01", "2026-Q1"),
            ("2026-03-14", "2026-Q1"),
            ("2026-03-15", "2026-H1"),
            ("2026-06-14", "2026-H1"),
            ("2026-06-15", "2026-Q3"),
            ("2026-09-15", "2026"),
            ("2026-12-07", "2026"),
            ("2026-12-14", "2026"),
            ("2026-12-15", "2027-Q1"),
            ("2026-12-31", "2027-Q1"),
        ] {
            assert_eq!(ReportPeriod::current(d(on)).to_string(), want, "{on}");
        }
    }

    #[test]
    fn previous_and_next_walk_the_year() {
        let mut period = p("2026-Q1");
        let mut seen = vec![period.to_string()];
        for _ in 0..4 {
            period = period.next();
            seen.push(period.to_string());
        }
        assert_eq!(seen, ["2026-Q1", "2026-H1", "2026-Q3", "2026", "2027-Q1"]);
        assert_eq!(period.previous(), p("2026"));
        assert_eq!(p("2026-Q1").previous(), p("2025"));
    }

    #[test]
    fn figures_stand_on_the_cut_off_or_on_today_as_preliminary() {
        let year = p("2026");
        assert_eq!(
            year.as_of(d("2026-12-07")),
            AsOf {
                date: d("2026-12-07"),
                preliminary: true
            }
        );
        assert_eq!(
            year.as_of(d("2026-12-14")),
            AsOf {
                date: d("2026-12-14"),
                preliminary: true
            }
        );
        assert_eq!(
            year.as_of(d("2026-12-15")),
            AsOf {
                date: d("2026-12-14"),
                preliminary: false
            }
        );
        assert_eq!(
            year.as_of(d("2027-02-01")),
            AsOf {
                date: d("2026-12-14"),
                preliminary: false
            }
        );
        // A period that has not begun: today's figures, never a day that has not come.
        assert_eq!(
            p("2027-Q3").as_of(d("2026-12-07")),
            AsOf {
                date: d("2026-12-07"),
                preliminary: true
            }
        );
    }

    #[test]
    fn labels_as_the_plan_names_them() {
        assert_eq!(p("2026-Q1").label(Lang::Vi), "quý I năm 2026");
        assert_eq!(p("2026-H1").label(Lang::Vi), "6 tháng đầu năm 2026");
        assert_eq!(p("2026-Q3").title(Lang::Vi), "Quý III năm 2026");
        assert_eq!(p("2026").title(Lang::Vi), "Năm 2026");
        assert_eq!(p("2026-H1").label(Lang::En), "first half of 2026");
        assert_eq!(serde_json::to_string(&p("2026-H1")).unwrap(), "\"2026-H1\"");
    }
}
