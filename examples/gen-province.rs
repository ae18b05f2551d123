//! A synthetic province for benchmarks: the seeded 2026–2030 plan, 8 more departments and the
//! 65 communes and wards (80 agencies that lead work, 86 in all), and N generated tasks over the
//! 7 areas with Vietnamese titles, due dates over 2025–2029 and mixed states (about 20 % overdue
//! on the reference day, 2026-06-30), plus progress updates and notes. The dates lie a year
//! before the plan's own so that the reference day is in the past of any real clock: cchc
//! refuses a completion date after the clock's today (issue 10). Deterministic: the same N
//! gives the same tasks, byte for byte (only timestamps such as `updated_at` differ).
//!
//! ```text
//! cargo run --release --example gen-province -- --tasks 100000 --db /tmp/p.sqlite3
//! cargo run --release --example gen-province -- --tasks 100000 --csv /tmp/p.csv
//! cargo run --release --example gen-province -- --tasks 0 --db /tmp/base.sqlite3   # plan + agencies
//! cargo run --release --example gen-province -- --tasks 100000 --taskwarrior /tmp/tw.json --tw-today 2026-11-26
//! ```
//!
//! The database is written through the store's public API: `Store::open` seeds the plan, one
//! `Store::import` adds the agencies and the tasks (and gives the plan's own tasks their states,
//! through import's update-by-plan_ref path), a few more imports record one progress update per
//! ten tasks (each a versioned write with its own change-log entry, old -> new, in a few
//! transactions rather than one each), then one `Store::update_tasks_together` adds a note on
//! one task in 200, each checked and logged as `update_task` does it. Nearly all the time of a
//! large file is `Store::import` itself (see docs/BENCHMARKS.md for the figures).
//!
//! The benchmarks include this file as a module (`benches/province.rs`), so it has no
//! dependency the library does not have.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate};

use cchc::model::{Agency, AgencyKind, NewTask, Recurrence, Status, Task, TaskPatch};
use cchc::store::{OpenOptions, Store, TaskWrite};

/// Bump when the generated data changes, so cached benchmark databases are made again.
pub const GEN_VERSION: u32 = 5;
/// The "today" of every benchmark: about 20 % of the tasks are overdue on it.
pub const REFERENCE_DAY: (i32, u32, u32) = (2026, 6, 30);
const SEED: u64 = 0x4c61_6e67_536f_6e21; // "LangSon!"
/// Who writes the generated file.
pub const GEN_USER: &str = "gen-province";

pub fn reference_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(REFERENCE_DAY.0, REFERENCE_DAY.1, REFERENCE_DAY.2).unwrap()
}

// ---------------------------------------------------------------------------------------------
// A small deterministic generator (SplitMix64): no dependency, same stream on every machine.
// ---------------------------------------------------------------------------------------------

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent as usize
    }

    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

// ---------------------------------------------------------------------------------------------
// The province: agencies
// ---------------------------------------------------------------------------------------------

