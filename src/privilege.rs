//! The one privilege cchc may hold: the store's group, when the binary is installed setgid to
//! it (`cchc host setup`, the Debian package). Members are not in that group, so they reach the
//! shared file only through cchc.
//!
//! At start the group is saved and dropped at once ([`drop_at_start`]): cchc runs as the member.
//! It is raised only around opening the store's own files (the connection and a first read,
//! so SQLite opens the `-wal` and `-shm` while it is effective; SQLite opens every file with
//! O_CLOEXEC and O_NOFOLLOW), around each write transaction (a rollback journal is a file
//! SQLite creates then) and around reading the backups and pinned heads beside it; then
//! dropped again. Everything else — `$EDITOR`, every `--output` file, drafts, the config — runs
//! with the member's own group. `execve` copies the effective gid into the saved one, so a child
//! started while the group is dropped can never regain it.
//!
//! `setegid` applies to every thread of the process (glibc signals them all), so the group is
//! raised from the thread that drives the program only; the TUI's search worker gets its
//! connection opened for it there.
//!
//! With the group raised, cchc opens only what [`check_group_file`] allows: a regular file (not
//! a symlink) that belongs to the group, in a directory of the group that nobody else may
//! change. Neither `--db` nor the config nor the environment can point it anywhere else.

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

/// The store's group, when cchc started with it as its effective group (setgid) and it is not
/// the member's own real group.
static STORE_GROUP: OnceLock<Option<libc::gid_t>> = OnceLock::new();

/// How many callers hold the group raised (nested raises are one).
static RAISED: Mutex<usize> = Mutex::new(0);

/// Saves the effective group and drops to the real one. Called first thing in `main`, before
/// anything reads the environment or opens a file. Fails only if the group cannot be dropped,
/// and then the program must not go on.
pub fn drop_at_start() -> std::io::Result<()> {
    let mut result = Ok(());
    STORE_GROUP.get_or_init(|| {
        // SAFETY: getgid and getegid have no preconditions.
        let (real, effective) = unsafe { (libc::getgid(), libc::getegid()) };
        if real == effective {
            return None;
        }
        // SAFETY: setegid to the real gid is always permitted.
        if unsafe { libc::setegid(real) } != 0 {
            result = Err(std::io::Error::last_os_error());
        }
        Some(effective)
    });
    result
}

/// The store's group, when cchc runs installed setgid to it (`None` otherwise: then raising
/// changes nothing and everything runs as the member, as before the trusted path).
pub fn store_group() -> Option<libc::gid_t> {
    STORE_GROUP.get().copied().flatten()
}

/// Runs `f` with the store's group effective, and drops it again afterwards, also when `f`
/// panics. Without a store group it just runs `f`.
pub fn with_store_group<T>(f: impl FnOnce() -> T) -> std::io::Result<T> {
    let Some(gid) = store_group() else {
        return Ok(f());
    };
    let _raised = Raised::new(gid)?;
    Ok(f())
}

/// [`with_store_group`] when `raise`, else `f` as the member.
pub fn with_store_group_if<T>(raise: bool, f: impl FnOnce() -> T) -> std::io::Result<T> {
    if raise { with_store_group(f) } else { Ok(f()) }
}

/// Whether the store's group is effective right now (for checks and tests).
pub fn raised() -> bool {
    RAISED.lock().map(|n| *n > 0).unwrap_or(false)
}

struct Raised;

