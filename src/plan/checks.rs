//! The small checks every part of the plan data goes through: codes, text, dates in the plan's
//! period, plan references and their natural order.

use super::*;

pub(super) fn duplicate(what: &'static str, code: &str) -> PlanError {
    PlanError::Duplicate {
        what,
        code: code.to_string(),
    }
}

pub(super) fn check_code(context: &str, code: &str, ok: fn(&str) -> bool) -> Result<(), PlanError> {
    if ok(code) {
        Ok(())
    } else {
        Err(invalid(context, format!("malformed code `{code}`")))
    }
}

/// `tthc`, `chinh-quyen-so`, `tthc-dvctt-toan-trinh`: lower-case ASCII words joined by `-`.
pub(super) fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `SNV`, `SGDDT`: upper-case ASCII letters (digits allowed after the first).
pub(super) fn is_upper_code(s: &str) -> bool {
    s.len() <= 12
        && s.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// NFC, trimmed, non-empty and at most `max` characters.
pub(super) fn text(context: &str, field: &str, s: &str, max: usize) -> Result<String, PlanError> {
    let s = nfc(s);
    if s.is_empty() {
        return Err(invalid(context, format!("{field} is empty")));
    }
    let len = s.chars().count();
    if len > max {
        return Err(invalid(
            context,
            format!("{field} has {len} characters, more than {max}"),
        ));
    }
    Ok(s)
}

pub(super) fn date(context: &str, d: &Date) -> Result<NaiveDate, PlanError> {
    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        .ok_or_else(|| invalid(context, format!("{d} is not a calendar date")))
}

pub(super) fn in_period(context: &str, d: NaiveDate) -> Result<NaiveDate, PlanError> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(PlanError::OutOfPeriod {
            context: context.to_string(),
            date: d,
        })
    }
}

/// A result published after its year may fall due in `LAST_RESULT_YEAR`.
pub(super) fn in_result_period(context: &str, d: NaiveDate) -> Result<NaiveDate, PlanError> {
    if (FIRST_YEAR..=LAST_RESULT_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(invalid(
            context,
            format!("{d} is outside {FIRST_YEAR}-01-01 to {LAST_RESULT_YEAR}-12-31"),
        ))
    }
}

pub(super) fn ymd(context: &str, year: i32, month: u32, day: u32) -> Result<NaiveDate, PlanError> {
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| invalid(context, format!("{year}-{month:02}-{day:02} is not a date")))
}

/// Inferred coordinating agencies must be among the coordinating ones.
pub(super) fn inferred_subset(
    context: &str,
    all: &[String],
    inferred: &[String],
) -> Result<(), PlanError> {
    match inferred.iter().find(|c| !all.contains(c)) {
        Some(code) => Err(invalid(
            context,
            format!("coordinating_inferred `{code}` is not in coordinating"),
        )),
        None => Ok(()),
    }
}

/// Sort key of a base plan_ref ("III.2.1a", "V.12"): the section's Roman numeral, then each
/// number with its letter suffix, so that III.2 < III.10 and V.1.1a < V.1.1b < V.1.2.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct RefKey(pub(super) u32, pub(super) Vec<(u32, String)>);

pub(super) fn base_ref(
    plan_ref: &str,
    what: &str,
    seen: &mut HashSet<String>,
) -> Result<RefKey, PlanError> {
    let context = format!("{what} {plan_ref}");
    let key = ref_key(plan_ref).ok_or_else(|| {
        invalid(
            &context,
            "plan_ref must look like `III.2.1`, `III.2.1a` or `V.12`",
        )
    })?;
    if !seen.insert(plan_ref.to_string()) {
        return Err(duplicate("plan_ref", plan_ref));
    }
    Ok(key)
}

pub(super) fn ref_key(plan_ref: &str) -> Option<RefKey> {
    const ROMAN: [&str; 10] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
    let mut parts = plan_ref.split('.');
    let section = parts.next()?;
    let section = ROMAN.iter().position(|r| *r == section)? as u32 + 1;
    let mut rest = Vec::new();
    for part in parts {
        let digits = part.bytes().take_while(u8::is_ascii_digit).count();
        let (number, letters) = part.split_at(digits);
        if number.is_empty() || number.starts_with('0') || number.len() > 3 {
            return None;
        }
        if letters.len() > 1 || !letters.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        rest.push((number.parse().ok()?, letters.to_string()));
    }
    if rest.is_empty() {
        return None;
    }
    Some(RefKey(section, rest))
}