/// Departments the seeded plan does not name; with its seven, the province's 15.
const MORE_DEPARTMENTS: &[(&str, &str)] = &[
    ("SXD", "Sở Xây dựng"),
    ("SCT", "Sở Công Thương"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SDTTG", "Sở Dân tộc và Tôn giáo"),
    ("TTRA", "Thanh tra tỉnh"),
    ("SNGV", "Sở Ngoại vụ"),
    (
        "BQLKKT",
        "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn",
    ),
];

const WARDS: &[&str] = &["Tam Thanh", "Lương Văn Tri", "Kỳ Lừa", "Đông Kinh"];

/// 61 communes: names of the province's places, for realistic text (not an official list).
const COMMUNES: &[&str] = &[
    "Thất Khê",
    "Đoàn Kết",
    "Tân Tiến",
    "Tràng Định",
    "Quốc Khánh",
    "Kháng Chiến",
    "Quốc Việt",
    "Bình Gia",
    "Tân Văn",
    "Hồng Phong",
    "Hoa Thám",
    "Quý Hòa",
    "Thiện Hòa",
    "Thiện Thuật",
    "Thiện Long",
    "Bắc Sơn",
    "Hưng Vũ",
    "Vũ Lăng",
    "Nhất Hòa",
    "Vũ Lễ",
    "Tân Tri",
    "Văn Quan",
    "Điềm He",
    "Tri Lễ",
    "Yên Phúc",
    "Tân Đoàn",
    "Khánh Khê",
    "Văn Lãng",
    "Hoàng Văn Thụ",
    "Hội Hoan",
    "Na Sầm",
    "Thụy Hùng",
    "Cao Lộc",
    "Công Sơn",
    "Ba Sơn",
    "Đồng Đăng",
    "Lộc Bình",
    "Mẫu Sơn",
    "Na Dương",
    "Lợi Bác",
    "Thống Nhất",
    "Xuân Dương",
    "Khuất Xá",
    "Đình Lập",
    "Thái Bình",
    "Châu Sơn",
    "Kiên Mộc",
    "Chi Lăng",
    "Nhân Lý",
    "Chiến Thắng",
    "Quan Sơn",
    "Bằng Mạc",
    "Vạn Linh",
    "Đồng Mỏ",
    "Hữu Lũng",
    "Tuấn Sơn",
    "Tân Thành",
    "Vân Nham",
    "Thiện Tân",
    "Yên Bình",
    "Hữu Liên",
];

/// The agencies the generator adds (the plan seeds the other 13).
pub fn new_agencies() -> Vec<Agency> {
    let code = |prefix: &str, name: &str| {
        let folded: String = cchc::text::fold(name)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        format!("{prefix}{}", folded.to_uppercase())
    };
    let mut out: Vec<Agency> = MORE_DEPARTMENTS
        .iter()
        .map(|(c, n)| Agency {
            code: c.to_string(),
            name: n.to_string(),
            kind: AgencyKind::Department,
        })
        .collect();
    out.extend(WARDS.iter().map(|n| Agency {
        code: code("P", n),
        name: format!("UBND phường {n}"),
        kind: AgencyKind::Commune,
    }));
    out.extend(COMMUNES.iter().map(|n| Agency {
        code: code("X", n),
        name: format!("UBND xã {n}"),
        kind: AgencyKind::Commune,
    }));
    out
}

/// The seeded plan's departments, which lead generated tasks too.
const PLAN_DEPARTMENTS: &[&str] = &["SNV", "VPUB", "STP", "STC", "SKHCN", "SYT", "SGDDT"];
/// Other bodies of the plan, which lead a few.
const PLAN_OTHERS: &[&str] = &["MTTQ", "CTXH", "TCT", "BPTTH", "CQTW"];

// ---------------------------------------------------------------------------------------------
// The province: tasks
// ---------------------------------------------------------------------------------------------

const AREAS: &[&str] = &[
    "chi-dao",
    "the-che",
    "tthc",
    "bo-may",
    "cong-vu",
    "tai-chinh",
    "chinh-quyen-so",
];
const AREA_WEIGHTS: &[u32] = &[22, 9, 25, 8, 12, 8, 16];

const VERBS: &[&str] = &[
    "Rà soát",
    "Xây dựng",
    "Triển khai",
    "Tổ chức thực hiện",
    "Kiểm tra",
    "Đôn đốc",
    "Cập nhật",
    "Tuyên truyền",
    "Đánh giá",
    "Hướng dẫn",
    "Tập huấn",
    "Công khai",
    "Chuẩn hóa",
    "Theo dõi",
    "Tham mưu",
    "Niêm yết",
    "Tổng hợp",
    "Nâng cao chất lượng",
];

/// What the work is about, per area (same order as `AREAS`).
const OBJECTS: &[&[&str]] = &[
    &[
        "kế hoạch CCHC",
        "công tác chỉ đạo, điều hành CCHC",
        "việc thực hiện nhiệm vụ CCHC",
        "trách nhiệm người đứng đầu về CCHC",
        "sáng kiến, mô hình mới trong CCHC",
        "kết quả Chỉ số CCHC",
        "kỷ luật, kỷ cương hành chính",
        "chỉ số hài lòng của người dân (SIPAS)",
    ],
    &[
        "văn bản quy phạm pháp luật",
        "quy trình xây dựng, ban hành VBQPPL",
        "VBQPPL hết hiệu lực, cần sửa đổi",
        "hệ thống hóa VBQPPL",
        "công tác thi hành pháp luật",
        "quy định về phân cấp, phân quyền",
    ],
    &[
        "thủ tục hành chính",
        "hồ sơ TTHC trên Hệ thống thông tin giải quyết TTHC",
        "Bộ phận Một cửa",
        "dịch vụ công trực tuyến toàn trình",
        "phản ánh, kiến nghị của người dân, doanh nghiệp",
        "quy trình nội bộ giải quyết TTHC",
        "số hóa hồ sơ, kết quả giải quyết TTHC",
        "TTHC không phụ thuộc địa giới hành chính",
        "thanh toán trực tuyến phí, lệ phí",
    ],
    &[
        "tổ chức bộ máy",
        "vị trí việc làm",
        "biên chế công chức, viên chức",
        "đơn vị sự nghiệp công lập",
        "quy chế làm việc",
        "chức năng, nhiệm vụ các phòng chuyên môn",
    ],
    &[
        "đội ngũ cán bộ, công chức, viên chức",
        "tuyển dụng công chức",
        "đào tạo, bồi dưỡng CBCCVC",
        "đạo đức công vụ",
        "đánh giá, xếp loại CBCCVC",
        "chế độ, chính sách đối với cán bộ cấp xã",
        "văn hóa công sở",
    ],
    &[
        "dự toán chi thường xuyên",
        "tài sản công",
        "giải ngân vốn đầu tư công",
        "cơ chế tự chủ tài chính",
        "công khai ngân sách nhà nước",
        "trụ sở làm việc sau sắp xếp",
    ],
    &[
        "cơ sở dữ liệu quốc gia về dân cư",
        "chữ ký số",
        "phần mềm quản lý văn bản và điều hành",
        "hồ sơ công việc điện tử",
        "nền tảng số dùng chung",
        "an toàn thông tin mạng",
        "cơ sở dữ liệu chuyên ngành",
        "hạ tầng băng rộng, phủ sóng 5G",
        "trợ lý ảo ứng dụng trí tuệ nhân tạo",
        "chuyển đổi số",
    ],
];

const TAILS: &[&str] = &[
    "",
    "",
    "",
    " theo Kế hoạch số 112/KH-UBND",
    " gắn với chuyển đổi số",
    " theo chỉ đạo của UBND tỉnh",
    " theo hướng dẫn của Sở Nội vụ",
    "; đề xuất giải pháp khắc phục hạn chế",
    "; báo cáo kết quả về Sở Nội vụ",
    " bảo đảm đúng quy định",
];

const OUTPUTS: &[&str] = &[
    "Báo cáo kết quả thực hiện",
    "Kế hoạch được ban hành",
    "Quyết định được ban hành",
    "Văn bản hướng dẫn",
    "Hội nghị, lớp tập huấn được tổ chức",
    "Danh mục được công bố, công khai",
    "Dữ liệu được cập nhật đầy đủ",
    "Biên bản kiểm tra",
    "",
];

const DETAILS: &[&str] = &[
    "Tập trung chỉ đạo quyết liệt, đồng bộ các nhiệm vụ CCHC, gắn với thực hiện nhiệm vụ chính trị của địa phương.",
    "Phân công rõ người, rõ việc, rõ thời gian, rõ trách nhiệm, rõ sản phẩm; định kỳ kiểm tra, đôn đốc.",
    "Bảo đảm 100% hồ sơ TTHC được tiếp nhận, giải quyết, trả kết quả trên Hệ thống thông tin giải quyết TTHC của tỉnh.",
    "Kịp thời phát hiện, xử lý nghiêm các trường hợp nhũng nhiễu, gây phiền hà cho người dân, doanh nghiệp.",
    "Lồng ghép nội dung CCHC vào các hội nghị, sinh hoạt chuyên đề; phát huy vai trò của các tổ chức chính trị - xã hội.",
    "Bố trí đủ kinh phí, nhân lực; huy động sự tham gia của người dân trong giám sát thực hiện.",
];

const NOTES: &[&str] = &[
    "Đã gửi báo cáo về Sở Nội vụ",
    "Chờ bố trí kinh phí từ Sở Tài chính",
    "Đang lấy ý kiến các phòng chuyên môn",
    "Vướng mắc do thiếu nhân lực, đề nghị hỗ trợ",
    "Đã tổ chức hội nghị triển khai",
    "Cần bổ sung số liệu quý trước",
    "Đã cập nhật lên Hệ thống thông tin báo cáo",
];

const QUARTER_NAMES: &[&str] = &["I", "II", "III", "IV"];

/// "quý I/2027", "6 tháng đầu năm 2027", "quý III/2027", "năm 2027" for report periods 1–4.
fn report_period(year: i32, q: usize) -> String {
    match q {
        1 => format!("6 tháng đầu năm {year}"),
        3 => format!("năm {year}"),
        _ => format!("quý {}/{year}", QUARTER_NAMES[q]),
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn last_day_of_month(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    date(ny, nm, 1).pred_opt().unwrap()
}

/// Which agency leads a task: mostly communes (their recurring duties and own work), then
/// departments, a few other bodies.
fn pick_lead(rng: &mut Rng, communes: &[String], departments: &[String]) -> String {
    match rng.weighted(&[60, 37, 3]) {
        0 => rng.pick(communes),
        1 => rng.pick(departments),
        _ => rng.pick(PLAN_OTHERS).to_string(),
    }
}

/// Gives a task a status, percent and completion date consistent with its due date, so that
/// about 20 % of all tasks are overdue on the reference day (about 30 % fall due before it;
/// seven in ten of those are still open).
fn assign_state(rng: &mut Rng, t: &mut NewTask, today: NaiveDate) {
    let (status, progress, completed_on) = if t.due < today {
        if rng.chance(70) {
            // Overdue: not started, under way or blocked.
            match rng.weighted(&[35, 50, 15]) {
                0 => (Status::NotStarted, 0, None),
                1 => (Status::InProgress, 10 + 10 * rng.below(9) as u8, None),
                _ => (Status::Blocked, 10 * rng.below(8) as u8, None),
            }
        } else {
            // Done, on time or late (but never after today).
            let done = if rng.chance(65) {
                t.due - Duration::days(rng.below(30) as i64)
            } else {
                (t.due + Duration::days(1 + rng.below(60) as i64)).min(today - Duration::days(1))
            };
            (Status::Done, 100, Some(done))
        }
    } else {
        let soon = (t.due - today).num_days() <= 90;
        let weights: &[u32] = if soon { &[15, 50, 35] } else { &[3, 12, 85] };
        match rng.weighted(weights) {
            0 => {
                let done = (today - Duration::days(rng.below(120) as i64)).min(t.due);
                (Status::Done, 100, Some(done))
            }
            1 => (Status::InProgress, 10 + 10 * rng.below(9) as u8, None),
            _ => (Status::NotStarted, 0, None),
        }
    };
    t.status = status;
    t.progress = progress;
    t.completed_on = completed_on;
}

/// The province's generated tasks, the agencies they need, and which of them get a note.
pub struct Province {
    pub agencies: Vec<Agency>,
    /// The plan's own tasks with states given (imported over the seeded rows by plan_ref).
    pub plan_tasks: Vec<NewTask>,
    /// The N generated tasks.
    pub tasks: Vec<NewTask>,
    /// (index into `tasks`, note text)
    pub notes: Vec<(usize, String)>,
    /// (index into `tasks`, new percent): members' progress updates, one per ten tasks, each a
    /// versioned write with its change-log entry, so the log and change sequences have a size.
    pub updates: Vec<(usize, u8)>,
}

/// Generates the province with `n` tasks. Pure and deterministic.
pub fn generate(n: usize) -> Province {
    let today = reference_day();
    let mut rng = Rng::new(SEED);
    let agencies = new_agencies();
    let communes: Vec<(String, String)> = agencies
        .iter()
        .filter(|a| a.kind == AgencyKind::Commune)
        .map(|a| (a.code.clone(), a.name.clone()))
        .collect();
    let commune_codes: Vec<String> = communes.iter().map(|(c, _)| c.clone()).collect();
    let departments: Vec<String> = PLAN_DEPARTMENTS
        .iter()
        .map(|s| s.to_string())
        .chain(MORE_DEPARTMENTS.iter().map(|(c, _)| c.to_string()))
        .collect();
    let place_of = |code: &str| {
        communes
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, name)| name.trim_start_matches("UBND ").to_string())
    };

    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let lead = pick_lead(&mut rng, &commune_codes, &departments);
        let is_commune = place_of(&lead).is_some();
        // A quarter of all tasks are the recurring CCHC reports every body sends each quarter.
        let (area, title, output, due, recurrence) = if rng.chance(25) {
            let year = 2025 + rng.below(5) as i32;
            let q = rng.below(4);
            let period = report_period(year, q);
            let due = date(year, 3 * (q as u32 + 1), 15);
            let recurrence = match q {
                1 => Recurrence::HalfYearly,
                3 => Recurrence::Yearly,
                _ => Recurrence::Quarterly,
            };
            (
                "chi-dao",
                format!("Báo cáo CCHC {period}"),
                format!("Báo cáo kết quả thực hiện CCHC {period} gửi UBND tỉnh (qua Sở Nội vụ)"),
                due,
                recurrence,
            )
        } else {
            let a = rng.weighted(AREA_WEIGHTS);
            let object = rng.pick(OBJECTS[a]);
            let verb = rng.pick(VERBS);
            // Due dates: most at a month's end, some on any day, over 2025–2029.
            let year = 2025 + rng.below(5) as i32;
            let month = 1 + rng.below(12) as u32;
            let due = if rng.chance(70) {
                last_day_of_month(year, month)
            } else {
                date(year, month, 1 + rng.below(28) as u32)
            };
            let (period, recurrence) = match rng.weighted(&[55, 30, 15]) {
                0 => (String::new(), Recurrence::Once),
                1 => (format!(" năm {year}"), Recurrence::Yearly),
                _ => (
                    format!(" quý {}/{year}", QUARTER_NAMES[(month as usize - 1) / 3]),
                    Recurrence::Quarterly,
                ),
            };
            let place = match place_of(&lead) {
                Some(p) if rng.chance(60) => format!(" trên địa bàn {p}"),
                _ => String::new(),
            };
            let tail = rng.pick(TAILS);
            let mut title = format!("{verb} {object}{place}{period}{tail}");
            // The first letter of a Vietnamese sentence is already a capital in VERBS.
            title.truncate(title.trim_end().len());
            (
                AREAS[a],
                title,
                rng.pick(OUTPUTS).to_string(),
                due,
                recurrence,
            )
        };
        let mut coordinating = Vec::new();
        if rng.chance(30) {
            for _ in 0..1 + rng.below(2) {
                let c = if is_commune && rng.chance(50) {
                    rng.pick(&["SNV", "VPUB", "STC", "SKHCN"]).to_string()
                } else {
                    rng.pick(&departments)
                };
                if c != lead && !coordinating.contains(&c) {
                    coordinating.push(c);
                }
            }
        }
        let detail = if rng.chance(30) {
            let mut d = rng.pick(DETAILS).to_string();
            if rng.chance(50) {
                d.push(' ');
                d.push_str(rng.pick(DETAILS));
            }
            d
        } else {
            String::new()
        };
        let mut t = NewTask {
            plan_ref: format!("SIM/{lead}/{i:06}"),
            area: area.to_string(),
            lead_agency: lead,
            coordinating,
            coordinating_inferred: Vec::new(),
            title,
            detail,
            output,
            due,
            due_assumed: false,
            recurrence,
            status: Status::NotStarted,
            progress: 0,
            completed_on: None,
        };
        assign_state(&mut rng, &mut t, today);
        tasks.push(t);
    }

    // The plan's own tasks get states by the same rules.
    let plan = cchc::plan::load().expect("the built-in plan loads");
    let mut plan_tasks = plan.tasks;
    for t in &mut plan_tasks {
        assign_state(&mut rng, t, today);
    }

    // About one task in 200 has a note (at least 10), written as members would: one versioned
    // write each.
    let note_count = if n == 0 { 0 } else { (n / 200).max(10).min(n) };
    let notes = (0..note_count)
        .map(|_| (rng.below(n), rng.pick(NOTES).to_string()))
        .collect();

    // One progress update per ten tasks, on open ones (done tasks stay done: the overdue share
    // does not move).
    let updates = (0..n / 10)
        .filter_map(|_| {
            let i = rng.below(n);
            let t = &tasks[i];
            (t.status != Status::Done).then(|| {
                (
                    i,
                    (t.progress / 10 * 10 + 10 + 10 * rng.below(3) as u8).min(90),
                )
            })
        })
        .collect();

    Province {
        agencies,
        plan_tasks,
        tasks,
        notes,
        updates,
    }
}

