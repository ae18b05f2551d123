//! The drafts file: text typed into an edit that a signal or a hang-up ended before it was
//! saved. It lives in the per-user data directory (beside the default database), is appended
//! to, never read back into the file, and is named in a banner at the next start until the
//! user deletes it.

use std::io::Write;
use std::path::{Path, PathBuf};

/// `$XDG_DATA_HOME/cchc/drafts.txt` (usually `~/.local/share/cchc/drafts.txt`).
pub fn path() -> Option<PathBuf> {
    directories::ProjectDirs::from("vn", "langson", "cchc").map(|d| d.data_dir().join("drafts.txt"))
}

/// The drafts file if it holds anything: the next start says where it is.
pub fn pending() -> Option<PathBuf> {
    let path = path()?;
    let len = std::fs::metadata(&path).ok()?.len();
    (len > 0).then_some(path)
}

/// Appends `draft` (what was typed, for the database `db`) with the time, and returns the
/// file's path. Readable by the user only: a draft may hold what was not meant to be shared
/// yet.
pub fn save(draft: &str, db: &Path) -> std::io::Result<PathBuf> {
    let path = path().ok_or_else(|| std::io::Error::other("no home directory for the drafts"))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&path)?
    };
    let at = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
    writeln!(
        file,
        "--- {at} · {} · not saved: the session was ended before Enter\n{draft}\n",
        db.display()
    )?;
    file.sync_all()?;
    Ok(path)
}
