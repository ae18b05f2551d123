//! Long notes: `N` opens the member's own editor (`$VISUAL`, else `$EDITOR`) on a temp file,
//! or, when neither is set, a multi-line box in a popup (Enter: new line, Ctrl-s or
//! Alt-Enter: save, Esc: cancel). Whichever was used, the saved text goes through the same
//! checks (trimmed, NFC, length) before it becomes the note.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use unicode_width::UnicodeWidthChar;

use crate::model::Lang;

use super::Target;
use super::form::{Field, FieldKey, FieldValue, Form, on_form};
use crate::tui::input::TextInput;
use crate::tui::labels::tr;

/// The editor the environment names: `$VISUAL`, else `$EDITOR`; blank values do not count.
pub fn editor_from_env() -> Option<String> {
    ["VISUAL", "EDITOR"].iter().find_map(|name| {
        std::env::var(name)
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    })
}

/// The multi-line box used when no editor is set.
#[derive(Debug, Clone, PartialEq)]
pub struct LongNote {
    pub target: Target,
    /// The marked tasks the note goes to instead of `target` alone; empty for one task.
    pub selection: Vec<Target>,
    /// One multi-line field: Enter arrives as `Insert('\n')`, and a paste keeps its breaks.
    pub form: Form,
}
on_form!(LongNote);

impl LongNote {
    pub fn new(target: Target, selection: Vec<Target>, draft: &str) -> LongNote {
        LongNote {
            target,
            selection,
            form: Form::new(vec![Field {
                key: FieldKey::LongNote,
                value: FieldValue::Lines(TextInput::new(draft)),
            }]),
        }
    }
}

/// A request for the event loop: leave the screen, run the editor, come back.
#[derive(Debug, Clone, PartialEq)]
pub struct EditorRequest {
    pub command: String,
    /// What the file holds when the editor opens: the header, then a draft kept from a failed
    /// run.
    pub initial: String,
    /// The header the file starts with, taken out of what the editor leaves.
    pub header: String,
    pub target: Target,
    pub selection: Vec<Target>,
}

/// The comment lines the editor's file starts with (as git's commit message does): which task
/// the note is for, and how to save it or give it up. `without_header` takes them out again.
pub fn header(target: &Target, selection: &[Target], lang: Lang) -> String {
    let clean = |s: &str| crate::untrusted::line(s).into_owned();
    let mut lines = vec![format!(
        "# {} #{} — {}",
        tr(lang, "Ghi chú dài cho nhiệm vụ", "A long note for task"),
        target.task_id,
        clean(target.title.trim())
    )];
    if selection.len() > 1 {
        let ids: Vec<String> = selection
            .iter()
            .map(|t| format!("#{}", t.task_id))
            .collect();
        lines.push(format!(
            "# {} {}: {}",
            tr(lang, "Cho cả", "For all"),
            selection.len(),
            clean(&ids.join(", "))
        ));
    }
    lines.push(
        tr(
            lang,
            "# Viết ghi chú bên dưới, rồi lưu tệp và thoát trình soạn thảo để thêm nó.",
            "# Write the note below, then save the file and quit the editor to add it.",
        )
        .into(),
    );
    lines.push(
        tr(
            lang,
            "# Để trống (xoá hết chữ) rồi lưu thì không thêm gì. Các dòng # này bị bỏ qua.",
            "# Leave it empty (delete the text) and save to add nothing. These # lines are ignored.",
        )
        .into(),
    );
    let mut out = lines.join("\n");
    out.push_str("\n\n");
    out
}

/// The editor's text without the header lines `header` wrote (the member's own lines that
/// start with `#` stay).
pub fn without_header(text: &str, header: &str) -> String {
    let ours: Vec<&str> = header.lines().filter(|l| l.starts_with('#')).collect();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !ours.contains(&l.trim_end()))
        .collect();
    kept.join("\n")
}

/// The text to store, or why there is none: trimmed, NFC, at most `MAX_NOTE` characters.
/// `Ok(None)` is an empty save, which adds nothing.
pub fn checked_note(text: &str, lang: Lang) -> Result<Option<String>, String> {
    let text = crate::text::nfc(text.trim());
    if text.is_empty() {
        return Ok(None);
    }
    crate::untrusted::check_len("the note", &text, crate::untrusted::MAX_NOTE).map_err(|_| {
        format!(
            "{} {} {}",
            tr(lang, "Ghi chú dài quá:", "The note is too long:"),
            text.chars().count(),
            tr(
                lang,
                &format!(
                    "ký tự, tối đa {} — hãy rút gọn rồi lưu lại",
                    crate::untrusted::MAX_NOTE
                ),
                &format!(
                    "characters, at most {} — shorten it and save again",
                    crate::untrusted::MAX_NOTE
                ),
            )
        )
    })?;
    Ok(Some(text))
}