/// What `write_db` did.
#[derive(Debug, Default)]
pub struct Written {
    pub tasks: usize,
    pub overdue: usize,
    pub notes: usize,
    pub updates: usize,
    pub seconds: f64,
}

/// Creates `path` (which must not exist): the seeded plan plus the province, through the store.
pub fn write_db(path: &Path, p: &Province) -> cchc::error::Result<Written> {
    let started = std::time::Instant::now();
    let plan = cchc::plan::load()
        .map_err(|e| cchc::error::Error::invalid(format!("the plan does not load: {e}")))?;
    let mut store = Store::open(
        path,
        GEN_USER,
        OpenOptions {
            create_with: Some(plan),
            ..Default::default()
        },
    )?;
    let seeded = store.task_count()?;
    let mut all = p.plan_tasks.clone();
    all.extend(p.tasks.iter().cloned());
    store.import(&p.agencies, &all, &[], "gen-province")?;
    let imported = started.elapsed().as_secs_f64();
    // The progress updates: one import (one transaction, each changed task its own change-log
    // entry, old -> new) per round, a task at most once per round, so a task updated twice
    // gets two entries in its own order. One transaction per update (`update_task`) took
    // most of the time at 1,000,000 tasks (100,000 commits).
    for round in update_rounds(p) {
        store.import(&[], &round, &[], "gen-province: cập nhật tiến độ")?;
    }
    let updated = started.elapsed().as_secs_f64();
    // The notes, each a write as a member's (`update_task`'s rules, its own change-log entry),
    // all in one transaction: one commit per note took 11 s for 500 notes under load. The
    // import created the generated tasks in order after the seeded ones.
    let empty = TaskPatch::default();
    let mut writes = Vec::with_capacity(p.notes.len());
    for (i, text) in &p.notes {
        let id = seeded + 1 + *i as i64;
        writes.push(TaskWrite {
            task_id: id,
            version: None,
            patch: &empty,
            note: Some(text.as_str()),
        });
    }
    for (w, (i, _)) in store.update_tasks_together(&writes)?.iter().zip(&p.notes) {
        if w.task.plan_ref != p.tasks[*i].plan_ref {
            return Err(cchc::error::Error::invalid(format!(
                "task #{} is {:?}, not the generated {:?}: the import numbered tasks otherwise",
                w.task.id, w.task.plan_ref, p.tasks[*i].plan_ref
            )));
        }
    }
    eprintln!(
        "store: import {imported:.2} s, progress updates {:.2} s, notes {:.2} s",
        updated - imported,
        started.elapsed().as_secs_f64() - updated
    );
    // Overdue on the reference day, counted from the generated rows (the store's own count
    // would load a fifth of the file): the updates never touch a done task or a due date.
    let today = reference_day();
    let overdue = p
        .plan_tasks
        .iter()
        .chain(&p.tasks)
        .filter(|t| t.status != Status::Done && t.due < today)
        .count();
    Ok(Written {
        tasks: store.task_count()? as usize,
        overdue,
        notes: p.notes.len(),
        updates: p.updates.len(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The generated tasks after each progress update, grouped into rounds: round k holds the
/// k-th update of every task updated at least k+1 times, in the order the updates were drawn.
/// Each update goes through `TaskPatch::apply`, as `cchc task set --progress` does (a task
/// not started is then under way).
fn update_rounds(p: &Province) -> Vec<Vec<NewTask>> {
    let mut current: std::collections::HashMap<usize, NewTask> = Default::default();
    let mut rounds: Vec<Vec<NewTask>> = Vec::new();
    let mut seen: std::collections::HashMap<usize, usize> = Default::default();
    for (i, progress) in &p.updates {
        let before = current.remove(i).unwrap_or_else(|| p.tasks[*i].clone());
        let mut task = Task::from(&before);
        let patch = TaskPatch {
            progress: Some(*progress),
            ..Default::default()
        };
        patch.apply(&mut task, reference_day());
        let after = NewTask::from(&task);
        let round = seen.entry(*i).or_insert(0);
        if rounds.len() <= *round {
            rounds.push(Vec::new());
        }
        rounds[*round].push(after.clone());
        *round += 1;
        current.insert(*i, after);
    }
    rounds
}

/// Writes the generated tasks (not the plan's) as an import CSV, with the export's columns.
pub fn write_csv(path: &Path, p: &Province) -> std::io::Result<()> {
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut w = csv::Writer::from_writer(file);
    let io = |e: csv::Error| std::io::Error::other(e.to_string());
    w.write_record(cchc::transfer::CSV_COLUMNS).map_err(io)?;
    for t in &p.tasks {
        w.write_record([
            "",
            &t.plan_ref,
            &t.area,
            &t.lead_agency,
            &t.title,
            &t.due.to_string(),
            t.status.as_str(),
            &t.progress.to_string(),
            &t.coordinating.join(";"),
            &t.output,
            if t.due_assumed { "true" } else { "false" },
            t.recurrence.as_str(),
            &t.completed_on.map(|d| d.to_string()).unwrap_or_default(),
        ])
        .map_err(io)?;
    }
    w.flush()
}

/// Taskwarrior's date form, "20270630T000000Z".
fn tw_date(d: NaiveDate) -> String {
    format!("{:04}{:02}{:02}T000000Z", d.year(), d.month(), d.day())
}

/// A due date as the day's last second (UTC): Taskwarrior compares due dates to its clock, so a
/// task due today is overdue only once the day is over, as in cchc ("due before today"). With
/// the dates shifted so that the reference day is the real today, `task +OVERDUE` picks the
/// same tasks as `cchc tasks --overdue --today 2026-06-30`.
fn tw_due(d: NaiveDate) -> String {
    format!("{:04}{:02}{:02}T235959Z", d.year(), d.month(), d.day())
}

/// Writes the generated tasks (and the plan's, so both tools hold the same set) as Taskwarrior
/// import JSON, one object per line: description, project = area, tags, due, status, agency as
/// a UDA. Dates move by `shift` days (see `tw_due`).
pub fn write_taskwarrior(path: &Path, p: &Province, shift: i64) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    let entry = tw_date(date(2026, 1, 1) + Duration::days(shift));
    for t in p.plan_tasks.iter().chain(&p.tasks) {
        let due = t.due + Duration::days(shift);
        let mut o = serde_json::json!({
            "description": t.title,
            "project": t.area,
            "tags": [t.recurrence.as_str()],
            "agency": t.lead_agency,
            "due": tw_due(due),
            "entry": entry,
            "status": if t.status == Status::Done { "completed" } else { "pending" },
        });
        if let Some(done) = t.completed_on {
            o["end"] = tw_date(done + Duration::days(shift)).into();
        }
        if t.status == Status::InProgress || t.status == Status::Blocked {
            o["tags"] = serde_json::json!([t.recurrence.as_str(), t.status.as_str()]);
        }
        serde_json::to_writer(&mut w, &o)?;
        w.write_all(b"\n")?;
    }
    w.flush()
}

/// The cached benchmark database with `n` generated tasks under `dir`, made on first use
/// (written beside, then renamed, so an interrupted run leaves no half file).
pub fn cached_db(dir: &Path, n: usize) -> cchc::error::Result<PathBuf> {
    let path = dir.join(format!(
        "province-{n}-g{GEN_VERSION}-s{}.sqlite3",
        cchc::store::SCHEMA_VERSION
    ));
    if path.exists() {
        return Ok(path);
    }
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!("tmp-{}-{n}.sqlite3", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
    }
    write_db(&tmp, &generate(n))?;
    checkpoint(&tmp)?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// Folds the WAL into the main file once the store is closed, so the file can be copied alone
/// (SQLite does this on the last close too; this makes sure).
pub fn checkpoint(path: &Path) -> cchc::error::Result<()> {
    let conn = rusqlite::Connection::open(path)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------------------------

#[derive(clap::Parser, Debug)]
#[command(about = "Generate a synthetic province for cchc's benchmarks")]
struct Args {
    /// Number of generated tasks (the plan's 340 come on top).
    #[arg(long, default_value_t = 10_000)]
    tasks: usize,
    /// Create this database (must not exist).
    #[arg(long)]
    db: Option<PathBuf>,
    /// Write the generated tasks as an import CSV.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Write the plan's and the generated tasks as Taskwarrior import JSON.
    #[arg(long)]
    taskwarrior: Option<PathBuf>,
    /// For --taskwarrior: shift dates so the reference day (2026-06-30) falls on this date.
    #[arg(long)]
    tw_today: Option<NaiveDate>,
    /// Print the version of SQLite built in, and exit.
    #[arg(long)]
    sqlite_version: bool,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = <Args as clap::Parser>::parse();
    if args.sqlite_version {
        println!("SQLite {}", rusqlite::version());
        return Ok(());
    }
    if args.db.is_none() && args.csv.is_none() && args.taskwarrior.is_none() {
        return Err("nothing to write: give --db, --csv and/or --taskwarrior".into());
    }
    let started = std::time::Instant::now();
    let p = generate(args.tasks);
    eprintln!(
        "generated {} tasks in {:.2} s",
        p.tasks.len(),
        started.elapsed().as_secs_f64()
    );
    if let Some(csv) = &args.csv {
        write_csv(csv, &p)?;
        eprintln!("wrote {}", csv.display());
    }
    if let Some(tw) = &args.taskwarrior {
        let shift = args
            .tw_today
            .map(|d| (d - reference_day()).num_days())
            .unwrap_or(0);
        write_taskwarrior(tw, &p, shift)?;
        eprintln!("wrote {} (dates shifted by {shift} days)", tw.display());
    }
    if let Some(db) = &args.db {
        if db.exists() {
            return Err(format!("{} exists; give a new file", db.display()).into());
        }
        let w = write_db(db, &p)?;
        checkpoint(db)?;
        eprintln!(
            "wrote {}: {} tasks, {} overdue on {} ({:.1} %), {} progress updates, {} notes, in {:.2} s",
            db.display(),
            w.tasks,
            w.overdue,
            reference_day(),
            100.0 * w.overdue as f64 / w.tasks.max(1) as f64,
            w.updates,
            w.notes,
            w.seconds
        );
    }
    Ok(())
}
