//! `cchc host setup`: the trusted path on the provincial host (docs/OPERATIONS.md). A group
//! (default `cchc`) owns the shared directory, the store, its `-wal`/`-shm`, the backups and
//! the pinned heads; members are not in it; the `cchc` binary is setgid to it, so members read
//! and write the store only through cchc (`crate::privilege`). Run as root; running it again
//! changes nothing. The Debian package runs it from its postinst, with the binary's mode set by
//! `dpkg-statoverride`, which this command respects for every path it would set.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::Env;
use crate::error::{Error, Result};

#[derive(Debug, Subcommand)]
pub enum HostCommand {
    /// Set up this host's trusted path (as root): the group, the shared directory and its
    /// backups, the store in it (moved in with --from, or created), their owners and modes, and
    /// the cchc binary setgid to the group. Running it again changes nothing.
    Setup {
        /// The shared directory (e.g. /srv/cchc): the store is DIR/cchc.sqlite3, its backups
        /// and pinned heads DIR/backups.
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        /// The group that owns the store; members are not in it.
        #[arg(long, value_name = "NAME", default_value = "cchc")]
        group: String,
        /// The cchc binary members run, made setgid to the group (default: this program).
        #[arg(long, value_name = "PATH")]
        bin: Option<PathBuf>,
        /// An existing database to move in as the store (e.g. the file of an earlier setup).
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
    },
}

/// The store's file name in the shared directory.
pub const STORE_FILE: &str = "cchc.sqlite3";

pub fn run(cmd: HostCommand, env: &Env) -> Result<String> {
    match cmd {
        HostCommand::Setup {
            dir,
            group,
            bin,
            from,
        } => setup(&dir, &group, bin, from.as_deref(), env),
    }
}

/// What setup did, one line each; empty when everything already was as it should be.
struct Done(Vec<String>);

impl Done {
    fn say(&mut self, line: String) {
        self.0.push(line);
    }
}

fn setup(
    dir: &Path,
    group: &str,
    bin: Option<PathBuf>,
    from: Option<&Path>,
    env: &Env,
) -> Result<String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Err(Error::PermissionDenied(
            "`cchc host setup` creates a group and sets owners and modes: run it as root (sudo cchc host setup …)".into(),
        ));
    }
    crate::untrusted::name("the group", group)?;
    if !group
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
    {
        return Err(Error::invalid(format!(
            "{group:?} is not a group name; use letters, digits, '-' and '_' (e.g. cchc)"
        )));
    }
    if !dir.is_absolute() {
        return Err(Error::invalid(format!(
            "{}: give the shared directory as an absolute path, e.g. /srv/cchc",
            dir.display()
        )));
    }
    let mut done = Done(Vec::new());
    let gid = ensure_group(group, &mut done)?;
    let backups = dir.join("backups");
    for d in [dir, backups.as_path()] {
        if !d.exists() {
            std::fs::create_dir_all(d).map_err(|e| cannot("create", d, e))?;
            done.say(format!("created {}", d.display()));
        }
        set_owner_mode(d, 0, gid, 0o2770, &mut done)?;
    }
    let store = dir.join(STORE_FILE);
    if let Some(from) = from {
        move_in(from, &store, &mut done)?;
    }
    if !store.exists() {
        super::init::init(&store, env, &mut String::new())?;
        done.say(format!(
            "created the store {} (seeded with the plan)",
            store.display()
        ));
    }
    // The store and its side files: the group reads and writes them, nobody else.
    for suffix in ["", "-wal", "-shm"] {
        let mut p = store.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        if p.exists() {
            let uid = if suffix.is_empty() { 0 } else { owner(&p)? };
            set_owner_mode(&p, uid, gid, 0o660, &mut done)?;
        }
    }
    // Backups never change once made; the heads file is appended to by whoever makes them.
    for entry in std::fs::read_dir(&backups).map_err(|e| cannot("read", &backups, e))? {
        let p = entry.map_err(|e| cannot("read", &backups, e))?.path();
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        let mode = if name.as_deref() == Some(super::admin::HEADS_FILE) {
            0o660
        } else if name.is_some_and(|n| n.ends_with(".sqlite3")) {
            0o440
        } else {
            continue;
        };
        set_owner_mode(&p, meta.uid(), gid, mode, &mut done)?;
    }
    let bin = match bin {
        Some(b) => b,
        None => std::env::current_exe().map_err(|e| {
            Error::invalid(format!(
                "cannot tell where this program is ({e}); give it with --bin PATH"
            ))
        })?,
    };
    setgid_binary(&bin, gid, &mut done)?;
    warn_members(group, &mut done);

    let mut out = String::new();
    if done.0.is_empty() {
        out.push_str(&format!(
            "{}: {}\n",
            dir.display(),
            env.t(
                "đã được thiết lập, không có gì phải đổi",
                "already set up, nothing to change"
            )
        ));
    }
    for line in &done.0 {
        out.push_str(&crate::untrusted::line(line));
        out.push('\n');
    }
    out.push_str(&format!(
        "{} {} · {} {} · {} {}\n",
        env.t("Tệp dùng chung:", "The store:"),
        store.display(),
        env.t("nhóm", "group"),
        group,
        env.t("thành viên chạy", "members run"),
        bin.display()
    ));
    Ok(out)
}

