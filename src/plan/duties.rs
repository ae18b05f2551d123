//! Duties: a schedule (once, yearly, quarterly reports…) checked and turned into dated periods,
//! the same for every lead agency.

use super::*;

/// One dated period of a duty: the plan_ref suffix, the `{period}` text, the recurrence and the
/// due date.
pub(super) struct Period {
    pub(super) suffix: String,
    pub(super) label: String,
    pub(super) recurrence: Recurrence,
    pub(super) due: NaiveDate,
}

/// Checks a duty and fills in its periods; returns it with the agencies it names or whose kind
/// it addresses now.
pub(super) fn duty(
    codes: &Codes,
    agencies: &[Agency],
    d: &RawDuty,
) -> Result<(Duty, Vec<String>), PlanError> {
    let context = format!("duty {}", d.plan_ref);
    codes.area(&context, &d.area)?;

    let leads: Vec<String> = match (d.for_agencies.is_empty(), d.for_kinds.is_empty()) {
        (false, true) => {
            let mut seen = HashSet::new();
            for code in &d.for_agencies {
                codes.agency(&context, code)?;
                if !seen.insert(code.as_str()) {
                    return Err(invalid(
                        &context,
                        format!("agency `{code}` is listed twice"),
                    ));
                }
            }
            d.for_agencies.clone()
        }
        (true, false) => {
            let leads: Vec<String> = agencies
                .iter()
                .filter(|a| d.for_kinds.contains(&a.kind))
                .map(|a| a.code.clone())
                .collect();
            if leads.is_empty() {
                return Err(invalid(
                    &context,
                    "no agency has any of the kinds in for_kinds",
                ));
            }
            leads
        }
        _ => {
            return Err(invalid(
                &context,
                "give exactly one of for_agencies and for_kinds",
            ));
        }
    };
    for lead in &leads {
        codes.coordinating(&context, lead, &d.coordinating)?;
    }
    inferred_subset(&context, &d.coordinating, &d.coordinating_inferred)?;

    let periods = periods(&context, d)?;
    let recurring = d.schedule != Schedule::Once;
    if recurring != d.title.contains(PERIOD) {
        return Err(invalid(
            &context,
            if recurring {
                "the title of a recurring duty must say its {period}"
            } else {
                "a once duty has no {period}"
            },
        ));
    }
    if !recurring && d.output.contains(PERIOD) {
        return Err(invalid(&context, "a once duty has no {period}"));
    }
    for field in [&d.title, &d.output] {
        if field.replace(PERIOD, "").contains(['{', '}']) {
            return Err(invalid(
                &context,
                format!("unknown placeholder in `{field}` (only {PERIOD} exists)"),
            ));
        }
    }

    // The periods are the same for every lead; a problem is named on the first lead's instance.
    let first = leads.first().map(String::as_str).unwrap_or_default();
    let mut filled = Vec::with_capacity(periods.len());
    for p in periods {
        let context = format!("duty {}/{first}{}", d.plan_ref, p.suffix);
        filled.push(DutyPeriod {
            title: text(
                &context,
                "title",
                &d.title.replace(PERIOD, &p.label),
                TITLE_MAX,
            )?,
            output: text(
                &context,
                "output",
                &d.output.replace(PERIOD, &p.label),
                OUTPUT_MAX,
            )?,
            due: if d.schedule == Schedule::YearlyAfter {
                in_result_period(&context, p.due)?
            } else {
                in_period(&context, p.due)?
            },
            suffix: p.suffix,
            recurrence: p.recurrence,
        });
    }
    let duty = Duty {
        plan_ref: d.plan_ref.clone(),
        area: d.area.clone(),
        for_kinds: d.for_kinds.clone(),
        coordinating: d.coordinating.clone(),
        coordinating_inferred: d.coordinating_inferred.clone(),
        detail: crate::text::nfc(&d.detail),
        periods: filled,
    };
    Ok((duty, leads))
}