impl Raised {
    fn new(gid: libc::gid_t) -> std::io::Result<Raised> {
        let mut depth = RAISED.lock().unwrap_or_else(|e| e.into_inner());
        // SAFETY: setegid to the saved set-group-ID is permitted by POSIX.
        if *depth == 0 && unsafe { libc::setegid(gid) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        *depth += 1;
        Ok(Raised)
    }
}

impl Drop for Raised {
    fn drop(&mut self) {
        let mut depth = RAISED.lock().unwrap_or_else(|e| e.into_inner());
        *depth -= 1;
        // SAFETY: getgid has no preconditions; setegid to the real gid is always permitted.
        if *depth == 0 && unsafe { libc::setegid(libc::getgid()) } != 0 {
            // Going on with the group would give the member's next file the store's rights.
            std::process::abort();
        }
    }
}

/// Whether opening `path` needs the store's group: cchc runs setgid, and the member cannot
/// reach or read the file with their own rights (the shared store, in a directory closed to
/// members). A file the member may read, or create, is theirs to open without it.
pub fn needs_group(path: &Path) -> bool {
    store_group().is_some()
        && match std::fs::symlink_metadata(path) {
            // The group is dropped here, so the effective ids are the member's.
            Ok(_) => !may(path, libc::R_OK),
            // Missing where the member may look: a new file, created as the member.
            Err(e) => e.kind() != std::io::ErrorKind::NotFound,
        }
}

/// `faccessat` with the effective ids (the real ones are the member's even while the group is
/// raised, so plain `access` would answer for the member).
pub fn may(path: &Path, mode: libc::c_int) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    unsafe { libc::faccessat(libc::AT_FDCWD, c.as_ptr(), mode, libc::AT_EACCESS) == 0 }
}

/// Refuses what cchc may not open with the store's group: anything but a regular file (a
/// symlink too) that belongs to the group, in a directory that belongs to the group and that
/// only root and the group may change. Called with the group raised; `Ok` when allowed.
pub fn check_group_file(path: &Path) -> std::result::Result<(), String> {
    let Some(gid) = store_group() else {
        return Ok(());
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let refuse = |why: String| {
        Err(format!(
            "{}: {why}; with its group cchc opens only the working group's store, a file of group {} in a directory only root and that group may change (`cchc host setup`, docs/OPERATIONS.md)",
            path.display(),
            group_name(gid)
        ))
    };
    match std::fs::metadata(dir) {
        Ok(d) if !d.is_dir() => return refuse("its directory is not a directory".into()),
        Ok(d) => {
            // SAFETY: getuid has no preconditions.
            let me = unsafe { libc::getuid() };
            if d.gid() != gid || d.mode() & 0o002 != 0 || (d.uid() == me && me != 0) {
                return refuse(format!(
                    "its directory {} is not one only root and the group may change",
                    dir.display()
                ));
            }
        }
        Err(e) => return refuse(format!("its directory cannot be read ({e})")),
    }
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => refuse("it is a symbolic link".into()),
        Ok(m) if !m.is_file() => refuse("it is not a regular file".into()),
        Ok(m) if m.gid() != gid => refuse(format!(
            "it belongs to group {}, not to the store's",
            group_name(m.gid())
        )),
        Ok(_) => Ok(()),
        // A path that is not there is reported by the caller, in its own words.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => refuse(e.to_string()),
    }
}

/// The name of group `gid` from the group database, else its number.
pub fn group_name(gid: libc::gid_t) -> String {
    // SAFETY: getgrgid returns a pointer into static storage or null; the name is copied out
    // at once and the pointer is not kept.
    unsafe {
        let gr = libc::getgrgid(gid);
        if gr.is_null() || (*gr).gr_name.is_null() {
            return gid.to_string();
        }
        std::ffi::CStr::from_ptr((*gr).gr_name)
            .to_string_lossy()
            .into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_store_group_nothing_is_raised() {
        // The test binary is not setgid: the group is the member's own and raising is a no-op.
        drop_at_start().unwrap();
        assert_eq!(store_group(), None);
        let inside = with_store_group(raised).unwrap();
        assert!(!inside);
        assert!(!needs_group(Path::new("/nonexistent/x.sqlite3")));
        assert_eq!(check_group_file(Path::new("/etc/passwd")), Ok(()));
    }

    #[test]
    fn effective_access_is_asked() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("f");
        std::fs::write(&f, "x").unwrap();
        assert!(may(&f, libc::R_OK | libc::W_OK));
        assert!(!may(&dir.path().join("missing"), libc::R_OK));
    }
}
