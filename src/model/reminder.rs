//! Đôn đốc: a letter urging an agency (công văn đôn đốc) as the store keeps it, who may make
//! one, and what the screens and reports say beside an agency's overdue tasks afterwards:
//! "đã đôn đốc 12/11/2026 (lần 2)".

use chrono::NaiveDate;
use serde::Serialize;

use super::{Lang, ReportPeriod};

/// One letter urging an agency, and its mail once a server accepted it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reminder {
    pub id: i64,
    pub agency: String,
    /// The reporting period whose sheet went with it.
    pub period: ReportPeriod,
    /// The tasks the letter names, overdue first.
    pub tasks: Vec<i64>,
    /// The day by which the agency is asked to report back.
    pub respond_by: NaiveDate,
    /// The province's date the letter was made on.
    pub made_on: NaiveDate,
    pub made_by: String,
    /// The instant of its change-log entry.
    pub made_at: String,
    pub mail: Option<Mailed>,
}

/// A mail the server accepted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mailed {
    /// The addresses it was sent to.
    pub to: Vec<String>,
    /// The instant of its change-log entry.
    pub at: String,
    /// Its Message-ID header, without the angle brackets.
    pub message_id: String,
}

/// How often, and when last, some tasks were named in a letter urging their agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reminded {
    pub last: NaiveDate,
    pub times: usize,
}

impl Reminded {
    /// The reminders among `reminders` that name a task `wanted` accepts: how many, and the
    /// latest day; `None` when none does.
    pub fn of(reminders: &[Reminder], wanted: impl Fn(i64) -> bool) -> Option<Reminded> {
        let named: Vec<&Reminder> = reminders
            .iter()
            .filter(|r| r.tasks.iter().any(|&t| wanted(t)))
            .collect();
        let last = named.iter().map(|r| r.made_on).max()?;
        Some(Reminded {
            last,
            times: named.len(),
        })
    }

    /// "đã đôn đốc 12/11/2026 (lần 2)", "reminded 12/11/2026 (2 times)".
    pub fn label(&self, lang: Lang) -> String {
        let day = self.last.format("%d/%m/%Y");
        match lang {
            Lang::Vi => format!("đã đôn đốc {day} (lần {})", self.times),
            Lang::En if self.times == 1 => format!("reminded {day} (once)"),
            Lang::En => format!("reminded {day} ({} times)", self.times),
        }
    }
}

/// Who may urge agencies (write a reminder): a secretary always; by the file's rule, also
/// every member, or the members of one agency (the secretariat's office).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub enum RemindRule {
    #[default]
    Secretary,
    Member,
    Agency(String),
}

impl RemindRule {
    /// As the file keeps it (`meta` remind_by): "secretary", "member", "agency:SNV".
    pub fn as_stored(&self) -> String {
        match self {
            RemindRule::Secretary => "secretary".into(),
            RemindRule::Member => "member".into(),
            RemindRule::Agency(code) => format!("agency:{code}"),
        }
    }

    /// Reads what the file keeps; anything else is the default (secretaries only), which can
    /// only narrow who may.
    pub fn from_stored(s: &str) -> RemindRule {
        match s.split_once(':') {
            Some(("agency", code)) if !code.is_empty() => RemindRule::Agency(code.to_string()),
            _ if s == "member" => RemindRule::Member,
            _ => RemindRule::Secretary,
        }
    }

    /// Whether a registered member of `agency` (not a secretary) may urge under this rule.
    pub fn lets_member_of(&self, agency: &str) -> bool {
        match self {
            RemindRule::Secretary => false,
            RemindRule::Member => true,
            RemindRule::Agency(code) => code == agency,
        }
    }

    /// Who may, in words: "chỉ thư ký", "thư ký và thành viên SNV".
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (RemindRule::Secretary, Lang::Vi) => "chỉ thư ký".into(),
            (RemindRule::Secretary, Lang::En) => "secretaries only".into(),
            (RemindRule::Member, Lang::Vi) => "thư ký và mọi thành viên".into(),
            (RemindRule::Member, Lang::En) => "secretaries and every member".into(),
            (RemindRule::Agency(c), Lang::Vi) => format!("thư ký và thành viên {c}"),
            (RemindRule::Agency(c), Lang::En) => format!("secretaries and {c}'s members"),
        }
    }
}

impl From<RemindRule> for String {
    fn from(r: RemindRule) -> String {
        r.as_stored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reminder(id: i64, on: &str, tasks: &[i64]) -> Reminder {
        Reminder {
            id,
            agency: "STP".into(),
            period: ReportPeriod::parse("2026").unwrap(),
            tasks: tasks.to_vec(),
            respond_by: on.parse().unwrap(),
            made_on: on.parse().unwrap(),
            made_by: "lan".into(),
            made_at: format!("{on}T02:00:00.000Z"),
            mail: None,
        }
    }

    #[test]
    fn reminded_counts_the_letters_that_name_a_task() {
        let rs = [
            reminder(1, "2026-10-01", &[5, 6]),
            reminder(2, "2026-11-12", &[6, 7]),
            reminder(3, "2026-11-02", &[9]),
        ];
        let of = |ids: &[i64]| Reminded::of(&rs, |t| ids.contains(&t));
        let twice = of(&[6]).unwrap();
        assert_eq!(
            (twice.last.to_string(), twice.times),
            ("2026-11-12".into(), 2)
        );
        assert_eq!(twice.label(Lang::Vi), "đã đôn đốc 12/11/2026 (lần 2)");
        assert_eq!(twice.label(Lang::En), "reminded 12/11/2026 (2 times)");
        assert_eq!(
            of(&[5]).unwrap().label(Lang::En),
            "reminded 01/10/2026 (once)"
        );
        assert_eq!(of(&[5, 9]).unwrap().times, 2);
        assert_eq!(of(&[8]), None);
    }

    #[test]
    fn the_rule_reads_back_and_defaults_to_secretaries() {
        for rule in [
            RemindRule::Secretary,
            RemindRule::Member,
            RemindRule::Agency("SNV".into()),
        ] {
            assert_eq!(RemindRule::from_stored(&rule.as_stored()), rule);
        }
        assert_eq!(RemindRule::from_stored("agency:"), RemindRule::Secretary);
        assert_eq!(RemindRule::from_stored("anyone"), RemindRule::Secretary);
        assert!(RemindRule::Agency("SNV".into()).lets_member_of("SNV"));
        assert!(!RemindRule::Agency("SNV".into()).lets_member_of("STP"));
        assert!(!RemindRule::Secretary.lets_member_of("SNV"));
        assert!(RemindRule::Member.lets_member_of("STP"));
    }
}
