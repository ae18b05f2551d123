//! From the TOML shape to the model: every code, reference and value checked, areas, agencies,
//! indicators and one-off tasks mapped.

use super::*;

/// The codes defined so far, for reference checks.
pub(super) struct Codes<'a> {
    pub(super) areas: HashSet<&'a str>,
    pub(super) agencies: HashSet<&'a str>,
}

impl Codes<'_> {
    pub(super) fn area(&self, context: &str, code: &str) -> Result<(), PlanError> {
        if self.areas.contains(code) {
            Ok(())
        } else {
            Err(PlanError::Unknown {
                context: context.to_string(),
                what: "area",
                code: code.to_string(),
            })
        }
    }

    pub(super) fn agency(&self, context: &str, code: &str) -> Result<(), PlanError> {
        if self.agencies.contains(code) {
            Ok(())
        } else {
            Err(PlanError::Unknown {
                context: context.to_string(),
                what: "agency",
                code: code.to_string(),
            })
        }
    }

    /// Coordinating agencies must exist, be listed once, and not include the lead.
    pub(super) fn coordinating(
        &self,
        context: &str,
        lead: &str,
        list: &[String],
    ) -> Result<(), PlanError> {
        let mut seen = HashSet::new();
        for code in list {
            self.agency(context, code)?;
            if code == lead {
                return Err(invalid(
                    context,
                    format!("lead agency `{lead}` is also listed as coordinating"),
                ));
            }
            if !seen.insert(code.as_str()) {
                return Err(invalid(
                    context,
                    format!("coordinating agency `{code}` is listed twice"),
                ));
            }
        }
        Ok(())
    }
}

pub(super) fn build(raw: RawFile) -> Result<(Plan, Vec<Duty>), PlanError> {
    let info = match &raw.plan {
        Some(p) => plan_info(p)?,
        None => PlanInfo::default(),
    };
    let mut areas = Vec::with_capacity(raw.area.len());
    let mut area_codes = HashSet::new();
    for a in &raw.area {
        let context = format!("area `{}`", a.code);
        check_code(&context, &a.code, is_kebab)?;
        if !area_codes.insert(a.code.as_str()) {
            return Err(duplicate("area", &a.code));
        }
        areas.push(Area {
            code: a.code.clone(),
            name_vi: text(&context, "name_vi", &a.name_vi, NAME_MAX)?,
            name_en: text(&context, "name_en", &a.name_en, NAME_MAX)?,
        });
    }

    let mut agencies = Vec::with_capacity(raw.agency.len());
    let mut agency_codes = HashSet::new();
    let mut agency_names = HashSet::new();
    for a in &raw.agency {
        let context = format!("agency `{}`", a.code);
        check_code(&context, &a.code, is_upper_code)?;
        if !agency_codes.insert(a.code.as_str()) {
            return Err(duplicate("agency", &a.code));
        }
        let name = text(&context, "name", &a.name, NAME_MAX)?;
        if !agency_names.insert(name.clone()) {
            return Err(duplicate("agency name", &name));
        }
        agencies.push(Agency {
            code: a.code.clone(),
            name,
            kind: a.kind,
        });
    }

    let codes = Codes {
        areas: area_codes,
        agencies: agency_codes,
    };

    let mut indicators = Vec::with_capacity(raw.indicator.len());
    let mut indicator_codes = HashSet::new();
    for i in &raw.indicator {
        let indicator = indicator(&codes, i)?;
        if !indicator_codes.insert(i.code.as_str()) {
            return Err(duplicate("indicator", &i.code));
        }
        indicators.push(indicator);
    }

    // Every task keeps the sort key of its base plan_ref and its generation order, so the
    // result follows the plan (III.1.1, III.1.2/…, III.1.3, …) whatever the file order.
    let mut keyed: Vec<(RefKey, usize, NewTask)> = Vec::new();
    let mut bases = HashSet::new();

    for t in &raw.task {
        let key = base_ref(&t.plan_ref, "task", &mut bases)?;
        let task = one_off(&codes, t)?;
        keyed.push((key, keyed.len(), task));
    }
    let mut duties = Vec::with_capacity(raw.duty.len());
    for d in &raw.duty {
        let key = base_ref(&d.plan_ref, "duty", &mut bases)?;
        let (duty, leads) = duty(&codes, &agencies, d)?;
        for lead in &leads {
            for task in expand_duty(&duty, lead, None) {
                keyed.push((key.clone(), keyed.len(), task));
            }
        }
        duties.push(duty);
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));

    let mut refs = HashSet::new();
    let mut tasks = Vec::with_capacity(keyed.len());
    for (_, _, task) in keyed {
        if !refs.insert(task.plan_ref.clone()) {
            return Err(duplicate("plan_ref", &task.plan_ref));
        }
        tasks.push(task);
    }

    Ok((
        Plan {
            info,
            areas,
            agencies,
            indicators,
            tasks,
        },
        duties,
    ))
}

