#!/usr/bin/env bash
# Installs the Debian package built by packaging/build-deb.sh (with apt, as README says, which
# pulls its dependencies) and checks, as an administrator would, what it sets up: the binary on
# PATH, a man page per subcommand, the completions (asking the installed cchc), the docs, the cchc
# group and user, /srv/cchc with setgid 2770, the trusted path (/usr/bin/cchc setgid cchc by
# dpkg-statoverride, the store 0660 root:cchc, a member outside the group who writes through
# cchc and not with sqlite3), the backup timer, a store that passes `cchc doctor`, and a verified
# nightly backup made by the service's own script as user cchc. Then removes the package and
# checks the records stay. Needs root; fails loudly at the first broken check.
#
#   bash packaging/test-deb.sh [target/debian/cchc_*.deb]
#
# It refuses to run on a host whose /srv/cchc it did not create (a real installation).
set -euo pipefail
cd "$(dirname "$0")/.."

DEB=${1:-$(ls -t target/debian/cchc_*.deb 2>/dev/null | head -n 1)}
SRV=/srv/cchc
DB=$SRV/cchc.sqlite3
MARK=$SRV/.cchc-package-test # made by this script: the only /srv/cchc it may delete
MEMBER=cchcdebm              # an account this script makes: a member, not in the group
PASSED=0

fail() {
    echo "test-deb: FAILED: $*" >&2
    exit 1
}
ok() {
    PASSED=$((PASSED + 1))
    echo "ok - $*"
}
# Runs a command as the backup service does: user cchc, its environment only (HOME as systemd
# sets it), umask 0007, the settings of /etc/default/cchc-backup.
as_service() {
    runuser -u cchc -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/nonexistent USER=cchc \
        LOGNAME=cchc sh -c 'umask 0007; set -a; . /etc/default/cchc-backup; set +a; exec "$@"' sh "$@"
}

[ "$(id -u)" = 0 ] || fail "run as root: it installs a package and makes system users"
[ -n "$DEB" ] && [ -f "$DEB" ] || fail "no package: run bash packaging/build-deb.sh first"
if [ -e "$SRV" ] && [ ! -e "$MARK" ]; then
    fail "$SRV exists and was not made by this test: run it on a CI machine or a container"
fi

cleanup() {
    if dpkg -s cchc >/dev/null 2>&1; then dpkg -P cchc >/dev/null || true; fi
    if [ -e "$MARK" ]; then rm -rf "$SRV"; fi
    if getent passwd "$MEMBER" >/dev/null; then userdel "$MEMBER" || true; fi
}
cleanup # a run that failed half-way left its package and directory
trap cleanup EXIT

echo "== apt-get install $DEB"
# As README says: apt, not dpkg -i, so the package's dependencies (adduser) come along.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$(realpath "$DEB")" >/dev/null
touch "$MARK"

# The binary, its manual and completions. (No `grep -q` after a pipe in this file: it stops at
# the first match, the writer then dies of SIGPIPE and pipefail calls the check failed.)
[ "$(command -v cchc)" = /usr/bin/cchc ] || fail "cchc is not on PATH as /usr/bin/cchc"
cchc --version | grep '^cchc ' >/dev/null || fail "cchc --version does not run"
ok "cchc on PATH: $(cchc --version)"
page=$(man -w cchc) || fail "man -w cchc finds no page"
[ "$page" = /usr/share/man/man1/cchc.1.gz ] || fail "man -w cchc found $page, not the package's page"
MANPAGER=cat MANWIDTH=80 man cchc 2>/dev/null | grep 'backup' >/dev/null || fail "man cchc does not list the backup command"
ok "man -w cchc: $page"
# Every page the main page names is installed, and man renders each with its own sections.
pages=$(MANPAGER=cat MANWIDTH=200 man cchc 2>/dev/null | grep -o 'cchc-[a-z-]*(1)' | sort -u | tr -d '()' | sed 's/1$//')
[ -n "$pages" ] || fail "man cchc names no subcommand page"
for name in $pages; do
    shown=$(MANPAGER=cat MANWIDTH=80 man "$name" 2>&1) || fail "man $name: $shown"
    for section in ENVIRONMENT FILES 'EXIT STATUS'; do
        echo "$shown" | grep "^$section" >/dev/null || fail "man $name has no $section section"
    done
done
MANPAGER=cat MANWIDTH=80 man cchc 2>/dev/null | grep '^KEYS' >/dev/null || fail "man cchc has no KEYS section"
ok "a man page per subcommand, each with ENVIRONMENT, FILES and EXIT STATUS: $(echo $pages | wc -w) pages"
comp=/usr/share/bash-completion/completions/cchc
[ -s "$comp" ] || fail "no bash completion at $comp"
bash -c "source $comp && complete -p cchc" | grep cchc >/dev/null || fail "$comp does not register a completion for cchc"
# The script asks the installed cchc: `cchc tasks --status <Tab>` offers the four statuses.
got=$(bash -c "source $comp; COMP_WORDS=(cchc tasks --status ''); COMP_CWORD=3; _clap_complete_cchc cchc '' --status; printf '%s ' \"\${COMPREPLY[@]}\"")
[ "$got" = "not-started in-progress done blocked " ] || fail "bash completes --status to '$got'"
ok "bash completion registers and completes from the installed cchc: $comp"
[ -s /usr/share/zsh/vendor-completions/_cchc ] || fail "no zsh completion"
[ -s /usr/share/fish/vendor_completions.d/cchc.fish ] || fail "no fish completion"
ok "zsh and fish completions installed"