fn cannot(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::invalid(format!("cannot {what} {}: {e}", path.display()))
}

fn owner(path: &Path) -> Result<u32> {
    Ok(std::fs::symlink_metadata(path)
        .map_err(|e| cannot("read", path, e))?
        .uid())
}

/// The group's id, creating the group (a system group) when it does not exist.
fn ensure_group(group: &str, done: &mut Done) -> Result<u32> {
    if let Some(gid) = gid_of(group) {
        return Ok(gid);
    }
    let status = std::process::Command::new("groupadd")
        .args(["--system", group])
        .status()
        .map_err(|e| Error::invalid(format!("cannot run groupadd to create {group}: {e}")))?;
    let gid = gid_of(group).filter(|_| status.success()).ok_or_else(|| {
        Error::invalid(format!(
            "groupadd --system {group} failed ({status}); create the group, then run this again"
        ))
    })?;
    done.say(format!("created the group {group} (gid {gid})"));
    Ok(gid)
}

fn gid_of(group: &str) -> Option<u32> {
    let name = std::ffi::CString::new(group).ok()?;
    // SAFETY: getgrnam returns a pointer into static storage or null; the id is copied out at
    // once.
    unsafe {
        let gr = libc::getgrnam(name.as_ptr());
        (!gr.is_null()).then(|| (*gr).gr_gid)
    }
}

/// The logins listed as members of `group` in the group database.
fn group_members(group: &str) -> Vec<String> {
    let Ok(name) = std::ffi::CString::new(group) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // SAFETY: as in gid_of; the member list is a NULL-terminated array of C strings in the
    // same static storage, copied out before any other call.
    unsafe {
        let gr = libc::getgrnam(name.as_ptr());
        if gr.is_null() {
            return out;
        }
        let mut m = (*gr).gr_mem;
        while !m.is_null() && !(*m).is_null() {
            out.push(std::ffi::CStr::from_ptr(*m).to_string_lossy().into_owned());
            m = m.add(1);
        }
    }
    out
}

/// Members in the group could write the store without cchc: say so, with how to fix it.
fn warn_members(group: &str, done: &mut Done) {
    let members = group_members(group);
    if !members.is_empty() {
        done.say(format!(
            "warning: {} in the group {group} and can write the store without cchc: remove each (`gpasswd -d LOGIN {group}`); members need no group, cchc is theirs",
            members.join(", ") + if members.len() == 1 { " is" } else { " are" }
        ));
    }
}

/// The owner and mode an administrator set with `dpkg-statoverride`, which wins.
fn statoverride(path: &Path) -> Option<String> {
    let out = std::process::Command::new("dpkg-statoverride")
        .arg("--list")
        .arg(path)
        .output()
        .ok()?;
    let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !line.is_empty()).then_some(line)
}

