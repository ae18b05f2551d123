//! One host, one trusted path (issue 22), with real OS accounts: `cchc host setup` makes a
//! group, the shared directory and a setgid copy of the binary; two members (not in the group)
//! reach the store only through that binary. Needs root (CI runs as root): it creates users and
//! a group and installs a setgid program; it fails, not skips, without.

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::pty::{CommandBuilder, Tui};
use common::*;

/// One OS account made for the test.
struct Account {
    login: String,
    uid: u32,
    gid: u32,
    home: PathBuf,
}

/// The host: a group and two accounts, removed when dropped.
struct Host {
    root: tempfile::TempDir,
    group: String,
    gid: u32,
    /// lan: the secretary; ha: a member of STP.
    lan: Account,
    ha: Account,
    /// The setgid copy members run, and a plain copy (not setgid) to compare with.
    bin: PathBuf,
    plain: PathBuf,
    dir: PathBuf,
    db: PathBuf,
}

fn need_root() {
    // SAFETY: getuid has no preconditions.
    assert_eq!(
        unsafe { libc::getuid() },
        0,
        "tests/trusted_path.rs needs root: it creates OS users and a group and installs a setgid binary (CI runs as root); run `cargo test --test trusted_path` as root"
    );
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"))
}

fn ok(cmd: &mut Command) -> Output {
    let out = run(cmd);
    assert_success(&out);
    out
}

fn id_of(flag: &str, login: &str) -> u32 {
    let out = ok(Command::new("id").args([flag, login]));
    stdout(&out).trim().parse().unwrap()
}

impl Host {
    fn new() -> Host {
        need_root();
        let root = tempfile::Builder::new()
            .prefix("cchc-trusted-")
            .tempdir_in("/tmp")
            .unwrap();
        chmod(root.path(), 0o755);
        let tag = format!("cct{}", std::process::id() % 100_000);
        let group = format!("{tag}g");
        let account = |name: &str| {
            let login = format!("{tag}{name}");
            let home = root.path().join(&login);
            ok(Command::new("useradd")
                .args(["-M", "-U", "-s", "/bin/sh", "-d"])
                .arg(&home)
                .arg(&login));
            let (uid, gid) = (id_of("-u", &login), id_of("-g", &login));
            std::fs::create_dir(&home).unwrap();
            std::os::unix::fs::chown(&home, Some(uid), Some(gid)).unwrap();
            Account {
                login,
                uid,
                gid,
                home,
            }
        };
        let (lan, ha) = (account("lan"), account("ha"));
        let bin_dir = root.path().join("bin");
        std::fs::create_dir(&bin_dir).unwrap();
        chmod(&bin_dir, 0o755);
        let (bin, plain) = (bin_dir.join("cchc"), bin_dir.join("cchc-plain"));
        for b in [&bin, &plain] {
            std::fs::copy(env!("CARGO_BIN_EXE_cchc"), b).unwrap();
            chmod(b, 0o755);
        }
        let dir = root.path().join("srv");
        Host {
            db: dir.join("cchc.sqlite3"),
            dir,
            gid: 0,
            root,
            group,
            lan,
            ha,
            bin,
            plain,
        }
    }

    /// `cchc host setup` as root, on the copy members run.
    fn setup(&mut self) -> String {
        let out = ok(Command::new(&self.plain)
            .args(["--lang", "en", "host", "setup", "--dir"])
            .arg(&self.dir)
            .args(["--group", &self.group, "--bin"])
            .arg(&self.bin)
            .env("CCHC_USER", "root"));
        self.gid = id_of_group(&self.group);
        stdout(&out)
    }

    /// cchc (`prog`) run as `who`, with a clean environment plus `env`.
    fn as_user(&self, who: &Account, env: &[&str], prog: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", &who.login, "--", "env", "-i"])
            .arg(format!("HOME={}", who.home.display()))
            .args(["PATH=/usr/bin:/bin", "LANG=C.UTF-8", "NO_COLOR=1"])
            .args(env)
            .arg(prog)
            .args(args);
        cmd
    }

    /// The setgid cchc as `who`, on the store, in English.
    fn cchc(&self, who: &Account, args: &[&str]) -> Command {
        let mut all = vec!["--lang", "en", "--db", self.db.to_str().unwrap()];
        all.extend(args);
        self.as_user(who, &[], &self.bin, &all)
    }

