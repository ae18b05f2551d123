//! Where, who and when: the database path, the acting user and "today", each from a flag,
//! else an environment variable, else a default. "Today" is decided here and nowhere else.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::error::{Error, Result};

/// The default database lives in the per-user data directory and is the only one created
/// (and seeded) automatically.
pub fn default_db_path() -> Result<PathBuf> {
    directories::ProjectDirs::from("vn", "langson", "cchc")
        .map(|d| d.data_dir().join("cchc.sqlite3"))
        .ok_or_else(|| {
            Error::invalid("cannot find a home directory for the default database; pass --db PATH")
        })
}

/// The one line said on stderr when a command has just created and seeded the default file:
/// a member who forgot the shared path must not edit a private copy without knowing it.
pub fn own_file_created_notice(path: &Path, lang: crate::model::Lang) -> String {
    let config = std::env::var_os(crate::config::CONFIG_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(crate::config::default_config_path)
        .map_or_else(|| "config.toml".to_string(), |p| p.display().to_string());
    let path = path.display();
    match lang {
        crate::model::Lang::Vi => format!(
            "cchc: đã tạo tệp dữ liệu riêng của bạn ở {path}; không ai khác thấy tệp này. Để mở tệp chung của Tổ công tác, dùng --db ĐƯỜNG_DẪN, biến CCHC_DB hoặc dòng db = \"ĐƯỜNG_DẪN\" trong {config}"
        ),
        crate::model::Lang::En => format!(
            "cchc: created your own database at {path}; nobody else sees it. To open the working group's shared file, use --db PATH, CCHC_DB or a line db = \"PATH\" in {config}"
        ),
    }
}

/// `--user`/`CCHC_USER` if given (clap reads the variable), else the login of the real uid.
/// (`$USER` is not consulted: anyone may set it; once members exist, the store maps the login to
/// the member bound to it.)
pub fn resolve_user(given: Option<&str>) -> String {
    if let Some(u) = given.map(str::trim).filter(|u| !u.is_empty()) {
        return crate::text::nfc(u);
    }
    os_user().login.clone()
}

/// The operating system's account of the process: its real uid and that uid's login name from
/// the passwd database (never `$USER`, which anyone may set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsUser {
    pub uid: u32,
    pub login: String,
}

impl OsUser {
    /// Root administers the host and may act as any member (documented in README).
    pub fn is_root(&self) -> bool {
        self.uid == 0
    }
}

/// Who is really running this process; read once.
pub fn os_user() -> &'static OsUser {
    static OS_USER: std::sync::OnceLock<OsUser> = std::sync::OnceLock::new();
    OS_USER.get_or_init(|| {
        // SAFETY: getuid has no preconditions.
        let uid = unsafe { libc::getuid() };
        OsUser {
            uid,
            login: login_of(uid).unwrap_or_else(|| format!("uid{uid}")),
        }
    })
}

fn login_of(uid: libc::uid_t) -> Option<String> {
    // SAFETY: getpwuid returns a pointer into static storage or null; we copy the name out
    // at once and never keep the pointer.
    unsafe {
        let pw = libc::getpwuid(uid);
        if pw.is_null() || (*pw).pw_name.is_null() {
            return None;
        }
        std::ffi::CStr::from_ptr((*pw).pw_name)
            .to_str()
            .ok()
            .map(String::from)
    }
}

/// The view date: `--today`/`CCHC_TODAY` if given, else the clock. It changes only what views
/// compute (overdue, reports, meetings); writes stamp [`clock_today`].
pub fn resolve_today(given: Option<NaiveDate>) -> NaiveDate {
    given.unwrap_or_else(clock_today)
}

/// The province's time zone when its store names none: dates are the province's, taken in it,
/// never in `TZ` (which anyone may set for a process).
pub const DEFAULT_TIME_ZONE: chrono_tz::Tz = chrono_tz::Asia::Ho_Chi_Minh;

