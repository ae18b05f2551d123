//! Which kind of filesystem holds the database. SQLite's WAL keeps its index in shared memory
//! (the `-shm` file, mapped by every process), which only works when every member opens the
//! file on the same host: a network filesystem gives each host its own copy of that memory
//! and its locks are not to be trusted either. So cchc refuses such a file unless asked to use
//! the slower rollback journal (`--network-share`).

use std::path::Path;

/// A filesystem on which WAL is unsafe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkFs {
    Nfs,
    Cifs,
    Smb,
    Smb2,
    /// FUSE: sshfs, rclone, cloud drives… the kernel cannot tell a local FUSE filesystem from
    /// a remote one, so all are treated as remote.
    Fuse,
    NineP,
    Ceph,
    Afs,
    Coda,
    Lustre,
}

impl NetworkFs {
    pub fn name(self) -> &'static str {
        match self {
            NetworkFs::Nfs => "NFS",
            NetworkFs::Cifs => "CIFS",
            NetworkFs::Smb => "SMB",
            NetworkFs::Smb2 => "SMB2",
            NetworkFs::Fuse => "FUSE",
            NetworkFs::NineP => "9p",
            NetworkFs::Ceph => "Ceph",
            NetworkFs::Afs => "AFS",
            NetworkFs::Coda => "Coda",
            NetworkFs::Lustre => "Lustre",
        }
    }

    /// The names `CCHC_FAKE_FS` accepts (lowercase), for tests.
    #[cfg(any(test, feature = "test-hooks"))]
    fn parse(s: &str) -> Option<NetworkFs> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "nfs" => NetworkFs::Nfs,
            "cifs" => NetworkFs::Cifs,
            "smb" => NetworkFs::Smb,
            "smb2" => NetworkFs::Smb2,
            "fuse" => NetworkFs::Fuse,
            "9p" => NetworkFs::NineP,
            "ceph" => NetworkFs::Ceph,
            "afs" => NetworkFs::Afs,
            "coda" => NetworkFs::Coda,
            "lustre" => NetworkFs::Lustre,
            _ => return None,
        })
    }
}

/// Classifies a Linux `statfs.f_type` magic number (from `linux/magic.h`); `None` means a
/// local filesystem (or one we do not know, which we treat as local).
pub fn classify(f_type: u32) -> Option<NetworkFs> {
    Some(match f_type {
        0x6969 => NetworkFs::Nfs,
        0xFF53_4D42 => NetworkFs::Cifs,
        0x517B => NetworkFs::Smb,
        0xFE53_4D42 => NetworkFs::Smb2,
        0x6573_5546 => NetworkFs::Fuse,
        0x0102_1997 => NetworkFs::NineP,
        0x00C3_6400 => NetworkFs::Ceph,
        0x5346_414F | 0x6B41_4653 => NetworkFs::Afs,
        0x7375_7245 => NetworkFs::Coda,
        0x0BD0_0BD0 => NetworkFs::Lustre,
        _ => return None,
    })
}

/// The filesystem holding `dir`. In builds with the `test-hooks` feature (the tests', never a
/// release) `CCHC_FAKE_FS` (`nfs`, `cifs`, `smb`, `smb2`, `fuse`, `9p`, … or `local`) overrides
/// the answer so tests can exercise the refusal without a server.
/// A directory that cannot be examined counts as local: opening the file will report it.
pub fn detect(dir: &Path) -> Option<NetworkFs> {
    #[cfg(feature = "test-hooks")]
    if let Some(fake) = std::env::var_os("CCHC_FAKE_FS") {
        return NetworkFs::parse(&fake.to_string_lossy());
    }
    f_type_of(dir).and_then(classify)
}

#[cfg(target_os = "linux")]
fn f_type_of(dir: &Path) -> Option<u32> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut st = std::mem::MaybeUninit::<libc::statfs>::zeroed();
    // SAFETY: `c` is a valid NUL-terminated path and `st` points to writable memory of the
    // right size; statfs fills it or fails without touching anything else.
    let rc = unsafe { libc::statfs(c.as_ptr(), st.as_mut_ptr()) };
    if rc != 0 {
        return None;
    }
    // SAFETY: statfs returned 0, so it initialised the struct.
    let st = unsafe { st.assume_init() };
    // `f_type` is signed on some targets: keep the low 32 bits, as the magic numbers are.
    #[allow(clippy::unnecessary_cast)]
    Some((st.f_type as u64 & 0xFFFF_FFFF) as u32)
}

#[cfg(not(target_os = "linux"))]
fn f_type_of(_dir: &Path) -> Option<u32> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_magics_are_recognised() {
        assert_eq!(classify(0x6969), Some(NetworkFs::Nfs));
        assert_eq!(classify(0xFF53_4D42), Some(NetworkFs::Cifs));
        assert_eq!(classify(0x517B), Some(NetworkFs::Smb));
        assert_eq!(classify(0xFE53_4D42), Some(NetworkFs::Smb2));
        assert_eq!(classify(0x6573_5546), Some(NetworkFs::Fuse));
        assert_eq!(classify(0x0102_1997), Some(NetworkFs::NineP));
    }

    #[test]
    fn local_magics_are_local() {
        // ext2/3/4, tmpfs, btrfs, xfs, overlayfs, zfs
        for magic in [
            0xEF53,
            0x0102_1994,
            0x9123_683E,
            0x5846_5342,
            0x794C_7630,
            0x2FC1_2FC1,
        ] {
            assert_eq!(classify(magic), None, "{magic:#x}");
        }
    }

    #[test]
    fn the_temp_dir_is_examined() {
        let dir = tempfile::tempdir().unwrap();
        assert!(f_type_of(dir.path()).is_some() || cfg!(not(target_os = "linux")));
        assert!(f_type_of(&dir.path().join("missing")).is_none());
    }

    #[test]
    fn fake_names_parse() {
        assert_eq!(NetworkFs::parse("NFS"), Some(NetworkFs::Nfs));
        assert_eq!(NetworkFs::parse("9p"), Some(NetworkFs::NineP));
        assert_eq!(NetworkFs::parse("local"), None);
    }
}