/// The periods a duty's schedule yields, after checking that only the fields its schedule uses
/// are given.
pub(super) fn periods(context: &str, d: &RawDuty) -> Result<Vec<Period>, PlanError> {
    let s = d.schedule;
    let misplaced = [
        ("due", d.due.is_some(), s == Schedule::Once),
        (
            "first_due",
            d.first_due.is_some(),
            s == Schedule::YearlyAhead,
        ),
        (
            "due_day",
            d.due_day.is_some(),
            matches!(
                s,
                Schedule::ReportCycle | Schedule::YearlyAhead | Schedule::YearlyAfter
            ),
        ),
        (
            "due_month",
            d.due_month.is_some(),
            matches!(s, Schedule::YearlyAhead | Schedule::YearlyAfter),
        ),
        ("years", d.years.is_some(), s != Schedule::Once),
    ];
    for (field, given, allowed) in misplaced {
        if given && !allowed {
            return Err(invalid(
                context,
                format!("`{field}` does not apply to this schedule"),
            ));
        }
    }

    if s == Schedule::Once {
        let due = d
            .due
            .as_ref()
            .ok_or_else(|| invalid(context, "a once duty needs `due`"))?;
        return Ok(vec![Period {
            suffix: String::new(),
            label: String::new(),
            recurrence: Recurrence::Once,
            due: date(context, due)?,
        }]);
    }

    let years: Vec<i32> = match &d.years {
        None => (FIRST_YEAR..=LAST_YEAR).collect(),
        Some(ys) => {
            if ys.is_empty() {
                return Err(invalid(context, "`years` is empty"));
            }
            for (i, &y) in ys.iter().enumerate() {
                if !(FIRST_YEAR..=LAST_YEAR).contains(&y) {
                    return Err(invalid(
                        context,
                        format!("year {y} is outside {FIRST_YEAR}–{LAST_YEAR}"),
                    ));
                }
                if i > 0 && ys[i - 1] >= y {
                    return Err(invalid(
                        context,
                        "`years` must be ascending, without repeats",
                    ));
                }
            }
            ys.clone()
        }
    };

    let mut out = Vec::new();
    for (i, &y) in years.iter().enumerate() {
        match s {
            Schedule::Once => unreachable!("handled above"),
            Schedule::Yearly => out.push(Period {
                suffix: format!("/{y}"),
                label: format!("năm {y}"),
                recurrence: Recurrence::Yearly,
                due: ymd(context, y, 12, 31)?,
            }),
            Schedule::YearlyAhead => {
                let due = match (&d.first_due, i) {
                    (Some(first), 0) => date(context, first)?,
                    _ => ymd(
                        context,
                        y - 1,
                        d.due_month.unwrap_or(12),
                        d.due_day.unwrap_or(31),
                    )?,
                };
                out.push(Period {
                    suffix: format!("/{y}"),
                    label: format!("năm {y}"),
                    recurrence: Recurrence::Yearly,
                    due,
                });
            }
            Schedule::YearlyAfter => out.push(Period {
                suffix: format!("/{y}"),
                label: format!("năm {y}"),
                recurrence: Recurrence::Yearly,
                due: ymd(
                    context,
                    y + 1,
                    d.due_month.unwrap_or(3),
                    d.due_day.unwrap_or(31),
                )?,
            }),
            Schedule::ReportCycle => {
                let day = d.due_day.unwrap_or(DEFAULT_DUE_DAY);
                if !(1..=28).contains(&day) {
                    return Err(invalid(
                        context,
                        format!("due_day {day} is not between 1 and 28"),
                    ));
                }
                let slots = [
                    (1, format!("quý I/{y}"), Recurrence::Quarterly, 3),
                    (2, format!("6 tháng đầu năm {y}"), Recurrence::HalfYearly, 6),
                    (3, format!("quý III/{y}"), Recurrence::Quarterly, 9),
                    (4, format!("năm {y}"), Recurrence::Yearly, 12),
                ];
                for (q, label, recurrence, month) in slots {
                    out.push(Period {
                        suffix: format!("/{y}-Q{q}"),
                        label,
                        recurrence,
                        due: ymd(context, y, month, day)?,
                    });
                }
            }
        }
    }
    Ok(out)
}
