//! `cchc areas` and `cchc agencies`: the plan's two short reference lists.

use super::table::Table;
use super::{Env, Format, Style, csv_text, json_list};
use crate::error::Result;
use crate::store::TaskFilter;

/// `cchc areas`: each area with its number of tasks and of overdue tasks.
pub(super) fn areas(format: Format, env: &Env, style: Style) -> Result<String> {
    let store = env.open()?;
    let areas = store.areas()?;
    let tasks = store.tasks(&TaskFilter::default())?;
    Ok(match format {
        Format::Json => json_list("areas", &areas)?,
        Format::Csv => csv_text(
            &["code", "name_vi", "name_en"],
            areas
                .iter()
                .map(|a| vec![a.code.clone(), a.name_vi.clone(), a.name_en.clone()]),
        )?,
        Format::Table => {
            let mut t = Table::new([
                env.t("Mã", "Code"),
                env.t("Lĩnh vực", "Area"),
                env.t("Nhiệm vụ", "Tasks"),
                env.t("Quá hạn", "Overdue"),
            ])
            .right(2)
            .right(3)
            .shrink(1);
            for a in &areas {
                let mine = tasks.iter().filter(|t| t.area == a.code);
                let (n, late) = mine.fold((0, 0), |(n, l), t| {
                    (n + 1, l + t.is_overdue(env.today) as usize)
                });
                t.row(
                    vec![
                        a.code.clone(),
                        a.name(env.lang).to_string(),
                        n.to_string(),
                        late.to_string(),
                    ],
                    None,
                );
            }
            t.render(style)
        }
    })
}

/// `cchc agencies`: every agency in the file.
pub(super) fn agencies(format: Format, env: &Env, style: Style) -> Result<String> {
    let store = env.open()?;
    let agencies = store.agencies()?;
    Ok(match format {
        Format::Json => json_list("agencies", &agencies)?,
        Format::Csv => csv_text(
            &["code", "name", "kind"],
            agencies
                .iter()
                .map(|a| vec![a.code.clone(), a.name.clone(), a.kind.as_str().into()]),
        )?,
        Format::Table => {
            let mut t = Table::new([
                env.t("Mã", "Code"),
                env.t("Cơ quan", "Agency"),
                env.t("Loại", "Kind"),
            ])
            .shrink(1);
            for a in &agencies {
                t.row(
                    vec![a.code.clone(), a.name.clone(), a.kind.as_str().into()],
                    None,
                );
            }
            t.render(style)
        }
    })
}