/// A private temp file for the editor, removed when dropped.
struct TempNote {
    path: PathBuf,
}

impl TempNote {
    fn create(initial: &str) -> std::io::Result<TempNote> {
        use std::os::unix::fs::OpenOptionsExt;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path =
            std::env::temp_dir().join(format!("cchc-note-{}-{stamp}.txt", std::process::id()));
        // create_new: never follow or reuse a file someone else put there; 0600: the draft is
        // nobody else's to read.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        file.write_all(initial.as_bytes())?;
        Ok(TempNote { path })
    }
}

impl Drop for TempNote {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Runs `command` (a shell word list such as `vim` or `code --wait`, as git runs
/// `$EDITOR`) on a temp file holding `initial`, and returns what the file holds after a
/// successful exit; on failure, why, with what the file held (to keep as a draft). The caller
/// has handed the terminal over first.
pub fn run_editor(command: &str, initial: &str, lang: Lang) -> Result<String, (String, String)> {
    let file = TempNote::create(initial).map_err(|e| {
        (
            format!(
                "{}: {e}",
                tr(
                    lang,
                    "Không tạo được tệp tạm cho ghi chú",
                    "Cannot create a temp file for the note"
                )
            ),
            initial.to_string(),
        )
    })?;
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$1\""))
        .arg("cchc-editor")
        .arg(&file.path)
        .spawn()
        .and_then(|mut child| {
            // Ctrl-C and Ctrl-\ typed in the editor are the editor's, not a request to end
            // cchc (as git does while its editor runs).
            let _quiet = IgnoreInterrupts::new();
            child.wait()
        });
    let read = std::fs::read(&file.path);
    let so_far = read
        .as_ref()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_else(|_| initial.to_string());
    let status = status.map_err(|e| {
        (
            format!(
                "{} {command:?}: {e}",
                tr(
                    lang,
                    "Không chạy được trình soạn thảo",
                    "Cannot run the editor"
                )
            ),
            so_far.clone(),
        )
    })?;
    if !status.success() {
        return Err((
            format!(
                "{} {command:?} {} ({status}); {}",
                tr(lang, "Trình soạn thảo", "The editor"),
                tr(lang, "báo lỗi", "failed"),
                tr(
                    lang,
                    "chưa thêm ghi chú — N để mở lại",
                    "no note was added — N to open it again"
                )
            ),
            so_far,
        ));
    }
    let bytes = read.map_err(|e| {
        (
            format!(
                "{}: {e}",
                tr(
                    lang,
                    "Không đọc được tệp ghi chú",
                    "Cannot read the note file"
                )
            ),
            initial.to_string(),
        )
    })?;
    String::from_utf8(bytes).map_err(|_| {
        (
            tr(
                lang,
                "Tệp ghi chú không phải UTF-8; hãy lưu lại ở dạng UTF-8",
                "The note file is not UTF-8; save it as UTF-8",
            )
            .to_string(),
            so_far,
        )
    })
}

/// SIGINT and SIGQUIT ignored while alive, their handlers restored on drop.
struct IgnoreInterrupts {
    previous: Vec<(libc::c_int, libc::sighandler_t)>,
}

impl IgnoreInterrupts {
    fn new() -> IgnoreInterrupts {
        let previous = [libc::SIGINT, libc::SIGQUIT]
            .into_iter()
            // SAFETY: installs SIG_IGN, which runs no code in the handler.
            .map(|sig| (sig, unsafe { libc::signal(sig, libc::SIG_IGN) }))
            .collect();
        IgnoreInterrupts { previous }
    }
}

impl Drop for IgnoreInterrupts {
    fn drop(&mut self) {
        for &(sig, handler) in &self.previous {
            if handler != libc::SIG_ERR {
                // SAFETY: puts back the handler that was installed before (cchc's own only
                // stores to an atomic).
                unsafe {
                    libc::signal(sig, handler);
                }
            }
        }
    }
}