static TIME_ZONE: std::sync::RwLock<chrono_tz::Tz> = std::sync::RwLock::new(DEFAULT_TIME_ZONE);

/// The time zone the province's dates are taken in: the open store's (`meta` key
/// `time_zone`, set by `cchc init --time-zone`), else [`DEFAULT_TIME_ZONE`].
pub fn time_zone() -> chrono_tz::Tz {
    TIME_ZONE.read().map_or(DEFAULT_TIME_ZONE, |tz| *tz)
}

/// Takes the open store's time zone (the store calls it when it opens).
pub fn set_time_zone(tz: chrono_tz::Tz) {
    if let Ok(mut zone) = TIME_ZONE.write() {
        *zone = tz;
    }
}

/// The province's date at `instant`.
pub fn date_of(instant: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    instant.with_timezone(&time_zone()).date_naive()
}

/// The province's date now, by this machine's clock. Writes take theirs from their
/// transaction's instant (`store::log::today`): no flag, variable or `TZ` moves either, so
/// nobody can backdate a write by claiming another "today"; a date other than this one is given
/// explicitly and logged so.
pub fn clock_today() -> NaiveDate {
    date_of(chrono::Utc::now())
}

/// The note a write carries when its date was typed rather than taken from the clock, in both
/// languages because every member reads the same file. (The entry's own time says when.)
pub fn hand_dated_note(what_vi: &str, what_en: &str, date: NaiveDate) -> String {
    format!(
        "{what_vi} {} do người dùng nhập tay · {what_en} {date} given by hand",
        date.format("%d/%m/%Y"),
    )
}

/// Parses a date the way every flag and prompt does, with a message that says the format.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map_err(|_| format!("{s:?} is not a date; write it as YYYY-MM-DD (or DD/MM/YYYY)"))?;
    check_date(d)?;
    Ok(d)
}

/// First and last year a date typed or imported may fall in: a plan for 2026–2030 has no
/// business with year 0 or 9999, and such a date would skew every "days late".
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;

/// Refuses a date outside [`FIRST_YEAR`]–[`LAST_YEAR`].
pub fn check_date(d: NaiveDate) -> Result<(), String> {
    use chrono::Datelike;
    if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
        Ok(())
    } else {
        Err(format!(
            "{d} is outside the years {FIRST_YEAR}–{LAST_YEAR}; give a date in that range"
        ))
    }
}

/// Parses a measured value as people type it: a decimal comma or point ("87,5", "87.5"), an
/// optional trailing "%" and spaces. Only finite numbers ("nan" and "inf" are refused). The CLI
/// and the TUI's record form both use it, so they accept the same input.
pub fn parse_number(s: &str) -> Result<f64, String> {
    let t = s.trim();
    t.trim_end_matches('%')
        .trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("{t:?} is not a number; write e.g. 87.5 or 87,5"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_a_comma_or_a_point() {
        assert_eq!(parse_number("87,5"), Ok(87.5));
        assert_eq!(parse_number(" 87.5 % "), Ok(87.5));
        assert_eq!(parse_number("3"), Ok(3.0));
        for bad in ["", "abc", "nan", "inf", "-inf", "1,2,3", "%"] {
            assert!(parse_number(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn dates_in_both_forms() {
        let d = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        assert_eq!(parse_date("2027-01-01"), Ok(d));
        assert_eq!(parse_date("01/01/2027"), Ok(d));
        assert!(parse_date("2027-13-01").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("").is_err());
        assert!(parse_date("0000-01-01").unwrap_err().contains("2000–2100"));
        assert!(parse_date("2101-01-01").is_err());
        assert!(parse_date("2000-01-01").is_ok() && parse_date("31/12/2100").is_ok());
    }

    #[test]
    fn explicit_user_wins() {
        assert_eq!(resolve_user(Some(" lan ")), "lan");
        assert!(!resolve_user(None).is_empty());
    }
}
