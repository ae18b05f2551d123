//! What a member reads when something is refused or fails: every [`Error`] in the interface's
//! language, the other member's change worded by the model (`FieldChange::describe_all_in`)
//! and its time in local time, never the stored UTC instant. A message quoting the file's text
//! passes through the one rule for untrusted text.

use super::{Conflict, Error, file_prefix};
use crate::model::{FieldChange, Lang};
use crate::untrusted::{InputError, line};

/// A message in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub vi: String,
    pub en: String,
}

impl Error {
    /// The one line a member reads, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if let Error::Refused(said) | Error::Usage(said) = self {
            return match lang {
                Lang::Vi => said.vi.clone(),
                Lang::En => said.en.clone(),
            };
        }
        if let Error::Conflict(c) | Error::UndoRefused(c) = self {
            return conflict(self, c, lang);
        }
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            Error::NoDatabase(p) => format!(
                "{}: không có cơ sở dữ liệu này; `cchc init {}` sẽ tạo nó",
                p.display(),
                p.display()
            ),
            Error::NotCchc { path, reason } => format!(
                "{}: không phải cơ sở dữ liệu cchc ({reason}); hãy kiểm tra đường dẫn, tệp không bị thay đổi",
                path.display()
            ),
            Error::NewerSchema {
                path,
                found,
                supported,
            } => format!(
                "{}: do một cchc mới hơn tạo (lược đồ {found}, bản cchc này biết đến {supported}); hãy nâng cấp cchc, tệp không bị thay đổi",
                path.display()
            ),
            Error::Corrupt { path, reason } => format!(
                "{}cơ sở dữ liệu bị hỏng ({reason}); hãy khôi phục bản sao lưu, xem `cchc doctor`",
                file_prefix(path)
            ),
            Error::NetworkShare { path, fs } => format!(
                "{}: nằm trên ổ mạng ({fs}), nơi chế độ WAL của SQLite không an toàn; hãy để tệp trên ổ đĩa của chính máy mà các thành viên SSH vào, hoặc dùng --network-share cho nhật ký rollback chậm hơn (docs/OPERATIONS.md)",
                path.display()
            ),
            Error::NothingToUndo(user) => format!(
                "không có gì để hoàn tác: {} không còn thay đổi nào hoàn tác được",
                line(user)
            ),
            Error::Busy(secs) => format!(
                "cơ sở dữ liệu đang bận: một tiến trình khác giữ khoá quá {secs} giây; hãy thử lại"
            ),
            Error::ReadOnly(reason) => format!("chỉ đọc: {reason}"),
            Error::DiskFull => {
                "ổ đĩa đã đầy: chưa ghi gì; hãy giải phóng chỗ trống rồi thử lại".into()
            }
            Error::Denied(why) => format!("không được phép: {why}"),
            Error::PermissionDenied(what) => format!("không có quyền truy cập: {what}"),
            Error::NoSuchTask(id) => {
                format!("không có nhiệm vụ số {id}; `cchc tasks` liệt kê các nhiệm vụ")
            }
            Error::BadRows { rows, more } => {
                let n = rows.len() + more;
                match rows.first() {
                    Some(first) => {
                        format!("{n} dòng không hợp lệ (đầu tiên: {first}); chưa nhập gì")
                    }
                    None => format!("{n} dòng không hợp lệ; chưa nhập gì"),
                }
            }
            Error::Sqlite(e) => format!("lỗi cơ sở dữ liệu: {e}"),
            Error::ConnectionLost(why) => format!(
                "mất kết nối tới máy chủ cơ sở dữ liệu ({why}); cchc sẽ tự kết nối lại: hãy thử lại sau giây lát"
            ),
            Error::Server(why) => format!("máy chủ cơ sở dữ liệu báo: {why}"),
            // Already in the words of whoever raised them (the CLI's own, or the system's).
            Error::Invalid(_) | Error::Io(_) => self.to_string(),
            Error::Refused(_) | Error::Usage(_) | Error::Conflict(_) | Error::UndoRefused(_) => {
                unreachable!()
            }
        }
    }
}

