//! The task list a window at a time (issue 11): keyset pages walk every sort order to both ends
//! and agree with sorting every task in memory; skips land on the right rows; the
//! tally the triggers keep gives the same counts as counting the tasks, also after several
//! processes wrote at once.

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use cchc::model::{Status, Task, TaskPatch};
use cchc::store::{ListKey, ListSpec, OpenOptions, Page, Store, TaskFilter, paged};
use cchc::view::{Scope, Sort};
use common::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
}

fn seeded(path: &std::path::Path) -> Store {
    Store::open(
        path,
        "tester",
        OpenOptions {
            create_with: Some(cchc::plan::load().unwrap()),
            ..Default::default()
        },
    )
    .unwrap()
}

/// A seeded file with every display state present: some tasks done (on time or late, as the
/// clock is after many due dates), some started, one moved to another area and agency.
fn varied(dir: &std::path::Path) -> Store {
    let mut store = seeded(&common::new_db(dir, "p.sqlite3"));
    let tasks = store.tasks(&TaskFilter::default()).unwrap();
    for (i, t) in tasks.iter().enumerate() {
        let patch = match i % 9 {
            0 => TaskPatch {
                status: Some(Status::Done),
                ..Default::default()
            },
            3 => TaskPatch {
                status: Some(Status::InProgress),
                progress: Some(30),
                ..Default::default()
            },
            5 => TaskPatch {
                progress: Some(10),
                ..Default::default()
            },
            _ => continue,
        };
        store.update_task(t.id, None, &patch, None).unwrap();
    }
    let moved = tasks[1].id;
    store
        .update_task(
            moved,
            None,
            &TaskPatch {
                area: Some("tai-chinh".into()),
                lead_agency: Some("STC".into()),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    store
}

/// The list as the old TUI built it: every task in memory, filtered, sorted by `Sort::key`.
fn reference(store: &Store, spec: &ListSpec) -> Vec<Task> {
    let areas: Vec<String> = store.areas().unwrap().into_iter().map(|a| a.code).collect();
    let agencies: Vec<String> = store
        .agencies()
        .unwrap()
        .into_iter()
        .map(|a| a.code)
        .collect();
    let rank = |list: &[String], code: &str| list.iter().position(|c| c == code).unwrap();
    let mut tasks: Vec<Task> = store
        .tasks(&TaskFilter::default())
        .unwrap()
        .into_iter()
        .filter(|t| spec.scope.contains(t) && (!spec.overdue || t.is_overdue(spec.today)))
        .collect();
    tasks.sort_by_key(|t| {
        spec.sort.key(
            t,
            spec.today,
            rank(&areas, &t.area),
            rank(&agencies, &t.lead_agency),
        )
    });
    if spec.reverse {
        tasks.reverse();
    }
    tasks
}

fn ids(rows: &[(ListKey, Task)]) -> Vec<i64> {
    rows.iter().map(|(_, t)| t.id).collect()
}

/// Every order in every scope, with and without the overdue filter; reversed, over all tasks.
fn specs(sorts: impl Iterator<Item = Sort>) -> Vec<ListSpec> {
    let mut out = Vec::new();
    for sort in sorts {
        for scope in [
            Scope::All,
            Scope::Area("tthc".into()),
            Scope::Agency("SNV".into()),
        ] {
            for overdue in [false, true] {
                for reverse in [false, true] {
                    if reverse && scope != Scope::All {
                        continue;
                    }
                    out.push(ListSpec {
                        scope: scope.clone(),
                        overdue,
                        sort,
                        reverse,
                        today: today(),
                    });
                }
            }
        }
    }
    out
}

/// The orders no index serves (number, title, progress) come as one id list; every order's
/// list, and a search's hits put in the list's order, are what sorting in memory gives.
#[test]
fn every_order_lists_what_sorting_in_memory_gives() {
    let dir = tempfile::tempdir().unwrap();
    let store = varied(dir.path());
    for spec in specs(Sort::ALL.into_iter()) {
        let want: Vec<i64> = reference(&store, &spec).iter().map(|t| t.id).collect();
        assert_eq!(store.list_ids(&spec).unwrap(), want, "{spec:?}");
        // Hits come best first, in no list order: ordered, they are the list's.
        let mut hits = want.clone();
        hits.sort_by_key(|id| (id % 7, *id));
        assert_eq!(store.order_ids(&spec, &hits).unwrap(), want, "{spec:?}");
    }
    // Titles are ordered as read: "Đ" among the D, not after Z.
    let spec = ListSpec {
        scope: Scope::All,
        overdue: false,
        sort: Sort::Title,
        reverse: false,
        today: today(),
    };
    let titles: Vec<String> = store
        .tasks_by_ids(&store.list_ids(&spec).unwrap())
        .unwrap()
        .into_iter()
        .map(|t| cchc::text::fold(&t.title))
        .collect();
    assert!(titles.is_sorted(), "{titles:?}");
}

#[test]
fn keyset_pages_walk_every_order_to_both_ends() {
    let dir = tempfile::tempdir().unwrap();
    let store = varied(dir.path());
    for spec in specs(Sort::ALL.into_iter().filter(|s| paged(*s))) {
        let want: Vec<i64> = reference(&store, &spec).iter().map(|t| t.id).collect();
        if want.is_empty() {
            // (No task of an area is overdue on the day, say): every page is empty.
            assert!(spec.overdue, "{spec:?}");
            assert!(
                store
                    .list_page(&spec, Page::First, 0, 5)
                    .unwrap()
                    .is_empty()
            );
            assert!(store.list_page(&spec, Page::Last, 0, 5).unwrap().is_empty());
            continue;
        }
        // Forward from the first row, seven at a time, to the end.
        let mut got = Vec::new();
        let mut page = store.list_page(&spec, Page::First, 0, 7).unwrap();
        while let Some((last, _)) = page.last().cloned() {
            got.extend(ids(&page));
            page = store.list_page(&spec, Page::After(last), 0, 7).unwrap();
        }
        assert_eq!(got, want, "forward {spec:?}");
        // Backward from the last row to the start.
        let mut got = Vec::new();
        let mut page = store.list_page(&spec, Page::Last, 0, 5).unwrap();
        while let Some((first, _)) = page.first().cloned() {
            let mut ids = ids(&page);
            ids.extend(got);
            got = ids;
            page = store.list_page(&spec, Page::Before(first), 0, 5).unwrap();
        }
        assert_eq!(got, want, "backward {spec:?}");
        // Past either end there is nothing, and a page never runs over.
        let all = store
            .list_page(&spec, Page::First, 0, want.len() + 10)
            .unwrap();
        assert_eq!(ids(&all), want);
        let (last_key, _) = all.last().unwrap();
        let (first_key, _) = all.first().unwrap();
        assert!(
            store
                .list_page(&spec, Page::After(*last_key), 0, 3)
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .list_page(&spec, Page::Before(*first_key), 0, 3)
                .unwrap()
                .is_empty()
        );
        // A task's key is where the pages put it; `From` starts at the row itself.
        for (i, (key, task)) in all.iter().enumerate().step_by(7) {
            assert_eq!(store.list_key(&spec, task).unwrap(), *key);
            let from = store.list_page(&spec, Page::From(*key), 0, 2).unwrap();
            assert_eq!(ids(&from), want[i..(i + 2).min(want.len())].to_vec());
        }
        // Skipping lands where counting would, across group boundaries too.
        for skip in [
            0,
            1,
            6,
            want.len() / 2,
            want.len().saturating_sub(1),
            want.len(),
        ] {
            let page = store.list_page(&spec, Page::First, skip, 4).unwrap();
            let end = (skip + 4).min(want.len());
            assert_eq!(ids(&page), want[skip.min(end)..end].to_vec(), "skip {skip}");
        }
        let (k0, _) = all[0];
        let page = store.list_page(&spec, Page::After(k0), 3, 4).unwrap();
        let end = (4 + 4).min(want.len());
        assert_eq!(ids(&page), want[4.min(end)..end].to_vec(), "{spec:?}");
        // `V` reads the same list whole.
        assert_eq!(store.list_ids(&spec).unwrap(), want);
    }
}

/// The counts per (area, agency) by counting the tasks themselves.
fn recount(store: &Store, day: NaiveDate) -> BTreeMap<(String, String), (usize, usize, usize)> {
    let mut out = BTreeMap::new();
    for t in store.tasks(&TaskFilter::default()).unwrap() {
        let e = out
            .entry((t.area.clone(), t.lead_agency.clone()))
            .or_insert((0, 0, 0));
        e.0 += 1;
        e.1 += usize::from(t.is_overdue(day));
        e.2 += usize::from(t.status == Status::Done);
    }
    out
}

/// Counts held as the TUI holds them: summed once with their mark, then moved by the tally's
/// moves since.
struct Held {
    day: NaiveDate,
    mark: i64,
    counts: BTreeMap<(String, String), (i64, i64, i64)>,
}

impl Held {
    fn read(store: &Store, day: NaiveDate) -> Held {
        let (rows, mark) = store.tally_marked(day).unwrap();
        let counts = rows
            .into_iter()
            .map(|r| {
                let n = |v: usize| v as i64;
                ((r.area, r.agency), (n(r.total), n(r.overdue), n(r.done)))
            })
            .collect();
        Held { day, mark, counts }
    }

    /// Adds the moves since the mark; false when the store no longer keeps them all.
    fn take_moves(&mut self, store: &Store) -> bool {
        let Some((moves, mark)) = store.tally_moves_since(self.mark, self.day).unwrap() else {
            return false;
        };
        for m in moves {
            let e = self.counts.entry((m.area, m.agency)).or_default();
            e.0 += m.total;
            e.1 += m.overdue;
            e.2 += m.done;
        }
        self.mark = mark;
        true
    }

    /// The groups that hold tasks, as `recount` has them.
    fn counts(&self) -> BTreeMap<(String, String), (usize, usize, usize)> {
        self.counts
            .iter()
            .filter(|(_, c)| c.0 != 0)
            .map(|(k, c)| (k.clone(), (c.0 as usize, c.1 as usize, c.2 as usize)))
            .collect()
    }
}

/// The distribution's sqlite3 shell, writing to the file behind cchc's back.
fn shell(db: &std::path::Path, sql: &str) {
    let out = std::process::Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .output()
        .expect("the distribution's sqlite3 shell is installed (apt-get install sqlite3)");
    assert_success(&out);
}

fn tallied(store: &Store, day: NaiveDate) -> BTreeMap<(String, String), (usize, usize, usize)> {
    store
        .tally(day)
        .unwrap()
        .into_iter()
        .map(|r| ((r.area, r.agency), (r.total, r.overdue, r.done)))
        .collect()
}

#[test]
fn the_tally_counts_what_counting_the_tasks_counts_on_any_day() {
    let dir = tempfile::tempdir().unwrap();
    let store = varied(dir.path());
    // Mid-month days too: the current month's overdue part comes from the open tasks' index.
    for day in [
        "2026-01-01",
        "2026-06-15",
        "2026-12-31",
        "2027-01-01",
        "2028-03-17",
    ] {
        let day: NaiveDate = day.parse().unwrap();
        assert_eq!(tallied(&store, day), recount(&store, day), "{day}");
    }
}

#[test]
fn the_tally_stays_exact_when_several_processes_write_at_once() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let store = Store::open(&db, "tester", OpenOptions::default()).unwrap();
    let tasks = store.tasks(&TaskFilter::default()).unwrap();
    drop(store);
    // Four members at once, each changing what the counts depend on: status, due date.
    let children: Vec<_> = (0..4)
        .map(|w| {
            let mut script = String::new();
            for t in tasks.iter().skip(w).step_by(4).take(12) {
                let args = match t.id % 3 {
                    0 => "--status done".to_string(),
                    1 => "--due 2030-05-05".to_string(),
                    _ => "--status in-progress --progress 50".to_string(),
                };
                script.push_str(&format!(
                    "\"$CCHC\" --db \"$DB\" task set {} {args} > /dev/null || exit 1\n",
                    t.id
                ));
            }
            let mut c = std::process::Command::new("sh");
            c.arg("-c")
                .arg(script)
                .env("CCHC", env!("CARGO_BIN_EXE_cchc"))
                .env("DB", &db)
                .env("CCHC_USER", "tester")
                .env("CCHC_BUSY_TIMEOUT_MS", "30000")
                .env("HOME", sb.path("home"));
            c.spawn().unwrap()
        })
        .collect();
    // A reader that held the counts before the writers started takes their moves in.
    let reader = Store::open(&db, "tester", OpenOptions::default()).unwrap();
    let mut held = Held::read(&reader, today());
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let store = Store::open(&db, "tester", OpenOptions::default()).unwrap();
    let day = today();
    let counts = recount(&store, day);
    assert_eq!(tallied(&store, day), counts);
    assert!(
        held.take_moves(&reader),
        "every move since the mark is kept"
    );
    assert_eq!(
        held.counts(),
        counts,
        "the held counts moved with the writers'"
    );
    let done: usize = counts.values().map(|c| c.2).sum();
    assert!(done >= 16, "the writers' changes are counted: {done} done");
}

#[test]
fn the_tally_generation_moves_only_with_a_write_that_can_change_a_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = seeded(&common::new_db(dir.path(), "p.sqlite3"));
    let id = store.tasks(&TaskFilter::default()).unwrap()[0].id;
    let started = TaskPatch {
        status: Some(Status::InProgress),
        progress: Some(10),
        ..Default::default()
    };
    store.update_task(id, None, &started, None).unwrap();
    let before = store.tally_generation().unwrap();
    let progress = TaskPatch {
        progress: Some(40),
        ..Default::default()
    };
    store
        .update_task(id, None, &progress, Some("a note"))
        .unwrap();
    assert_eq!(
        store.tally_generation().unwrap(),
        before,
        "progress counts nothing"
    );
    let status = TaskPatch {
        status: Some(Status::Done),
        ..Default::default()
    };
    store.update_task(id, None, &status, None).unwrap();
    let after = store.tally_generation().unwrap();
    assert!(after > before, "a status change can change a count");
    let due = TaskPatch {
        due: Some(NaiveDate::from_ymd_opt(2030, 1, 2).unwrap()),
        ..Default::default()
    };
    store.update_task(id, None, &due, None).unwrap();
    assert!(
        store.tally_generation().unwrap() > after,
        "so can a due date"
    );
    assert_eq!(tallied(&store, today()), recount(&store, today()));
}