/// Sets `path`'s owner, group and mode unless they are so already (or an override says
/// otherwise); never follows a symlink.
fn set_owner_mode(path: &Path, uid: u32, gid: u32, mode: u32, done: &mut Done) -> Result<()> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| cannot("read", path, e))?;
    if meta.file_type().is_symlink() {
        return Err(Error::invalid(format!(
            "{} is a symbolic link; cchc host setup sets real files and directories only",
            path.display()
        )));
    }
    if (meta.uid(), meta.gid(), meta.mode() & 0o7777) == (uid, gid, mode) {
        return Ok(());
    }
    if let Some(line) = statoverride(path) {
        done.say(format!(
            "{}: left as dpkg-statoverride says ({line})",
            path.display()
        ));
        return Ok(());
    }
    std::os::unix::fs::lchown(path, Some(uid), Some(gid)).map_err(|e| cannot("chown", path, e))?;
    // After chown, which clears the setgid bit of a file.
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| cannot("chmod", path, e))?;
    done.say(format!(
        "{}: owner {}:{}, mode {mode:04o}",
        path.display(),
        user_name(uid),
        crate::privilege::group_name(gid)
    ));
    Ok(())
}

fn user_name(uid: u32) -> String {
    // SAFETY: getpwuid returns a pointer into static storage or null; copied out at once.
    unsafe {
        let pw = libc::getpwuid(uid);
        if pw.is_null() || (*pw).pw_name.is_null() {
            return uid.to_string();
        }
        std::ffi::CStr::from_ptr((*pw).pw_name)
            .to_string_lossy()
            .into_owned()
    }
}

/// The binary members run: root's, setgid to the group, nobody else may change it.
fn setgid_binary(bin: &Path, gid: u32, done: &mut Done) -> Result<()> {
    let real = std::fs::canonicalize(bin).map_err(|e| cannot("find", bin, e))?;
    if !std::fs::metadata(&real)
        .map_err(|e| cannot("read", &real, e))?
        .is_file()
    {
        return Err(Error::invalid(format!(
            "{}: the binary must be a regular file",
            real.display()
        )));
    }
    set_owner_mode(&real, 0, gid, 0o2755, done)?;
    let meta = std::fs::metadata(&real).map_err(|e| cannot("read", &real, e))?;
    if meta.gid() != gid || meta.mode() & 0o2000 == 0 {
        done.say(format!(
            "warning: {} is not setgid to the group, so members cannot reach the store through it",
            real.display()
        ));
    }
    Ok(())
}

/// Moves an existing database in as the store: checked to be a cchc file, its WAL folded in
/// (so no `-wal` is left behind), then renamed (or copied across filesystems and removed).
fn move_in(from: &Path, store: &Path, done: &mut Done) -> Result<()> {
    if store.exists() {
        return Err(Error::invalid(format!(
            "{} already exists: the directory has its store; leave out --from, or move that one away first",
            store.display()
        )));
    }
    crate::store::require_regular(from, "the database to move in")?;
    {
        let conn = rusqlite::Connection::open_with_flags(
            from,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NOFOLLOW,
        )
        .map_err(|e| Error::invalid(format!("{}: {e}", from.display())))?;
        let app: i64 = conn
            .query_row("PRAGMA application_id", (), |r| r.get(0))
            .map_err(|e| Error::invalid(format!("{}: {e}", from.display())))?;
        if app != crate::store::APPLICATION_ID {
            return Err(Error::NotCchc {
                path: from.to_path_buf(),
                reason: "not made by cchc".into(),
            });
        }
        // Nobody may be using it: an exclusive checkpoint folds the WAL in and empties it.
        let busy: i64 = conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", (), |r| r.get(0))
            .map_err(|e| Error::invalid(format!("{}: {e}", from.display())))?;
        if busy != 0 {
            return Err(Error::invalid(format!(
                "{} is in use: ask everyone to quit cchc, then run this again",
                from.display()
            )));
        }
    }
    if std::fs::rename(from, store).is_err() {
        std::fs::copy(from, store).map_err(|e| cannot("copy", from, e))?;
        std::fs::File::open(store)
            .and_then(|f| f.sync_all())
            .map_err(|e| cannot("write", store, e))?;
        std::fs::remove_file(from).map_err(|e| cannot("remove", from, e))?;
    }
    for suffix in ["-wal", "-shm"] {
        let mut p = from.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    done.say(format!(
        "moved {} in as {}",
        from.display(),
        store.display()
    ));
    Ok(())
}