/// Someone else changed the task first: who, when (local time) and what, in `lang`.
fn conflict(e: &Error, c: &Conflict, lang: Lang) -> String {
    let when = crate::report::instant(&c.at);
    let what = if c.changes.is_empty() {
        match lang {
            Lang::Vi => "không rõ chi tiết".to_string(),
            Lang::En => "no field details".to_string(),
        }
    } else {
        line(&FieldChange::describe_all_in(&c.changes, lang)).into_owned()
    };
    // For a row of an imported sheet, the file and row the other change came from.
    let what = match &c.from {
        Some(from) => format!("{what}; {}", line(from)),
        None => what,
    };
    let (by, when) = (c.by_shown(), line(&when));
    match (e, lang) {
        (Error::UndoRefused(_), Lang::Vi) => format!(
            "không hoàn tác được thay đổi của bạn ở nhiệm vụ #{}: {by} đã sửa nó lúc {when} ({what}); không có gì thay đổi",
            c.task_id
        ),
        (Error::UndoRefused(_), Lang::En) => format!(
            "cannot undo your change to task #{}: {by} changed it since, at {when} ({what}); nothing was changed",
            c.task_id
        ),
        (_, Lang::Vi) => format!(
            "nhiệm vụ #{} đã được {by} sửa lúc {when} ({what}), sau khi bạn đọc phiên bản {}; hãy tải lại rồi thử lại",
            c.task_id, c.expected_version
        ),
        (_, Lang::En) => format!(
            "task #{} was changed by {by} at {when} ({what}), after you read version {}; reload and try again",
            c.task_id, c.expected_version
        ),
    }
}

/// An input refused by `untrusted`, in Vietnamese, its field named as the screens name it.
pub(super) fn input_vi(e: &InputError) -> String {
    let field = |f: &str| -> String {
        match f {
            "the title" | "title" => "tên nhiệm vụ".into(),
            "the note" | "note" => "ghi chú".into(),
            "the expected output" => "sản phẩm".into(),
            "the detail" => "nội dung".into(),
            "the source" | "source" => "nguồn số liệu".into(),
            "the agency code" => "mã cơ quan".into(),
            "the agency name" => "tên cơ quan".into(),
            "the member's name" => "tên thành viên".into(),
            "login" => "tên đăng nhập".into(),
            "the user name (--user, CCHC_USER or the config file)" => {
                "tên người dùng (--user, CCHC_USER hoặc tệp cấu hình)".into()
            }
            other => other.to_string(),
        }
    };
    match e {
        InputError::Empty { field: f } => format!("{} đang trống; hãy nhập một tên", field(f)),
        InputError::TooLong { field: f, len, max } => {
            format!("{} dài {len} ký tự; tối đa {max}", field(f))
        }
        InputError::Unsafe { field: f, shown } => format!(
            "{} có ký tự ẩn hoặc ký tự điều khiển {shown}; hãy gõ lại không có ký tự đó",
            field(f)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FieldChange, Lang};

    #[test]
    fn a_conflict_is_said_in_the_language_with_local_time_and_field_names() {
        let c = Conflict {
            task_id: 213,
            expected_version: 3,
            actual_version: 4,
            by: "root".into(),
            at: "2026-12-07T19:57:18.973Z".into(),
            changes: vec![FieldChange {
                field: "progress".into(),
                old: Some("0".into()),
                new: Some("60".into()),
            }],
            from: None,
        };
        let local = crate::report::instant("2026-12-07T19:57:18.973Z");
        let vi = Error::Conflict(Box::new(c.clone())).message(Lang::Vi);
        assert!(vi.starts_with("nhiệm vụ #213 đã được root sửa lúc"), "{vi}");
        assert!(vi.contains(&local) && !vi.contains("19:57:18"), "{vi}");
        assert!(vi.contains("Tiến độ: 0% → 60%"), "{vi}");
        let en = Error::Conflict(Box::new(Conflict {
            changes: Vec::new(),
            ..c
        }))
        .message(Lang::En);
        assert!(
            en.contains("(no field details)") && en.contains(&local),
            "{en}"
        );
        // Every other refusal has its Vietnamese line.
        let full = Error::DiskFull.message(Lang::Vi);
        assert!(full.starts_with("ổ đĩa đã đầy"), "{full}");
        let long = Error::from(InputError::TooLong {
            field: "the title",
            len: 600,
            max: 500,
        });
        assert_eq!(
            long.message(Lang::Vi),
            "tên nhiệm vụ dài 600 ký tự; tối đa 500"
        );
        assert_eq!(
            long.to_string(),
            "the title is 600 characters long; the limit is 500"
        );
    }
}