/// The `[plan]` table: every field is the plan's text, NFC and non-empty (number and date too:
/// the source leaves them blank, and the data says so in words).
pub(super) fn plan_info(p: &RawPlanInfo) -> Result<PlanInfo, PlanError> {
    const PARAGRAPH_MAX: usize = 1000;
    let context = "[plan]";
    let paragraphs = |field: &str, list: &[String]| -> Result<Vec<String>, PlanError> {
        if list.is_empty() {
            return Err(invalid(context, format!("{field} is empty")));
        }
        list.iter()
            .map(|s| text(context, field, s, PARAGRAPH_MAX))
            .collect()
    };
    Ok(PlanInfo {
        title: text(context, "title", &p.title, NAME_MAX)?,
        issuer: text(context, "issuer", &p.issuer, NAME_MAX)?,
        number: text(context, "number", &p.number, NAME_MAX)?,
        issued: text(context, "issued", &p.issued, NAME_MAX)?,
        replaces: text(context, "replaces", &p.replaces, PARAGRAPH_MAX)?,
        purpose: paragraphs("purpose", &p.purpose)?,
        requirements: paragraphs("requirements", &p.requirements)?,
        general_objective: text(
            context,
            "general_objective",
            &p.general_objective,
            PARAGRAPH_MAX,
        )?,
    })
}

pub(super) fn indicator(codes: &Codes, i: &RawIndicator) -> Result<Indicator, PlanError> {
    let context = format!("indicator `{}`", i.code);
    check_code(&context, &i.code, is_kebab)?;
    codes.area(&context, &i.area)?;
    if !i.code.starts_with(&format!("{}-", i.area)) {
        return Err(invalid(
            &context,
            format!("code must start with its area `{}-`", i.area),
        ));
    }
    codes.agency(&context, &i.lead_agency)?;
    let name = text(&context, "name", &i.name, NAME_MAX)?;

    if i.targets.is_empty() {
        return Err(invalid(&context, "has no target"));
    }
    let mut targets: Vec<Target> = Vec::with_capacity(i.targets.len());
    for t in &i.targets {
        let due = in_period(&context, date(&context, &t.due)?)?;
        if let Some(prev) = targets.last()
            && prev.due >= due
        {
            return Err(invalid(
                &context,
                format!("target due {due} does not come after {}", prev.due),
            ));
        }
        check_value(&context, i.unit, i.direction, t.value)?;
        targets.push(Target {
            value: t.value,
            due,
        });
    }

    let baseline = match &i.baseline {
        None if i.direction == Direction::ReduceBy => {
            return Err(invalid(
                &context,
                "a reduce-by indicator needs a baseline to reduce from",
            ));
        }
        None => None,
        Some(b) => {
            let date = date(&context, &b.date)?;
            if date >= targets[0].due {
                return Err(invalid(
                    &context,
                    format!("baseline date {date} is not before the first target"),
                ));
            }
            if let Some(v) = b.value
                && !v.is_finite()
            {
                return Err(invalid(&context, "baseline value is not a number"));
            }
            Some(Baseline {
                value: b.value,
                date,
                label: text(&context, "baseline label", &b.label, NAME_MAX)?,
            })
        }
    };

    Ok(Indicator {
        code: i.code.clone(),
        area: i.area.clone(),
        name,
        unit: i.unit,
        direction: i.direction,
        baseline,
        lead_agency: i.lead_agency.clone(),
        targets,
    })
}

pub(super) fn check_value(
    context: &str,
    unit: Unit,
    direction: Direction,
    v: f64,
) -> Result<(), PlanError> {
    let ok = v.is_finite()
        && match (unit, direction) {
            (Unit::Percent, Direction::AtLeast) => (0.0..=100.0).contains(&v),
            // Nothing is above 100 %.
            (Unit::Percent, Direction::Above) => (0.0..100.0).contains(&v),
            (Unit::Percent, Direction::ReduceBy) => v > 0.0 && v <= 100.0,
            (Unit::Level, Direction::AtLeast | Direction::Above) => v >= 0.0 && v.fract() == 0.0,
            (Unit::Level, Direction::ReduceBy) => v > 0.0 && v.fract() == 0.0,
        };
    if ok {
        Ok(())
    } else {
        Err(invalid(
            context,
            format!(
                "target value {v} does not fit unit {} and direction {}",
                unit.as_str(),
                direction.as_str()
            ),
        ))
    }
}

pub(super) fn one_off(codes: &Codes, t: &RawTask) -> Result<NewTask, PlanError> {
    let context = format!("task {}", t.plan_ref);
    codes.area(&context, &t.area)?;
    codes.agency(&context, &t.lead_agency)?;
    codes.coordinating(&context, &t.lead_agency, &t.coordinating)?;
    inferred_subset(&context, &t.coordinating, &t.coordinating_inferred)?;
    if t.title.contains('{') || t.output.contains('{') {
        return Err(invalid(
            &context,
            "placeholders such as {period} belong to [[duty]] rows",
        ));
    }
    Ok(NewTask {
        plan_ref: t.plan_ref.clone(),
        area: t.area.clone(),
        lead_agency: t.lead_agency.clone(),
        coordinating: t.coordinating.clone(),
        coordinating_inferred: t.coordinating_inferred.clone(),
        title: text(&context, "title", &t.title, TITLE_MAX)?,
        detail: crate::text::nfc(&t.detail),
        output: text(&context, "output", &t.output, OUTPUT_MAX)?,
        due: in_period(&context, date(&context, &t.due)?)?,
        due_assumed: t.due_assumed,
        recurrence: Recurrence::Once,
        status: Status::NotStarted,
        progress: 0,
        completed_on: None,
    })
}
