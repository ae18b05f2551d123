//! `cchc init`: a new database with the plan's data.

use std::path::Path;

use super::{Env, load_plan};
use crate::error::{Error, Result};
use crate::store::{OpenOptions, Store};

pub(super) fn init(path: &Path, env: &Env, out: &mut String) -> Result<()> {
    if path.exists()
        && std::fs::metadata(path)
            .map(|m| m.len() > 0)
            .unwrap_or(false)
    {
        // Opening checks that it is ours and brings it up to date; nothing is re-seeded.
        let store = Store::open(
            path,
            &env.user,
            OpenOptions {
                network_share: env.network_share,
                ..Default::default()
            },
        )?;
        out.push_str(&format!(
            "{} {} ({} {})\n",
            env.t("Đã có cơ sở dữ liệu", "Already initialised:"),
            path.display(),
            store.task_count()?,
            env.t("nhiệm vụ", "tasks")
        ));
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::invalid(format!("cannot create {}: {e}", dir.display())))?;
    }
    let store = Store::open(
        path,
        &env.user,
        OpenOptions {
            read_only: false,
            create_with: Some(load_plan()?),
            network_share: env.network_share,
        },
    )?;
    out.push_str(&format!(
        "{} {} ({} {})\n",
        env.t("Đã tạo", "Created"),
        path.display(),
        store.task_count()?,
        env.t("nhiệm vụ", "tasks")
    ));
    Ok(())
}