/// The box's text broken into rows of at most `cells` cells (at line breaks, and where a line
/// is longer than a row), with the cursor's row and column.
pub fn rows(input: &TextInput, cells: usize) -> (Vec<String>, (usize, usize)) {
    let cells = cells.max(1);
    let mut rows = vec![String::new()];
    let mut used = 0;
    let mut at = (0, 0);
    for (i, c) in input.text().chars().enumerate() {
        if i == input.cursor() {
            at = (rows.len() - 1, used);
        }
        if c == '\n' {
            rows.push(String::new());
            used = 0;
            continue;
        }
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > cells {
            rows.push(String::new());
            used = 0;
        }
        if let Some(row) = rows.last_mut() {
            row.push(c);
        }
        used += w;
    }
    if input.cursor() >= input.text().chars().count() {
        if used >= cells {
            rows.push(String::new());
            used = 0;
        }
        at = (rows.len() - 1, used);
    }
    (rows, at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::input::Edit;

    #[test]
    fn checked_note_trims_composes_and_limits() {
        assert_eq!(checked_note("  \n \n", Lang::Vi), Ok(None));
        // "ệ" typed as e + two combining marks comes back composed.
        let decomposed = "Vi\u{0065}\u{0323}\u{0302}t\n dòng 2 ";
        assert_eq!(
            checked_note(decomposed, Lang::Vi),
            Ok(Some("Việt\n dòng 2".to_string()))
        );
        let long = "a".repeat(crate::untrusted::MAX_NOTE + 1);
        let err = checked_note(&long, Lang::En).unwrap_err();
        assert!(err.contains("too long") && err.contains("10000"), "{err}");
        assert!(!err.contains('\n'));
    }

    #[test]
    fn rows_break_at_newlines_and_width_and_place_the_cursor() {
        let mut input = TextInput::new("");
        input.insert_lines("ab\ncdefg");
        let (rows, at) = rows(&input, 3);
        assert_eq!(rows, vec!["ab", "cde", "fg"]);
        assert_eq!(at, (2, 2));
        input.edit(&Edit::Home);
        assert_eq!(super::rows(&input, 3).1, (0, 0));
        // A full last row puts the cursor on a new one.
        let input = TextInput::new("abc");
        assert_eq!(
            super::rows(&input, 3),
            (vec!["abc".into(), String::new()], (1, 0))
        );
    }

    #[test]
    fn the_box_keeps_line_breaks_from_enter_and_paste() {
        let target = Target {
            task_id: 1,
            version: 1,
            title: "t".into(),
            agency: "SNV".into(),
        };
        let mut n = LongNote::new(target, Vec::new(), "");
        for c in "một".chars() {
            n.edit(&Edit::Insert(c));
        }
        n.edit(&Edit::Insert('\n'));
        n.edit(&Edit::Paste("hai\r\nba\u{7}".into()));
        assert_eq!(n.text(), "một\nhai\nba");
    }

    #[test]
    fn the_header_names_the_task_and_is_taken_out_again() {
        let target = Target {
            task_id: 157,
            version: 1,
            title: "Báo cáo \u{1b}[31mquý".into(),
            agency: "SNV".into(),
        };
        let head = header(&target, &[], Lang::Vi);
        assert!(
            head.starts_with("# Ghi chú dài cho nhiệm vụ #157 — Báo cáo"),
            "{head}"
        );
        assert!(!head.contains('\u{1b}'), "{head}");
        assert!(
            head.contains("lưu tệp và thoát") && head.contains("Để trống"),
            "{head}"
        );
        let edited = format!("{head}#157 xong\ndòng 2\n");
        assert_eq!(without_header(&edited, &head), "\n#157 xong\ndòng 2");
        assert_eq!(
            checked_note(&without_header(&head, &head), Lang::Vi),
            Ok(None)
        );
    }

    #[test]
    fn the_editor_writes_the_file_and_a_failure_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("ed.sh");
        std::fs::write(
            &script,
            "#!/bin/sh\nprintf 'dòng 1\\ndòng 2\\n' >> \"$1\"\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let text = run_editor(&script.display().to_string(), "nháp\n", Lang::Vi).unwrap();
        assert_eq!(text, "nháp\ndòng 1\ndòng 2\n");
        let (err, kept) = run_editor("false", "nháp", Lang::En).unwrap_err();
        assert!(
            err.contains("failed") && err.contains("N to open it again"),
            "{err}"
        );
        assert_eq!(kept, "nháp");
    }
}
