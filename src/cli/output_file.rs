//! The one way cchc writes an output file (`--output`, `--output-dir`: CSV, JSON, Markdown,
//! xlsx, docx, every sheet of `sheet --all`). An output never destroys:
//!
//! - a path that is a symlink, a directory, a FIFO, a device or a socket is refused, unopened;
//! - an existing regular file is replaced only with `--force`, or when cchc made it (it carries
//!   the extended attribute `user.cchc`, which cchc sets on every file it writes), keeping its
//!   owner, group and mode where the user may set them;
//! - the bytes go to an unnamed file in the same directory (`O_TMPFILE`; a hidden temp file
//!   where the filesystem has none), synced, then renamed over the name: a full disk or any
//!   failure leaves the old file as it was and nothing beside it.
//!
//! It runs as the member (`crate::privilege`): a new file gets the member's own group.

use std::ffi::CString;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// `--force`, set once per run (`cli::run`).
static FORCE: AtomicBool = AtomicBool::new(false);

/// The mark cchc leaves on the files it writes.
const MARK_NAME: &std::ffi::CStr = c"user.cchc";
const MARK_VALUE: &[u8] = b"output";

pub(super) fn set_force(force: bool) {
    FORCE.store(force, Ordering::Relaxed);
}

/// Writes `bytes` as the file `path`, whole or not at all (see the module's rules).
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with(path, |out| Ok(out.write_all(bytes)?))
}

/// Writes the file `path` with what `fill` writes, as it writes it (an export of any size is
/// never held whole), whole or not at all: when `fill` fails, its error is returned and the
/// old file, if any, is left as it was.
pub fn write_with(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| Error::invalid(format!("{}: give a file name to write", path.display())))?;
    let old = match std::fs::symlink_metadata(path) {
        Ok(meta) => Some(check_replaceable(path, &meta)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(cannot(path, e)),
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp = Temp::create(&dir, name).map_err(|e| cannot(path, e))?;
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, &temp.file);
    let filled = fill(&mut out).and_then(|()| Ok(out.flush()?));
    drop(out);
    let written = match filled {
        Ok(()) => (|| {
            if let Some(old) = &old {
                keep_owner_and_mode(&temp.file, old)?;
            }
            mark(&temp.file);
            temp.file.sync_all()?;
            temp.put_in_place(path)
        })(),
        Err(Error::Io(e)) => Err(e),
        // What `fill` met (a damaged page, a bad value): the temp goes, the old file stays.
        Err(other) => return Err(other),
    };
    match written {
        Ok(()) => Ok(()),
        // (A writer that wrapped the error keeps only its kind.)
        Err(e)
            if e.raw_os_error() == Some(libc::ENOSPC)
                || e.kind() == std::io::ErrorKind::StorageFull =>
        {
            Err(Error::invalid(format!(
                "cannot write {}: the disk is full; {} — free some space and try again",
                path.display(),
                if old.is_some() {
                    "the file was left as it was"
                } else {
                    "nothing was written"
                }
            )))
        }
        Err(e) => Err(cannot(path, e)),
    }
}

fn cannot(path: &Path, e: std::io::Error) -> Error {
    Error::invalid(format!("cannot write {}: {e}", path.display()))
}

/// An existing path may be replaced only if it is a regular file, and cchc's or `--force`d.
fn check_replaceable(path: &Path, meta: &std::fs::Metadata) -> Result<std::fs::Metadata> {
    use std::os::unix::fs::FileTypeExt;
    let ft = meta.file_type();
    let kind = if ft.is_symlink() {
        "a symbolic link"
    } else if ft.is_dir() {
        "a directory"
    } else if ft.is_fifo() {
        "a named pipe (FIFO)"
    } else if ft.is_char_device() || ft.is_block_device() {
        "a device"
    } else if ft.is_socket() {
        "a socket"
    } else {
        if !FORCE.load(Ordering::Relaxed) && !made_by_cchc(path) {
            return Err(Error::invalid(format!(
                "{} exists and cchc did not make it; give another name, or add --force to replace it",
                path.display()
            )));
        }
        return Ok(meta.clone());
    };
    Err(Error::invalid(format!(
        "{} is {kind}; cchc writes outputs only to a regular file (without --output, to standard output): give the name of a file",
        path.display()
    )))
}

