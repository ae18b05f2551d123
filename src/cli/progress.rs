//! The progress bar of long commands (`import`, `backup`, `sheet --all`): drawn on stderr with
//! indicatif when stderr is a terminal, nothing at all when it is piped or redirected, so a
//! script's logs stay clean. The work reports through `crate::progress::Progress`.

use std::cell::RefCell;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::model::Lang;
use crate::progress::{Progress, Work};

/// A bar on stderr, or nothing when stderr is not a terminal.
pub struct Bar {
    lang: Lang,
    shown: Option<RefCell<Option<ProgressBar>>>,
}

impl Bar {
    pub fn on_stderr(lang: Lang) -> Bar {
        Bar {
            lang,
            shown: std::io::stderr().is_terminal().then(|| RefCell::new(None)),
        }
    }

    fn label(&self, what: Work) -> &'static str {
        let vi = self.lang == Lang::Vi;
        match what {
            Work::CheckRows if vi => "Kiểm tra các dòng",
            Work::CheckRows => "Checking rows",
            Work::WriteRows if vi => "Ghi vào cơ sở dữ liệu",
            Work::WriteRows => "Writing",
            Work::ReadSheets if vi => "Đọc bảng tính",
            Work::ReadSheets => "Reading sheets",
            Work::Copy if vi => "Sao chép cơ sở dữ liệu",
            Work::Copy => "Copying the database",
            Work::Verify if vi => "Kiểm tra bản sao",
            Work::Verify => "Verifying the copy",
            Work::WriteSheets if vi => "Ghi bảng tính từng cơ quan",
            Work::WriteSheets => "Writing each agency's sheet",
        }
    }
}

impl Progress for Bar {
    fn begin(&self, what: Work, total: u64) {
        let Some(cell) = &self.shown else { return };
        if let Some(old) = cell.borrow_mut().take() {
            old.finish_and_clear();
        }
        let bar = if total > 0 {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            // An import file is checked as it is read: how far, in bytes.
            let counts = if what == Work::CheckRows {
                "{bytes}/{total_bytes}"
            } else {
                "{pos}/{len}"
            };
            bar.set_style(
                ProgressStyle::with_template(&format!("{{msg}} {{wide_bar}} {counts} ({{eta}})"))
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("█▌░"),
            );
            bar
        } else {
            // No count (a backup's single copy step): a spinner says it is alive.
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        };
        bar.set_message(self.label(what));
        bar.tick();
        *cell.borrow_mut() = Some(bar);
    }

    fn set(&self, done: u64) {
        if let Some(bar) = self.shown.as_ref().and_then(|c| c.borrow().clone()) {
            bar.set_position(done);
        }
    }

    /// The finished bar stays, full: the last thing seen of the work is that all of it was
    /// done (a bar cleared just after 12/13 read as stuck there).
    fn end(&self) {
        if let Some(bar) = self.shown.as_ref().and_then(|c| c.borrow_mut().take()) {
            bar.finish();
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.end();
    }
}
