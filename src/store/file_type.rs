//! Only regular files are databases, backups or imports. A FIFO opened for reading blocks until
//! a writer comes (forever), `/dev/zero` never ends and a directory is no file at all, so the
//! type is checked from the metadata first, without opening anything.

use std::path::Path;

use crate::error::{Error, Result};

/// Refuses `path` unless it is a regular file (or a symlink to one). A path that does not
/// exist passes: the caller reports that in its own words.
pub fn require_regular(path: &Path, what: &str) -> Result<()> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    let ft = meta.file_type();
    if ft.is_file() {
        return Ok(());
    }
    let kind = kind_name(&ft);
    Err(Error::invalid(format!(
        "{}: {what} must be a regular file, and this is {kind}; give the path of a file",
        path.display()
    )))
}

/// Reads a small text file (a config file, a theme, `~/.pgpass`): only a regular file of at most
/// `max` bytes is read, so `/dev/zero` or a FIFO named there is an error, not a hang.
pub fn read_small_text(path: &Path, max: u64) -> std::io::Result<String> {
    use std::io::Read;
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("not a regular file but {}", kind_name(&meta.file_type())),
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(max + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("larger than {max} bytes"),
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// The largest config or theme file read.
pub const MAX_SETTINGS_BYTES: u64 = 1 << 20;

fn kind_name(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_dir() {
        "a directory"
    } else if ft.is_fifo() {
        "a named pipe (FIFO)"
    } else if ft.is_char_device() {
        "a character device"
    } else if ft.is_block_device() {
        "a block device"
    } else if ft.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_pass() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "x").unwrap();
        assert!(require_regular(&file, "the file").is_ok());
        assert!(require_regular(&dir.path().join("missing"), "the file").is_ok());
        let e = require_regular(dir.path(), "the file")
            .unwrap_err()
            .to_string();
        assert!(e.contains("a directory"), "{e}");
        let e = require_regular(Path::new("/dev/zero"), "the import file")
            .unwrap_err()
            .to_string();
        assert!(e.contains("character device"), "{e}");
    }
}