# The group, the backup user, the directories.
getent group cchc >/dev/null || fail "no cchc group"
[ "$(id -gn cchc)" = cchc ] || fail "user cchc is not in group cchc"
ok "group cchc and system user cchc (primary group cchc)"
for dir in $SRV $SRV/backups; do
    got=$(stat -c '%a %U %G' "$dir")
    [ "$got" = "2770 root cchc" ] || fail "$dir is '$got', not '2770 root cchc'"
done
ok "$SRV and $SRV/backups: mode 2770, root:cchc"

# The timer: installed, enabled for the next boot (systemd need not be running here).
unit_dir=""
for d in /usr/lib/systemd/system /lib/systemd/system; do
    if [ -f "$d/cchc-backup.timer" ]; then unit_dir=$d; break; fi
done
[ -n "$unit_dir" ] || fail "cchc-backup.timer is not installed"
[ -f "$unit_dir/cchc-backup.service" ] || fail "cchc-backup.service is not installed"
[ -L /etc/systemd/system/timers.target.wants/cchc-backup.timer ] \
    || fail "cchc-backup.timer is not enabled (no timers.target.wants link)"
grep -q '^OnCalendar=' "$unit_dir/cchc-backup.timer" || fail "the timer has no OnCalendar="
grep -q '^User=cchc$' "$unit_dir/cchc-backup.service" || fail "the service does not run as user cchc"
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify "$unit_dir/cchc-backup.timer" "$unit_dir/cchc-backup.service" \
        || fail "systemd-analyze verify rejects the units"
fi
ok "cchc-backup.timer and .service installed in $unit_dir, timer enabled, units verify"

# The weekly letters urging late agencies: installed, opt-in (not enabled), their settings file;
# without a member to record them under, the script refuses and sends nothing.
[ -f "$unit_dir/cchc-remind.timer" ] && [ -f "$unit_dir/cchc-remind.service" ] \
    || fail "cchc-remind.timer/.service are not installed in $unit_dir"
[ ! -e /etc/systemd/system/timers.target.wants/cchc-remind.timer ] \
    || fail "cchc-remind.timer is enabled by the package; it must be opt-in"
[ -f /etc/default/cchc-remind ] || fail "/etc/default/cchc-remind is not installed"
grep -q 'remind --all --due-within "$DAYS" --mail' /usr/lib/cchc/remind-weekly \
    || fail "remind-weekly does not run cchc remind --all --mail"
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify "$unit_dir/cchc-remind.timer" "$unit_dir/cchc-remind.service" \
        || fail "systemd-analyze verify rejects the remind units"
fi
if out=$(env -i PATH=/usr/bin:/bin /usr/lib/cchc/remind-weekly 2>&1); then
    fail "remind-weekly ran without CCHC_REMIND_USER: $out"
fi
echo "$out" | grep -q CCHC_REMIND_USER || fail "remind-weekly does not say what is missing: $out"
ok "cchc-remind.timer and .service installed, not enabled (opt-in), /etc/default/cchc-remind"

# The trusted path: the store made by `cchc host setup` in the postinst, the binary setgid cchc.
[ -f "$DB" ] || fail "the package made no store at $DB"
got=$(stat -c '%a %U %G' "$DB")
[ "$got" = "660 root cchc" ] || fail "$DB is '$got', not '660 root cchc'"
got=$(stat -c '%a %U %G' /usr/bin/cchc)
[ "$got" = "2755 root cchc" ] || fail "/usr/bin/cchc is '$got', not '2755 root cchc'"
[ "$(dpkg-statoverride --list /usr/bin/cchc)" = "root cchc 2755 /usr/bin/cchc" ] \
    || fail "no dpkg-statoverride for /usr/bin/cchc"