#[test]
fn held_counts_moved_by_every_kind_of_write_equal_a_recount() {
    if common::sqlite_only("writes by the sqlite3 shell behind cchc's back") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut store = varied(dir.path());
    let path = common::new_db(dir.path(), "p.sqlite3");
    // Held for several days: the moves count overdue on the reader's day.
    let days: Vec<NaiveDate> = ["2026-06-15", "2027-01-01", "2028-03-17"]
        .iter()
        .map(|d| d.parse().unwrap())
        .collect();
    let mut held: Vec<Held> = days.iter().map(|&d| Held::read(&store, d)).collect();
    let tasks = store.tasks(&TaskFilter::default()).unwrap();
    let patch = |f: fn(&mut TaskPatch)| {
        let mut p = TaskPatch::default();
        f(&mut p);
        p
    };
    let writes = [
        patch(|p| p.status = Some(Status::Done)),
        patch(|p| p.status = Some(Status::Blocked)),
        patch(|p| p.due = NaiveDate::from_ymd_opt(2026, 3, 3)),
        patch(|p| p.due = NaiveDate::from_ymd_opt(2029, 9, 9)),
        patch(|p| {
            p.area = Some("tai-chinh".into());
            p.lead_agency = Some("STC".into());
        }),
        patch(|p| p.progress = Some(70)),
    ];
    for (t, w) in tasks.iter().skip(20).step_by(7).zip(writes.iter().cycle()) {
        store.update_task(t.id, None, w, None).unwrap();
    }
    // A done task reopened, then the shell's writes: one withdrawn, one deleted, one added.
    let done = tasks[0].id;
    store
        .update_task(
            done,
            None,
            &patch(|p| p.status = Some(Status::InProgress)),
            None,
        )
        .unwrap();
    shell(
        &path,
        &format!(
            "UPDATE tasks SET withdrawn_on = '2026-12-01' WHERE id = {};
             DELETE FROM notes WHERE task_id = {1}; DELETE FROM tasks WHERE id = {1};
             INSERT INTO tasks (area, lead_agency, title, due, recurrence, status, progress, updated_by, updated_at)
                 VALUES ('tthc', 'SNV', 'by hand', '2026-02-02', 'once', 'not-started', 0, 'x', 'x');",
            tasks[3].id, tasks[4].id
        ),
    );
    for (h, &day) in held.iter_mut().zip(&days) {
        assert!(h.take_moves(&store), "{day}");
        assert_eq!(h.counts(), recount(&store, day), "{day}");
    }
    // Nothing written since: no moves, the same mark.
    let mark = held[0].mark;
    assert_eq!(
        store.tally_moves_since(mark, days[0]).unwrap(),
        Some((Vec::new(), mark))
    );
}

