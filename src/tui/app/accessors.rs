//! What the views and the event loop read from the [`App`]: the language, the layout, the
//! banner, the selection and the small counters; none of it changes the state but `select_task`.

use crate::model::{Lang, Task};
use crate::store::Store;

use super::super::labels::tr;
use super::super::layout::BrowseLayout;
use super::{App, Screen};
use crate::tui::popups::Popup;
use crate::tui::screens::browse::state::Scope;

impl App {
    /// Moves whenever something that may be on screen changed (see the event loop).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn lang(&self) -> Lang {
        self.settings.lang
    }

    pub(in crate::tui) fn t<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        tr(self.settings.lang, vi, en)
    }

    pub fn layout(&self) -> Option<BrowseLayout> {
        BrowseLayout::new(self.size, self.banner().is_some())
    }

    /// The line across the top, if any: the file replaced under the session first (writes
    /// stopped), then read-only, then a drafts file left by an earlier session.
    pub fn banner(&self) -> Option<String> {
        let lang = self.lang();
        if let Some(why) = &self.file_moved {
            return Some(format!(
                " {} — {} — {}",
                tr(lang, "ĐÃ NGỪNG GHI", "WRITING STOPPED"),
                crate::untrusted::line(why),
                tr(
                    lang,
                    "Ctrl-r: mở tệp đang có ở đường dẫn này",
                    "Ctrl-r: open the file now at this path"
                )
            ));
        }
        if let Some(reason) = &self.settings.read_only {
            return Some(format!(
                " {} — {} — {}",
                tr(lang, "CHỈ ĐỌC", "READ-ONLY"),
                super::super::labels::read_only_reason(reason, lang),
                tr(lang, "các phím sửa đã tắt", "editing keys are off")
            ));
        }
        if self.own_file_notice {
            return Some(
                tr(
                    lang,
                    " TỆP RIÊNG CỦA BẠN vừa tạo, không ai khác thấy · tệp chung: --db, CCHC_DB, db=…",
                    " YOUR OWN FILE, just created: nobody else sees it · shared: --db, CCHC_DB, db=…",
                )
                .to_string(),
            );
        }
        self.drafts_notice.as_ref().map(|path| {
            format!(
                " {} {} — {}",
                tr(
                    lang,
                    "Phần đang gõ dở lần trước được giữ ở",
                    "What you were typing last time is kept in"
                ),
                crate::untrusted::line(&path.display().to_string()),
                tr(lang, "xoá tệp khi đã dùng xong", "delete it when done")
            )
        })
    }

    /// Whether only the "terminal too small" message is shown: no key but quit acts then.
    pub fn too_small(&self) -> bool {
        let slides = self.screen == Screen::Meeting && self.help.is_none();
        !slides && self.layout().is_none()
    }

    /// What the user has typed into the open edit, to keep if the session is ended under it.
    pub fn draft(&self) -> Option<String> {
        self.popup.as_ref().and_then(Popup::draft)
    }

    /// How many writes have failed busy so far (see `busy_waits`).
    pub fn busy_waits(&self) -> u64 {
        self.busy_waits
    }

    /// Whether the search line is shown above the list's header.
    pub fn search_line(&self) -> bool {
        self.browse.list.search.editing || self.browse.list.search.is_active()
    }

    pub(in crate::tui) fn list_rows(&self) -> usize {
        self.layout()
            .map_or(10, |l| l.list_rows(self.search_line()))
    }

    pub(in crate::tui) fn nav_rows(&self) -> usize {
        self.layout().map_or(8, |l| l.nav_rows())
    }

    pub fn scope(&self) -> Scope {
        self.browse.nav.scope(&self.data)
    }

    /// Selects task `id` if the list shows it; returns whether it does.
    pub fn select_task(&mut self, id: i64) -> bool {
        let rows = self.list_rows();
        match self.browse.list.select_id(&self.store, id, rows) {
            Ok(shown) => shown,
            Err(e) => {
                let text = self.describe_error(&e);
                self.error(text);
                false
            }
        }
    }

    pub fn selected_task(&self) -> Option<&Task> {
        self.browse.list.selected_task()
    }
}