/// Whether the file at `path` carries cchc's mark.
fn made_by_cchc(path: &Path) -> bool {
    let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    let mut buf = [0u8; 16];
    // SAFETY: `c` and `buf` outlive the call; the length passed is the buffer's.
    let n = unsafe {
        libc::lgetxattr(
            c.as_ptr(),
            MARK_NAME.as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    n >= 0 && &buf[..n as usize] == MARK_VALUE
}

/// Marks a file as cchc's; a filesystem without user attributes keeps no mark (the file then
/// needs --force to be replaced, which errs on the safe side).
fn mark(file: &std::fs::File) {
    use std::os::fd::AsRawFd;
    // SAFETY: the fd is open; name and value outlive the call.
    unsafe {
        libc::fsetxattr(
            file.as_raw_fd(),
            MARK_NAME.as_ptr(),
            MARK_VALUE.as_ptr().cast(),
            MARK_VALUE.len(),
            0,
        );
    }
}

/// The replaced file's owner, group and mode, as far as this user may set them (root all of
/// them; a member their own group).
fn keep_owner_and_mode(file: &std::fs::File, old: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: the fd is open. Failures (not permitted) leave the new file as this user's.
    unsafe {
        if libc::fchown(fd, old.uid(), old.gid()) != 0 {
            libc::fchown(fd, u32::MAX, old.gid());
        }
    }
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(
        old.mode() & 0o777,
    ))
}

/// The file being written: unnamed until it is complete.
struct Temp {
    file: std::fs::File,
    /// A named temp file (no O_TMPFILE here), removed unless it was put in place.
    named: Option<PathBuf>,
}

impl Temp {
    fn create(dir: &Path, name: &std::ffi::OsStr) -> std::io::Result<Temp> {
        // New files get 0666 less the umask, as any file the user makes.
        match std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_TMPFILE)
            .mode(0o666)
            .open(dir)
        {
            Ok(file) => {
                return Ok(Temp { file, named: None });
            }
            Err(e)
                if !matches!(
                    e.raw_os_error(),
                    Some(libc::EOPNOTSUPP | libc::EISDIR | libc::EINVAL)
                ) =>
            {
                return Err(e);
            }
            Err(_) => {}
        }
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".cchc-{}-{stamp}", std::process::id()));
        let path = dir.join(temp_name);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o666)
            .open(&path)?;
        Ok(Temp {
            file,
            named: Some(path),
        })
    }

    /// Gives the complete file its name, replacing what had it.
    fn put_in_place(&mut self, path: &Path) -> std::io::Result<()> {
        if let Some(named) = self.named.take() {
            return std::fs::rename(&named, path).inspect_err(|_| {
                let _ = std::fs::remove_file(&named);
            });
        }
        // An unnamed file gets a hidden name through /proc (linkat needs no privilege that
        // way), which is then renamed over the target at once.
        use std::os::fd::AsRawFd;
        let proc_path = CString::new(format!("/proc/self/fd/{}", self.file.as_raw_fd()))?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mut hidden = path.as_os_str().to_owned();
        hidden.push(format!(".cchc-{}-{stamp}", std::process::id()));
        let hidden = PathBuf::from(hidden);
        let c_hidden = CString::new(hidden.as_os_str().as_bytes())?;
        // SAFETY: both paths are valid NUL-terminated strings for the call.
        let linked = unsafe {
            libc::linkat(
                libc::AT_FDCWD,
                proc_path.as_ptr(),
                libc::AT_FDCWD,
                c_hidden.as_ptr(),
                libc::AT_SYMLINK_FOLLOW,
            )
        };
        if linked != 0 {
            return Err(std::io::Error::last_os_error());
        }
        std::fs::rename(&hidden, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&hidden);
        })
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if let Some(named) = &self.named {
            let _ = std::fs::remove_file(named);
        }
    }
}