#[test]
fn a_reader_too_far_behind_or_with_a_move_missing_sums_the_tally_again() {
    if common::sqlite_only("writes by the sqlite3 shell behind cchc's back") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = varied(dir.path());
    let path = common::new_db(dir.path(), "p.sqlite3");
    let day = today();
    let behind = Held::read(&store, day);
    // Each statement moves every listed task out of its month and into the next: two moves
    // a task, more than the 4,096 kept after five of them.
    let listed = store.tasks(&TaskFilter::default()).unwrap().len();
    assert!(listed * 2 * 5 > 4096, "{listed} tasks");
    for _ in 0..5 {
        shell(&path, "UPDATE tasks SET due = date(due, '+1 month');");
    }
    assert_eq!(store.tally_moves_since(behind.mark, day).unwrap(), None);
    let mut close = Held::read(&store, day);
    shell(
        &path,
        "UPDATE tasks SET due = date(due, '-1 day') WHERE id % 5 = 0;",
    );
    let last: i64 = sql_count(&path, "SELECT max(id) FROM task_tally_moves");
    // A move deleted by hand between the mark and the last one breaks the chain.
    shell(
        &path,
        &format!("DELETE FROM task_tally_moves WHERE id = {};", last - 1),
    );
    assert!(!close.take_moves(&store));
    // Summing again from here agrees with counting the tasks.
    let again = Held::read(&store, day);
    assert_eq!(again.counts(), recount(&store, day));
    assert_eq!(again.mark, last);
}
