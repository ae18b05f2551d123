//! Which file the store has open: the device and inode of the database and of its `-wal` and
//! `-shm`, taken at open and compared before each write and at each tick of the TUI. A file
//! moved aside with a backup copied in (the documented restore), deleted, or stripped of its
//! `-wal`/`-shm` while a session is open would otherwise go on taking writes that nobody else
//! sees, or lose writes other members were told were committed.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Device and inode of one file.
type Id = (u64, u64);

fn id_of(path: &Path) -> Option<Id> {
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

#[derive(Debug, Clone)]
pub(super) struct FileIds {
    db: Option<Id>,
    /// `None` in rollback-journal mode or read without locks: no side file lives as long as
    /// the connection there. Otherwise the `-wal` and `-shm`, once seen.
    side: Option<[Option<Id>; 2]>,
}

impl FileIds {
    /// What is at `path` now. `side_files`: WAL mode with a writable connection, whose open
    /// connection keeps the `-wal` and `-shm` in place until it closes.
    pub(super) fn take(path: &Path, side_files: bool) -> FileIds {
        FileIds {
            db: id_of(path),
            side: side_files.then(|| [id_of(&side(path, "-wal")), id_of(&side(path, "-shm"))]),
        }
    }

    /// Why the path no longer names the file opened, if it does not. A side file not there at
    /// open (SQLite creates them on first use) is taken in when it appears.
    pub(super) fn check(&mut self, path: &Path) -> Option<String> {
        match (self.db, id_of(path)) {
            (Some(_), None) => {
                return Some(format!(
                    "{} was deleted or moved away while it was open",
                    path.display()
                ));
            }
            (Some(a), Some(b)) if a != b => {
                return Some(format!(
                    "{} was replaced by another file (a restored backup?) while it was open",
                    path.display()
                ));
            }
            _ => {}
        }
        if let Some(sides) = &mut self.side {
            for (slot, suffix) in sides.iter_mut().zip(["-wal", "-shm"]) {
                let now = id_of(&side(path, suffix));
                match (*slot, now) {
                    (None, now) => *slot = now,
                    (Some(a), Some(b)) if a == b => {}
                    (Some(_), _) => {
                        return Some(format!(
                            "the {suffix} file of {} was deleted or replaced while it was open; writes since the last checkpoint may be lost",
                            path.display()
                        ));
                    }
                }
            }
        }
        None
    }

    /// The `-wal`/`-shm` now at `path` that are still the ones this connection had open: left
    /// beside a file that replaced the one they belong to, SQLite would read them as the new
    /// file's and replay another file's pages into it.
    pub(super) fn own_side_files(&self, path: &Path) -> Vec<PathBuf> {
        let Some(sides) = &self.side else {
            return Vec::new();
        };
        sides
            .iter()
            .zip(["-wal", "-shm"])
            .filter_map(|(id, suffix)| {
                let file = side(path, suffix);
                (id.is_some() && id_of(&file) == *id).then_some(file)
            })
            .collect()
    }
}