    fn last_entry(&self) -> serde_json::Value {
        let out = ok(Command::new(&self.plain)
            .args([
                "--db",
                self.db.to_str().unwrap(),
                "log",
                "--limit",
                "1",
                "--format",
                "json",
            ])
            .env("CCHC_USER", "root"));
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        v["items"][0].clone()
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        for a in [&self.lan, &self.ha] {
            let _ = Command::new("userdel").arg(&a.login).output();
        }
        let _ = Command::new("groupdel").arg(&self.group).output();
    }
}

fn id_of_group(group: &str) -> u32 {
    let out = ok(Command::new("getent").args(["group", group]));
    stdout(&out).split(':').nth(2).unwrap().parse().unwrap()
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn task_field(host: &Host, id: i64, field: &str) -> serde_json::Value {
    let out = ok(Command::new(&host.plain)
        .args([
            "--db",
            host.db.to_str().unwrap(),
            "task",
            "show",
            &id.to_string(),
            "--format",
            "json",
        ])
        .env("CCHC_USER", "root"));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    v["item"][field].clone()
}

/// The province's date now (Asia/Ho_Chi_Minh), whatever TZ says.
fn province_today() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive()
        .to_string()
}

#[test]
fn members_reach_the_store_only_through_cchc_as_themselves_on_the_real_clock() {
    let mut host = Host::new();
    let said = host.setup();
    assert!(
        said.contains("mode 2770") && said.contains("mode 2755"),
        "{said}"
    );
    // Running it again changes nothing.
    let again = host.setup();
    assert!(again.contains("nothing to change"), "{again}");
    let bin_meta = std::fs::metadata(&host.bin).unwrap();
    assert_eq!(
        (bin_meta.uid(), bin_meta.gid(), bin_meta.mode() & 0o7777),
        (0, host.gid, 0o2755)
    );
    let db = host.db.to_str().unwrap().to_string();
    let (lan, ha) = (&host.lan, &host.ha);
    ok(Command::new(&host.plain)
        .args([
            "--db",
            &db,
            "member",
            "add",
            "lan",
            "--agency",
            "SNV",
            "--role",
            "secretary",
            "--login",
            &lan.login,
        ])
        .env("CCHC_USER", "root"));
    ok(Command::new(&host.plain)
        .args([
            "--db", &db, "--user", "lan", "member", "add", "ha", "--agency", "STP", "--login",
            &ha.login,
        ])
        .env("CCHC_USER", "root"));

    // The sqlite3 shell cannot open the file, for writing or at all.
    let shell = run(&mut host.as_user(
        lan,
        &[],
        Path::new("/usr/bin/sqlite3"),
        &[&db, "UPDATE tasks SET progress = 99 WHERE id = 5"],
    ));
    assert!(
        !shell.status.success(),
        "sqlite3 wrote the store: {}",
        stdout(&shell)
    );
    assert_eq!(task_field(&host, 5, "progress"), 0);
    // Nor may a member replace, edit or remove anything in the directory.
    let poke = run(&mut host.as_user(
        lan,
        &[],
        Path::new("/bin/sh"),
        &["-c", &format!("echo x >> {db}; cp /dev/null {db}")],
    ));
    assert!(!poke.status.success());

    // Through cchc the member writes, as themselves.
    ok(&mut host.cchc(
        lan,
        &["task", "set", "5", "--progress", "40", "--note", "qua cchc"],
    ));
    assert_eq!(task_field(&host, 5, "progress"), 40);
    let e = host.last_entry();
    assert_eq!(
        (e["login"].as_str(), e["user"].as_str()),
        (Some(lan.login.as_str()), Some("lan")),
        "{e}"
    );
    assert_eq!(e["uid"], lan.uid);
    // The -wal and -shm a member's cchc made belong to the group, 0660, so the other member's
    // write works and doctor says so.
    for side in ["-wal", "-shm"] {
        let m = std::fs::metadata(format!("{db}{side}")).unwrap();
        assert_eq!((m.gid(), m.mode() & 0o777), (host.gid, 0o660), "{side}");
    }
    ok(&mut host.cchc(ha, &["task", "set", "103", "--progress", "10"]));
    let doctor = ok(&mut host.cchc(ha, &["doctor"]));
    assert!(
        stdout(&doctor).contains("writable     yes"),
        "{}",
        stdout(&doctor)
    );

    // An LD_PRELOAD shim that makes getuid say ha: ignored by the loader in a setgid program.
    let shim = host.root.path().join("shim.so");
    let src = host.root.path().join("shim.c");
    std::fs::write(
        &src,
        format!("#include <sys/types.h>\nuid_t getuid(void) {{ return {0}; }}\nuid_t geteuid(void) {{ return {0}; }}\n", ha.uid),
    )
    .unwrap();
    ok(Command::new("gcc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&shim)
        .arg(&src));
    chmod(&shim, 0o755);
    let preload = format!("LD_PRELOAD={}", shim.display());
    // The shim works on a program that is not setgid (lan's own file): the entry says ha.
    let own = lan.home.join("own.sqlite3");
    let own = own.to_str().unwrap();
    ok(&mut host.as_user(lan, &[], &host.plain, &["init", own]));
    ok(&mut host.as_user(
        lan,
        &[&preload],
        &host.plain,
        &["--db", own, "task", "set", "5", "--progress", "1"],
    ));
    let faked = ok(&mut host.as_user(
        lan,
        &[],
        &host.plain,
        &["--db", own, "log", "--limit", "1", "--format", "json"],
    ));
    assert!(
        stdout(&faked).contains(&format!("\"login\": \"{}\"", ha.login)),
        "the shim had no effect: {}",
        stdout(&faked)
    );
    // Through the setgid cchc it changes nothing: the entry is lan's.
    ok(&mut host.cchc_with(lan, &[&preload], &["task", "set", "5", "--progress", "41"]));
    let e = host.last_entry();
    assert_eq!(e["login"].as_str(), Some(lan.login.as_str()), "{e}");
    assert_eq!(e["uid"], lan.uid);

    // faketime backdates a write of a program that is not setgid…
    let faketime = |prog: &Path, db: &str, task: &str| {
        host.as_user(
            lan,
            &[],
            Path::new("/usr/bin/faketime"),
            &[
                "2021-03-04 05:06:07",
                prog.to_str().unwrap(),
                "--db",
                db,
                "--lang",
                "en",
                "task",
                "set",
                task,
                "--status",
                "done",
            ],
        )
    };
    ok(&mut faketime(&host.plain, own, "6"));
    let faked = ok(&mut host.as_user(
        lan,
        &[],
        &host.plain,
        &["--db", own, "task", "show", "6", "--format", "json"],
    ));
    assert!(
        stdout(&faked).contains("\"completed_on\": \"2021-03-04\""),
        "faketime had no effect: {}",
        stdout(&faked)
    );
    // …but not through the setgid cchc: the real date and time.
    let before = province_today();
    ok(&mut faketime(&host.bin, &db, "6"));
    let after = province_today();
    let done_on = task_field(&host, 6, "completed_on");
    assert!(
        done_on == before.as_str() || done_on == after.as_str(),
        "completed on {done_on}"
    );
    let e = host.last_entry();
    assert!(!e["at"].as_str().unwrap().starts_with("2021"), "{e}");
    // TZ does not move the province's date either (UTC-12 is a day behind it most hours).
    let before = province_today();
    ok(&mut host.cchc_with(
        lan,
        &["TZ=Etc/GMT+12"],
        &["task", "set", "7", "--status", "done"],
    ));
    let after = province_today();
    let done_on = task_field(&host, 7, "completed_on");
    assert!(
        done_on == before.as_str() || done_on == after.as_str(),
        "completed on {done_on} with TZ"
    );

    // --output files are the member's, with the member's own group.
    for (format, file) in [("csv", "tasks.csv"), ("xlsx", "tasks.xlsx")] {
        let path = lan.home.join(file);
        ok(&mut host.cchc(
            lan,
            &[
                "export",
                "--format",
                format,
                "--output",
                path.to_str().unwrap(),
            ],
        ));
        let m = std::fs::metadata(&path).unwrap();
        assert_eq!((m.uid(), m.gid()), (lan.uid, lan.gid), "{file}");
    }

    // A member's own default file is theirs: the setgid cchc creates it without the group.
    ok(&mut host.as_user(lan, &[], &host.bin, &["--lang", "en", "areas"]));
    let own_default = lan.home.join(".local/share/cchc/cchc.sqlite3");
    let m = std::fs::metadata(&own_default).unwrap();
    assert_eq!((m.uid(), m.gid()), (lan.uid, lan.gid));

    // A member outside the group, with a cchc that is not setgid, is told why.
    let denied = run(&mut host.as_user(
        lan,
        &[],
        &host.plain,
        &["--lang", "en", "--db", &db, "tasks"],
    ));
    assert_eq!(denied.status.code(), Some(1));
    assert!(
        stderr(&denied).contains("permission denied"),
        "{}",
        stderr(&denied)
    );

    // With the group, --db names only the store: not a file beside it, not a link to it.
    let backups = host.dir.join("backups");
    let copy = backups.join("cchc-2026-12-01.sqlite3");
    ok(Command::new(&host.plain)
        .args(["--db", &db, "backup", copy.to_str().unwrap()])
        .env("CCHC_USER", "root"));
    let heads = backups.join("cchc-heads.txt");
    let pinned = std::fs::read(&heads).unwrap();
    let link = lan.home.join("link.sqlite3");
    std::os::unix::fs::symlink(&host.db, &link).unwrap();
    for other in [heads.to_str().unwrap(), link.to_str().unwrap()] {
        let out =
            run(&mut host.as_user(lan, &[], &host.bin, &["--lang", "en", "--db", other, "log"]));
        assert_eq!(out.status.code(), Some(1), "{other}: {}", stdout(&out));
        assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));
        assert!(stdout(&out).is_empty());
    }

    // A member cannot replace the heads file, by hand or with a backup of their own there.
    let poke = run(&mut host.as_user(
        lan,
        &[],
        Path::new("/bin/sh"),
        &[
            "-c",
            &format!(
                "echo 1:0000000000000000 > {0}.new && mv {0}.new {0}",
                heads.display()
            ),
        ],
    ));
    assert!(!poke.status.success());
    let theirs = run(&mut host.cchc(
        lan,
        &["backup", backups.join("mine.sqlite3").to_str().unwrap()],
    ));
    assert_eq!(theirs.status.code(), Some(1), "{}", stderr(&theirs));
    assert_eq!(std::fs::read(&heads).unwrap(), pinned);
    // Doctor, run by a member, reads the pinned head and the backup it names with the group.
    let doctor = ok(&mut host.cchc(ha, &["doctor"]));
    let text = stdout(&doctor);
    assert!(
        text.contains("is in the chain") && text.contains("holds #"),
        "{text}"
    );

    // $EDITOR runs as the member, with the member's own group (real, effective and saved).
    let editor = host.root.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\ngrep '^Gid:' /proc/$$/status > \"$HOME/editor-gid\"\nprintf 'ghi chú dài\\n' > \"$1\"\n",
    )
    .unwrap();
    chmod(&editor, 0o755);
    let mut cmd = CommandBuilder::new("runuser");
    cmd.args(["-u", &lan.login, "--", "env", "-i"]);
    cmd.arg(format!("HOME={}", lan.home.display()));
    cmd.args(["PATH=/usr/bin:/bin", "LANG=C.UTF-8", "TERM=xterm-256color"]);
    cmd.arg(format!("EDITOR={}", editor.display()));
    cmd.arg(&host.bin);
    cmd.args(["--db", &db, "--today", "2027-01-01"]);
    cmd.cwd(&lan.home);
    let mut tui = Tui::spawn_command(cmd, 100, 30);
    tui.wait_for("the task screen", |s| s.contains("01/01/2027"));
    tui.send("N");
    tui.wait_for("the note saved", |s| s.contains("Đã lưu #"));
    tui.send("Q");
    assert!(tui.wait_exit());
    let gids = std::fs::read_to_string(lan.home.join("editor-gid")).unwrap();
    let gids: Vec<u32> = gids
        .split_whitespace()
        .skip(1)
        .map(|g| g.parse().unwrap())
        .collect();
    assert_eq!(gids, vec![lan.gid; 4], "the editor ran with another group");
}

impl Host {
    fn cchc_with(&self, who: &Account, env: &[&str], args: &[&str]) -> Command {
        let mut all = vec!["--lang", "en", "--db", self.db.to_str().unwrap()];
        all.extend(args);
        self.as_user(who, env, &self.bin, &all)
    }
}
