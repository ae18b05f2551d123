//! `cchc init`: a new database with the plan's data.

use std::path::Path;

use super::{Env, load_plan};
use crate::error::{Error, Result};
use crate::store::{OpenOptions, Store};

pub(super) fn init(path: &Path, env: &Env, out: &mut String) -> Result<()> {
    if crate::store::server_url(path).is_some() {
        return init_server(path, env, out);
    }
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
            create_bare: false,
        },
    )?;
    shared_mode(path);
    out.push_str(&format!(
        "{} {} ({} {})\n",
        env.t("Đã tạo", "Created"),
        path.display(),
        store.task_count()?,
        env.t("nhiệm vụ", "tasks")
    ));
    Ok(())
}

/// A store made in a directory shared through its group (setgid, as `cchc host setup` makes
/// it) is the group's to write: mode 0660 (its `-wal`/`-shm` take the same).
fn shared_mode(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if std::fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o2000 != 0) {
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o660));
    }
}

/// `cchc init --time-zone ZONE`: the province's time zone, logged, on a store just made (or one
/// that already has it).
pub(super) fn set_time_zone(path: &Path, zone: &str, env: &Env, out: &mut String) -> Result<()> {
    let tz: chrono_tz::Tz = zone.trim().parse().map_err(|_| {
        Error::invalid(format!(
            "{:?} is not a time zone; give an IANA name such as Asia/Ho_Chi_Minh",
            crate::untrusted::line(zone)
        ))
    })?;
    let mut store = Store::open(
        path,
        &env.user,
        OpenOptions {
            network_share: env.network_share,
            ..Default::default()
        },
    )?;
    store.set_time_zone(tz)?;
    out.push_str(&format!(
        "{} {}\n",
        env.t("Múi giờ:", "Time zone:"),
        tz.name()
    ));
    Ok(())
}

/// `cchc init postgres://…`: the schema, roles, grants and policies (again, when there), and
/// the plan seeded once, whoever starts first (the migration lock queues the others).
fn init_server(url: &Path, env: &Env, out: &mut String) -> Result<()> {
    let store = Store::open(
        url,
        &env.user,
        OpenOptions {
            create_with: Some(load_plan()?),
            ..Default::default()
        },
    )?;
    let what = if store.seeded_now() {
        env.t("Đã tạo", "Created")
    } else {
        env.t(
            "Đã có; lược đồ, vai trò và chính sách đã được cập nhật:",
            "Already initialised; schema, roles and policies brought up to date:",
        )
    };
    out.push_str(&format!(
        "{what} {} ({} {})\n",
        store.path().display(),
        store.task_count()?,
        env.t("nhiệm vụ", "tasks")
    ));
    Ok(())
}

/// `cchc migrate FROM TO`: the whole of FROM copied into a new TO, then TO verified as
/// `log --verify` does (the chain, the triggers, the tables against the log replayed).
pub(super) fn migrate(from: &Path, to: &Path, env: &Env, out: &mut String) -> Result<()> {
    let is_file = |p: &Path| crate::store::server_url(p).is_none();
    if is_file(to) && to.exists() {
        return Err(Error::invalid(format!(
            "{} already exists; migrate makes a new database: give a path that does not exist yet",
            to.display()
        )));
    }
    let source = Store::open(
        from,
        &env.user,
        OpenOptions {
            read_only: true,
            network_share: env.network_share,
            ..Default::default()
        },
    )?;
    if let Some(dir) = Some(to)
        .filter(|p| is_file(p))
        .and_then(Path::parent)
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::invalid(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut target = Store::open(
        to,
        &env.user,
        OpenOptions {
            create_bare: true,
            network_share: env.network_share,
            ..Default::default()
        },
    )?;
    let copied = source.copy_into(&mut target)?;
    let verified = super::log::verify_log(&target, &[], env)?;
    out.push_str(&format!(
        "{} {} → {}: {} {}, {} {}, {} {}, {} {}\n{verified}",
        env.t("Đã chép", "Copied"),
        source.path().display(),
        target.path().display(),
        copied.rows("tasks"),
        env.t("nhiệm vụ", "tasks"),
        copied.rows("notes"),
        env.t("ghi chú", "notes"),
        copied.rows("measurements"),
        env.t("số đo", "measurements"),
        copied.rows("change_log"),
        env.t("mục nhật ký", "log entries"),
    ));
    Ok(())
}