cchc --db "$DB" doctor || fail "cchc doctor finds a problem in the fresh store"
ok "the store $DB (0660 root:cchc), /usr/bin/cchc setgid cchc by dpkg-statoverride, doctor passes"
out=$(cchc --lang en host setup --dir "$SRV" --bin /usr/bin/cchc) || fail "host setup run again: $out"
echo "$out" | grep 'nothing to change' >/dev/null || fail "host setup run again changed something: $out"
ok "cchc host setup run again changes nothing"
useradd -M -s /bin/sh "$MEMBER"
as_member() { runuser -u "$MEMBER" -- env -i HOME=/tmp PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"; }
if as_member sqlite3 "$DB" 'PRAGMA user_version' >/dev/null 2>&1; then
    fail "a member outside the group opened the store with sqlite3"
fi
as_member cchc --db "$DB" task set 5 --progress 10 >/dev/null || fail "a member cannot write through cchc"
as_member cchc --db "$DB" log --limit 1 --format json | grep "\"login\": \"$MEMBER\"" >/dev/null \
    || fail "the member's write is not logged under their login"
ok "a member outside the group: sqlite3 cannot open the store, cchc writes as them"

for doc in README.md OPERATIONS.md TUI.md MEETING.md JSON.md; do
    [ -s "/usr/share/doc/cchc/$doc" ] || fail "/usr/share/doc/cchc/$doc is not installed (help and README point to it)"
done
ok "docs installed in /usr/share/doc/cchc: README, OPERATIONS, TUI, MEETING, JSON"

# A store moved away: the nightly script skips quietly.
mv "$DB" "$DB.away"
out=$(as_service /usr/lib/cchc/backup-nightly) || fail "the backup script fails when there is no store: $out"
[ -z "$(ls -A $SRV/backups)" ] || fail "the backup script wrote something with no store: $(ls -A $SRV/backups)"
mv "$DB.away" "$DB"
ok "no store: the backup skips quietly ($out)"

# The nightly backup, as the service runs it.
today=$SRV/backups/cchc-$(date +%F).sqlite3
as_service /usr/lib/cchc/backup-nightly || fail "the nightly backup failed"
[ -f "$today" ] || fail "the nightly backup made no $today"
got=$(stat -c '%a %U %G' "$today")
[ "$got" = "660 cchc cchc" ] || fail "$today is '$got', not '660 cchc cchc' (the group must read it)"
check=$(sqlite3 "$today" 'PRAGMA integrity_check') || fail "sqlite3 cannot read $today"
[ "$check" = ok ] || fail "sqlite3's integrity_check of $today: $check"
cchc --db "$today" doctor >/dev/null || fail "cchc doctor rejects the backup copy"
grep -q "$(basename "$today")" $SRV/backups/cchc-heads.txt || fail "the backup's head is not in cchc-heads.txt"
ok "nightly backup as user cchc: $today verified (sqlite3 integrity_check, cchc doctor, head pinned)"
as_service /usr/lib/cchc/backup-nightly >/dev/null || fail "a second backup the same day failed"
[ "$(ls $SRV/backups/cchc-*.sqlite3 | wc -l)" = 2 ] || fail "a second backup the same day did not make a second file"
ok "a second run the same day makes a second copy, never overwrites"

# The settings file, as an administrator edits it: copies older than CCHC_BACKUP_KEEP_DAYS go.
old=$SRV/backups/cchc-2000-01-01.sqlite3
cp "$today" "$old" && touch -d '40 days ago' "$old"
echo 'CCHC_BACKUP_KEEP_DAYS=30' >>/etc/default/cchc-backup
as_service /usr/lib/cchc/backup-nightly >/dev/null || fail "a backup with CCHC_BACKUP_KEEP_DAYS=30 failed"
[ ! -e "$old" ] || fail "CCHC_BACKUP_KEEP_DAYS=30 kept a copy 40 days old"
[ "$(ls $SRV/backups/cchc-*.sqlite3 | wc -l)" = 3 ] || fail "CCHC_BACKUP_KEEP_DAYS=30 removed a recent copy"
ok "CCHC_BACKUP_KEEP_DAYS=30 in /etc/default/cchc-backup removes only the copies older than 30 days"
echo 'CCHC_BACKUP_KEEP_DAYS=thirty' >>/etc/default/cchc-backup
if out=$(as_service /usr/lib/cchc/backup-nightly 2>&1); then
    fail "CCHC_BACKUP_KEEP_DAYS=thirty was accepted"
fi
echo "$out" | grep 'CCHC_BACKUP_KEEP_DAYS=thirty' >/dev/null || fail "a bad CCHC_BACKUP_KEEP_DAYS is not named: $out"
[ "$(ls $SRV/backups/cchc-*.sqlite3 | wc -l)" = 3 ] || fail "a bad setting still made or removed a copy"
ok "a bad CCHC_BACKUP_KEEP_DAYS fails with a message, and nothing is copied or removed ($out)"
cchc --db "$DB" doctor >/dev/null || fail "cchc doctor fails after the backups"
ok "cchc doctor passes with the pinned heads"

# Removal: the program goes, the records stay.
echo "== dpkg -r cchc"
dpkg -r cchc
[ ! -e /usr/bin/cchc ] || fail "dpkg -r left /usr/bin/cchc"
[ ! -e "$unit_dir/cchc-backup.timer" ] || fail "dpkg -r left the timer unit"
[ -f "$DB" ] && [ -f "$today" ] || fail "dpkg -r removed the database or its backups"
ok "dpkg -r cchc removes the program and keeps $DB and its backups"
dpkg -P cchc >/dev/null
[ ! -e /etc/default/cchc-backup ] || fail "dpkg -P left /etc/default/cchc-backup"
if dpkg-statoverride --list /usr/bin/cchc >/dev/null 2>&1; then
    fail "dpkg -P left the override of /usr/bin/cchc"
fi
[ -f "$DB" ] || fail "dpkg -P removed the database"
ok "dpkg -P cchc keeps the records too"

echo "test-deb: $PASSED checks passed"
