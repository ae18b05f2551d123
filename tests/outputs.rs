//! Outputs never destroy (issue 22): `--output` onto a symlink, a FIFO or a device is refused
//! and leaves it as it was; an existing file is replaced only with --force or when cchc made
//! it, keeping its owner and mode; a full disk leaves the old file whole and nothing beside it.

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Output;

use common::*;

fn export(sb: &Sandbox, db: &Path, format: &str, out: &Path, extra: &[&str]) -> Output {
    sb.cchc()
        .args(["--lang", "en", "export", "--format", format, "--output"])
        .arg(out)
        .args(extra)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap()
}

/// A refusal: exit 1, one line on stderr that says `why`.
fn refused(out: &Output, why: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains(why), "{err}");
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_symlink_a_fifo_and_a_device_are_refused_and_left_as_they_were() {
    let sb = Sandbox::new();
    let db = sb.init_sqlite("o.sqlite3");
    let victim = sb.path("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let link = sb.path("link.csv");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    refused(&export(&sb, &db, "csv", &link, &[]), "symbolic link");
    // Not even --force writes through a link.
    refused(
        &export(&sb, &db, "xlsx", &link, &["--force"]),
        "symbolic link",
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");

    let fifo = sb.path("pipe.json");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    // Refused without being opened: opening a FIFO nobody reads would wait forever.
    refused(&export(&sb, &db, "json", &fifo, &["--force"]), "FIFO");
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );

    // /dev/full (as root, CI's account, it could be written), /dev/stdout (a link), a directory.
    refused(
        &export(&sb, &db, "csv", Path::new("/dev/full"), &["--force"]),
        "a device",
    );
    refused(
        &export(&sb, &db, "csv", Path::new("/dev/stdout"), &[]),
        "symbolic link",
    );
    let report = sb
        .cchc()
        .args([
            "--lang",
            "en",
            "report",
            "--quarter",
            "2026Q4",
            "--format",
            "docx",
            "--output",
            "/dev/null",
            "--force",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    refused(&report, "a device");
    refused(&export(&sb, &db, "csv", sb.dir.path(), &[]), "");
    let meta = std::fs::metadata("/dev/full").unwrap();
    assert!(meta.file_type().is_char_device());
}

#[test]
fn an_existing_file_is_replaced_only_when_cchc_made_it_or_with_force() {
    let sb = Sandbox::new();
    let db = sb.init_sqlite("o.sqlite3");
    let mine = sb.path("mine.csv");
    std::fs::write(&mine, "my own notes\n").unwrap();
    std::fs::set_permissions(&mine, std::fs::Permissions::from_mode(0o600)).unwrap();
    // SAFETY: getuid has no preconditions.
    let root = unsafe { libc::getuid() } == 0;
    if root {
        // Another user's file, as root replaces it.
        std::os::unix::fs::chown(&mine, Some(65534), Some(65534)).unwrap();
    }
    refused(&export(&sb, &db, "csv", &mine, &[]), "--force");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my own notes\n");
    assert_success(&export(&sb, &db, "csv", &mine, &["--force"]));
    assert!(std::fs::read_to_string(&mine).unwrap().starts_with("id,"));
    let m = std::fs::metadata(&mine).unwrap();
    assert_eq!(m.mode() & 0o777, 0o600, "the mode was not kept");
    if root {
        assert_eq!((m.uid(), m.gid()), (65534, 65534), "the owner was not kept");
    }
    // A file cchc made is replaced without --force (its mark), in every format.
    for (format, name) in [("json", "out.json"), ("xlsx", "out.xlsx")] {
        let out = sb.path(name);
        assert_success(&export(&sb, &db, format, &out, &[]));
        assert_success(&export(&sb, &db, format, &out, &[]));
    }
    let docx = sb.path("r.docx");
    for _ in 0..2 {
        assert_success(
            &sb.cchc()
                .args([
                    "report",
                    "--quarter",
                    "2026Q4",
                    "--format",
                    "docx",
                    "--output",
                ])
                .arg(&docx)
                .arg("--db")
                .arg(&db)
                .output()
                .unwrap(),
        );
    }
    // Nothing left beside them.
    assert_eq!(
        names_in(sb.dir.path())
            .into_iter()
            .filter(|n| n.contains("cchc-") || n.ends_with(".part"))
            .collect::<Vec<_>>(),
        Vec::<String>::new()
    );
}

/// Unmounts the tiny filesystem even when the test fails.
struct Mounted(std::ffi::CString);

impl Drop for Mounted {
    fn drop(&mut self) {
        // SAFETY: a valid NUL-terminated path; umount2 touches nothing else.
        unsafe { libc::umount2(self.0.as_ptr(), libc::MNT_DETACH) };
    }
}

#[test]
fn a_full_disk_leaves_the_old_file_whole_and_nothing_beside_it() {
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: getuid has no preconditions.
    assert_eq!(
        unsafe { libc::getuid() },
        0,
        "this test mounts a 1 MiB tmpfs to fill it for real: it needs root (CI runs as root)"
    );
    let sb = Sandbox::new();
    let db = sb.init_sqlite("o.sqlite3");
    let mnt = sb.path("tiny");
    std::fs::create_dir(&mnt).unwrap();
    let target = std::ffi::CString::new(mnt.as_os_str().as_bytes()).unwrap();
    // SAFETY: valid NUL-terminated strings; mount either mounts or fails.
    let rc = unsafe {
        libc::mount(
            c"tmpfs".as_ptr(),
            target.as_ptr(),
            c"tmpfs".as_ptr(),
            0,
            c"size=1m".as_ptr().cast(),
        )
    };
    assert_eq!(rc, 0, "mount a tmpfs: {}", std::io::Error::last_os_error());
    let _mounted = Mounted(target);
    let outputs = [
        ("csv", "old.csv"),
        ("json", "old.json"),
        ("xlsx", "old.xlsx"),
    ];
    for (format, name) in outputs {
        std::fs::write(mnt.join(name), format!("the old {format}")).unwrap();
    }
    // Fill what is left.
    let filler = mnt.join("filler");
    let _ = std::fs::write(&filler, vec![0u8; 2 << 20]);
    for (format, name) in outputs {
        let out = export(&sb, &db, format, &mnt.join(name), &["--force"]);
        refused(&out, "the disk is full");
        assert!(stderr(&out).contains("left as it was"), "{}", stderr(&out));
        assert_eq!(
            std::fs::read_to_string(mnt.join(name)).unwrap(),
            format!("the old {format}")
        );
    }
    let docx = sb
        .cchc()
        .args([
            "--lang",
            "en",
            "report",
            "--quarter",
            "2026Q4",
            "--format",
            "docx",
            "--output",
        ])
        .arg(mnt.join("new.docx"))
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    refused(&docx, "the disk is full");
    let mut want: Vec<String> = outputs.iter().map(|(_, n)| n.to_string()).collect();
    want.push("filler".into());
    want.sort();
    assert_eq!(
        names_in(&mnt),
        want,
        "something was left beside the outputs"
    );
}
