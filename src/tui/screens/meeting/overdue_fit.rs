//! Which overdue tasks an area slide of meeting mode lists, and which it only counts, when the
//! slide is too short for all of them. Pure: the slide draws what this decides.

/// The overdue tasks of one lead agency on an area slide.
pub struct OverdueGroup<'a> {
    pub name: &'a str,
    pub code: &'a str,
    pub rows: Vec<&'a crate::report::OverdueRow>,
}

/// How many rows of each group an area slide shows in `lines` lines (0: the group is left out
/// and named on the closing "and N tasks of K other agencies" line instead).
pub struct OverduePlan {
    pub shown: Vec<usize>,
}

/// Whole groups in order while they fit, keeping one line for the closing summary when some
/// must be left out; a first group too long for the slide shows what fits and says how many
/// more it has. Never hides an agency: each one is either listed or named on the summary line.
pub fn plan_overdue(groups: &[OverdueGroup], lines: usize) -> OverduePlan {
    let need: usize = groups.iter().map(|g| 1 + g.rows.len()).sum();
    let mut shown = vec![0; groups.len()];
    if need <= lines {
        for (s, g) in shown.iter_mut().zip(groups) {
            *s = g.rows.len();
        }
        return OverduePlan { shown };
    }
    let mut free = lines;
    for (i, g) in groups.iter().enumerate() {
        let rest_after = i + 1 < groups.len();
        // One line stays for the summary if any group comes after this one.
        let reserve = usize::from(rest_after);
        if 1 + g.rows.len() + reserve <= free {
            shown[i] = g.rows.len();
            free -= 1 + g.rows.len();
        } else {
            if i == 0 && free >= 3 + reserve {
                // Header, the rows that fit, and "… M more of this agency".
                shown[0] = free - 2 - reserve;
            }
            break;
        }
    }
    OverduePlan { shown }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::OverdueRow;

    fn row(agency: &str) -> OverdueRow {
        OverdueRow {
            id: 1,
            title: "t".into(),
            lead_agency: agency.into(),
            lead_agency_name: agency.into(),
            due: chrono::NaiveDate::default(),
            days_late: 1,
            duty: None,
        }
    }

    #[test]
    fn whole_groups_then_one_line_for_the_rest() {
        let rows = |agency: &str, n: usize| (0..n).map(|_| row(agency)).collect::<Vec<_>>();
        let (a, b, c) = (rows("A", 3), rows("B", 2), rows("C", 2));
        let g: Vec<OverdueGroup> = [&a, &b, &c]
            .into_iter()
            .map(|r| OverdueGroup {
                name: &r[0].lead_agency,
                code: &r[0].lead_agency,
                rows: r.iter().collect(),
            })
            .collect();
        // Everything fits: 3 headers + 7 rows.
        assert_eq!(plan_overdue(&g, 10).shown, vec![3, 2, 2]);
        // One short: A and B whole (7 lines), the summary names C.
        assert_eq!(plan_overdue(&g, 9).shown, vec![3, 2, 0]);
        assert_eq!(plan_overdue(&g, 7).shown, vec![3, 0, 0]);
        assert_eq!(plan_overdue(&g, 5).shown, vec![3, 0, 0]);
        // A itself too long: its header, 1 row, "… 2 more", the summary.
        assert_eq!(plan_overdue(&g, 4).shown, vec![1, 0, 0]);
        // No room for a row: only the summary.
        assert_eq!(plan_overdue(&g, 2).shown, vec![0, 0, 0]);
    }
}
