//! Words the interface shows, in Vietnamese first and English: change-log actions, dates,
//! read-only reasons and refusals. A task field's label and a change's wording are the model's
//! (`TaskField::label`, `FieldChange::describe_in`).

use crate::model::{Indicator, Lang, Task};
use crate::store::{Permissions, Role};

/// Picks the Vietnamese or the English text.
pub fn tr<'a>(lang: Lang, vi: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

pub use crate::report::date;

/// A change-log instant in local time ("26/11/2026 10:12"), as the CLI shows it too.
pub use crate::report::instant;

/// A change-log action.
pub fn log_action(action: &str, lang: Lang) -> String {
    let (vi, en) = match action {
        "update" => ("sửa", "changed"),
        "note" => ("ghi chú", "noted"),
        "undo" => ("hoàn tác", "undid"),
        "create" => ("tạo", "created"),
        other => return other.to_string(),
    };
    tr(lang, vi, en).to_string()
}

/// Why `cchc meet` cannot write (its store is opened read-only without `--allow-edits`).
pub const MEET_READ_ONLY: &str = "cchc meet is read-only unless started with --allow-edits";

/// Why the file is read-only, as the store says it, in Vietnamese where the reason is one the
/// store is known to give (else as the store wrote it).
pub fn read_only_reason(reason: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return reason.to_string();
    }
    if reason == "opened with --read-only" {
        return "mở với --read-only".into();
    }
    if reason == MEET_READ_ONLY {
        return "cchc meet chỉ đọc, trừ khi có --allow-edits".into();
    }
    if let Some(rest) = reason.strip_prefix("no write permission on the directory ")
        && let Some((dir, _)) = rest.split_once(" (")
    {
        return format!(
            "không có quyền ghi vào thư mục {dir} (SQLite cần tạo tệp -wal, -shm bên cạnh tệp dữ liệu)"
        );
    }
    if let Some(rest) = reason.strip_prefix("no write permission on ")
        && let Some((file, _)) = rest.split_once("; ")
    {
        return format!(
            "không có quyền ghi tệp {file}; hãy nhờ người quản lý tệp thêm bạn vào nhóm (quyền 0660)"
        );
    }
    reason.to_string()
}

/// Who is at the keyboard, with their role: "lan · thành viên SNV". Just the name while no
/// member is registered (everyone may edit).
pub fn who(p: &Permissions, lang: Lang) -> String {
    if p.is_open() {
        return p.user.clone();
    }
    match &p.member {
        Some(m) => match m.role {
            Role::Secretary => format!(
                "{} · {} ({})",
                p.user,
                tr(lang, "thư ký", "secretary"),
                m.agency
            ),
            Role::Member => format!(
                "{} · {} {}",
                p.user,
                tr(lang, "thành viên", "member of"),
                m.agency
            ),
            Role::Viewer => format!(
                "{} · {}",
                p.user,
                tr(lang, "người xem (chỉ đọc)", "viewer (read only)")
            ),
        },
        None => format!(
            "{} · {}",
            p.user,
            tr(lang, "chưa đăng ký (chỉ đọc)", "not registered (read only)")
        ),
    }
}

/// Why the member rules refuse an edit (of `task`, when there is one), in the interface
/// language. The store refuses the same edit again if it is tried anyway.
pub fn denied(p: &Permissions, task: Option<&Task>, lang: Lang) -> String {
    let user = &p.user;
    match (&p.member, task) {
        (None, _) => match lang {
            Lang::Vi => format!(
                "{user} chưa được đăng ký là thành viên nên chỉ được xem; hãy nhờ thư ký chạy `cchc member add {user} --agency MÃ --role member`"
            ),
            Lang::En => format!(
                "{user} is not a registered member and may only read; ask a secretary to run `cchc member add {user} --agency CODE --role member`"
            ),
        },
        (Some(m), _) if m.role == Role::Viewer => match lang {
            Lang::Vi => format!("{user} là người xem, chỉ được đọc; hãy nhờ thư ký đổi vai trò"),
            Lang::En => {
                format!("{user} is a viewer and may only read; ask a secretary to change the role")
            }
        },
        (Some(m), Some(t)) => match lang {
            Lang::Vi => format!(
                "Thành viên của {a} chỉ sửa được nhiệm vụ do {a} chủ trì hoặc phối hợp; #{id} do {lead} chủ trì — hãy nhờ thư ký",
                a = m.agency,
                id = t.id,
                lead = t.lead_agency
            ),
            Lang::En => format!(
                "A member for {a} changes only tasks {a} leads or coordinates; #{id} is led by {lead} — ask a secretary",
                a = m.agency,
                id = t.id,
                lead = t.lead_agency
            ),
        },
        (Some(m), None) => match lang {
            Lang::Vi => format!(
                "Thành viên của {a} chỉ thêm được nhiệm vụ do {a} chủ trì hoặc phối hợp",
                a = m.agency
            ),
            Lang::En => format!(
                "A member for {a} adds only tasks {a} leads or coordinates",
                a = m.agency
            ),
        },
    }
}

/// Why this user may not record a measurement of `ind` (a viewer, an unregistered user, or a
/// member of another agency than the indicator's lead).
pub fn denied_record(p: &Permissions, ind: &Indicator, lang: Lang) -> String {
    match &p.member {
        Some(m) if m.role == Role::Member => match lang {
            Lang::Vi => format!(
                "Thành viên của {a} chỉ ghi được số liệu các chỉ tiêu do {a} chủ trì; chỉ tiêu {code} do {lead} chủ trì — hãy nhờ thư ký",
                a = m.agency,
                code = ind.code,
                lead = ind.lead_agency
            ),
            Lang::En => format!(
                "A member for {a} records only the indicators {a} leads; {code} is led by {lead} — ask a secretary",
                a = m.agency,
                code = ind.code,
                lead = ind.lead_agency
            ),
        },
        _ => denied(p, None, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_reasons_in_vietnamese() {
        assert_eq!(
            read_only_reason("opened with --read-only", Lang::Vi),
            "mở với --read-only"
        );
        let file = "no write permission on /srv/c.db; ask the file's owner to add you to its group (mode 0660)";
        assert!(read_only_reason(file, Lang::Vi).starts_with("không có quyền ghi tệp /srv/c.db;"));
        let dir = "no write permission on the directory /srv (SQLite's WAL needs to create files beside the database)";
        assert!(read_only_reason(dir, Lang::Vi).contains("thư mục /srv "));
        assert_eq!(read_only_reason(file, Lang::En), file);
        assert_eq!(read_only_reason("something new", Lang::Vi), "something new");
    }

    #[test]
    fn instants_fall_back_to_the_raw_text() {
        assert_eq!(instant("not a time"), "not a time");
        assert!(instant("2026-11-26T12:00:00.000Z").starts_with("26/11/2026"));
    }
}
