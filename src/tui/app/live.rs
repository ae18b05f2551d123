//! Loading and live reload: taking in what the store says, keeping selection and scroll.
use std::time::Instant;

use crate::model::Task;
use crate::store::LogFilter;

use super::super::data::{Data, Gauges};
use super::App;

impl App {
    // ----- Loading ------------------------------------------------------------------------

    /// Takes tasks just read from the store into memory, then re-filters (keeping the
    /// selection and scroll position).
    pub(in crate::tui) fn take_in(&mut self, tasks: Vec<Task>) {
        if let Err(e) = self.data.apply(&self.store) {
            let text = self.describe_error(&e);
            self.error(text);
        }
        // An open status picker or percent prompt says what its task has now.
        match &mut self.popup {
            Some(super::Popup::Status(p)) => {
                if let Some(t) = tasks.iter().find(|t| t.id == p.target.task_id) {
                    p.current = t.status;
                }
            }
            Some(super::Popup::Percent(p)) => {
                if let Some(t) = tasks.iter().find(|t| t.id == p.target.task_id) {
                    p.progress = t.progress;
                }
            }
            _ => {}
        }
        self.meeting_stale();
        // A changed text may match differently now: search afresh, not within old hits.
        self.refresh_search(true);
        self.rebuild();
    }

    /// Takes the text in the box as the query (`fresh`: search every task next time, not
    /// within the previous hits); the next `rebuild` searches.
    pub(in crate::tui) fn refresh_search(&mut self, fresh: bool) {
        let lang = self.lang();
        self.browse.list.search.refresh(fresh, &self.data, lang);
    }

    /// Reads the list's rows now on screen that its window does not hold yet (after the
    /// selection or the scroll moved): one keyset page, or nothing.
    pub(in crate::tui) fn fill_list(&mut self) {
        let rows = self.list_rows();
        if let Err(e) = self.browse.list.fill(&self.store, rows) {
            let text = self.describe_error(&e);
            self.error(text);
        }
    }

    /// Polls the store and expires the message; returns whether anything on screen changed.
    pub(in crate::tui) fn tick(&mut self) -> bool {
        let expired = self.messages.expire(Instant::now());
        if self.file_moved.is_none()
            && let Some(why) = self.store.check_file()
        {
            // Stop here: the connection still reads the old file, and no write goes to it.
            self.file_moved = Some(why.to_string());
            let text = self
                .t(
                    "Tệp dữ liệu đã bị thay hoặc xoá: đã ngừng ghi. Ctrl-r để mở tệp đang có ở đường dẫn",
                    "The database file was replaced or deleted: writing stopped. Ctrl-r opens the file now at the path",
                )
                .to_string();
            self.messages.set(super::MessageKind::Error, text);
            self.fit_views();
            return true;
        }
        if self.file_moved.is_some() {
            return expired;
        }
        match self.store.data_version() {
            Ok(v) if self.live.disconnected => {
                // Back: what changed meanwhile is unknown, so everything is read again.
                self.live.disconnected = false;
                self.live.data_version = v;
                self.full_reload();
                let text = self.t("Đã kết nối lại", "Connected again").to_string();
                self.success(text);
                true
            }
            Ok(v) if v != self.live.data_version => {
                self.live.data_version = v;
                if self.store.changed_outside_log() {
                    self.full_reload();
                } else {
                    self.reload_changes();
                }
                true
            }
            Ok(_) => expired,
            Err(crate::error::Error::ConnectionLost(_)) => {
                let first = !self.live.disconnected;
                self.live.disconnected = true;
                // Held (set again each poll) until a poll gets through.
                let text = self
                    .t("Mất kết nối, đang thử lại…", "Connection lost, retrying…")
                    .to_string();
                self.error(text);
                first || expired
            }
            Err(e) => {
                let text = self.describe_error(&e);
                self.error(text);
                true
            }
        }
    }

    /// Reads every indicator and measurement again (19 indicators: cheap), keeping the
    /// selected indicator; the slides are rebuilt before they are drawn next.
    pub(in crate::tui) fn reload_gauges(&mut self) {
        match Gauges::load(&self.store, &self.data.areas, self.settings.today) {
            Ok(gauges) => {
                let selected = self
                    .gauges
                    .rows
                    .get(self.indicators.selected)
                    .map(|g| g.indicator.code.clone());
                self.gauges = gauges;
                let len = self.gauges.rows.len();
                self.indicators.selected = selected
                    .and_then(|code| {
                        self.gauges
                            .rows
                            .iter()
                            .position(|g| g.indicator.code == code)
                    })
                    .unwrap_or(self.indicators.selected)
                    .min(len.saturating_sub(1));
                self.meeting_stale();
            }
            Err(e) => {
                let text = self.describe_error(&e);
                self.error(text);
            }
        }
    }

    /// Reads what other processes committed since the last look: only the changed tasks, the
    /// indicators and measurements (a few dozen rows), and the member rules (which a secretary
    /// may have changed).
    pub(in crate::tui) fn reload_changes(&mut self) {
        self.reload_gauges();
        match self.store.permissions() {
            Ok(p) => self.perms = p,
            Err(e) => {
                let text = self.describe_error(&e);
                self.error(text);
            }
        }
        let result = (|| -> crate::error::Result<Option<Vec<Task>>> {
            if !self.data.reference_unchanged(&self.store)? {
                return Ok(None);
            }
            let seq = self.store.max_change_seq()?;
            let changed = self.store.tasks_changed_since(self.live.seq)?;
            self.live.seq = seq;
            Ok(Some(changed))
        })();
        match result {
            Ok(Some(changed)) => {
                if !changed.is_empty() {
                    self.take_in(changed);
                    // The detail pane re-reads history and notes for a changed version.
                }
            }
            Ok(None) => self.full_reload(),
            Err(e) => {
                let text = self.describe_error(&e);
                self.error(text);
            }
        }
    }

    /// Closes the file that was replaced or deleted under the session and opens the one now
    /// at the path (Ctrl-r after the banner), then reads everything from it.
    pub(in crate::tui) fn reopen(&mut self) {
        match self.store.reopen() {
            Ok(()) => {
                self.file_moved = None;
                // The worker's connection reads the old file: the next search opens the new.
                self.search_worker.restart();
                self.settings.read_only = self.store.read_only_reason().map(String::from);
                match (self.store.data_version(), self.store.permissions()) {
                    (Ok(v), Ok(p)) => {
                        self.live.data_version = v;
                        self.perms = p;
                    }
                    (Err(e), _) | (_, Err(e)) => {
                        let text = self.describe_error(&e);
                        self.error(text);
                        return;
                    }
                }
                self.full_reload();
                self.fit_views();
                let text = format!(
                    "{} {}",
                    self.t("Đã mở lại", "Opened again:"),
                    self.settings.db_label
                );
                self.success(text);
            }
            Err(e) => {
                let text = format!(
                    "{}: {}",
                    self.t("Chưa mở lại được", "Cannot open it again"),
                    self.describe_error(&e)
                );
                self.error(text);
            }
        }
    }

    /// Reads everything again (Ctrl-r, or areas/agencies changed), keeping selection.
    pub(in crate::tui) fn full_reload(&mut self) {
        let result = (|| -> crate::error::Result<Data> {
            let seq = self.store.max_change_seq()?;
            let data = Data::load(&self.store, self.settings.today)?;
            self.live.seq = seq;
            Ok(data)
        })();
        match result {
            Ok(data) => {
                self.data = data;
                let len = self.browse.nav.len(&self.data);
                self.browse.nav.cursor.ensure_visible(self.nav_rows(), len);
                self.refresh_search(true);
                self.rebuild();
                self.browse.detail.task_id = None;
                self.reload_gauges();
            }
            Err(e) => {
                let text = self.describe_error(&e);
                self.error(text);
            }
        }
    }

    pub(in crate::tui) fn rebuild(&mut self) {
        let scope = self.scope();
        let rows = self.list_rows();
        if let Err(e) = self
            .browse
            .list
            .rebuild(&self.store, &self.data, &scope, rows)
        {
            let text = self.describe_error(&e);
            self.error(text);
        }
        // A new search goes to the worker (issue 11: off the input thread).
        self.dispatch_search();
    }

    /// After a resize (or the search line appearing): keep selections on screen.
    pub(in crate::tui) fn fit_views(&mut self) {
        let rows = self.list_rows();
        let len = self.browse.list.len();
        self.browse.list.cursor.ensure_visible(rows, len);
        let nav_len = self.browse.nav.len(&self.data);
        let nav_rows = self.nav_rows();
        self.browse.nav.cursor.ensure_visible(nav_rows, nav_len);
        self.clamp_detail_scroll();
    }

    /// Re-reads the selected task's history and notes when the selection or its version
    /// changed since the last read.
    pub(in crate::tui) fn sync_detail(&mut self) {
        let selected = self.selected_task().map(|t| (t.id, t.version));
        let current = self
            .browse
            .detail
            .task_id
            .map(|id| (id, self.browse.detail.version));
        if selected == current {
            return;
        }
        if selected.map(|s| s.0) != self.browse.detail.task_id {
            self.browse.detail.scroll = 0;
        }
        match selected {
            None => {
                self.browse.detail.task_id = None;
                self.browse.detail.history.clear();
                self.browse.detail.notes.clear();
            }
            Some((id, version)) => {
                let history = self.store.log(&LogFilter {
                    entity: Some("task".into()),
                    entity_id: Some(id.to_string()),
                    limit: Some(super::HISTORY_LIMIT),
                    ..Default::default()
                });
                let notes = self.store.notes(id);
                match (history, notes) {
                    (Ok(history), Ok(notes)) => {
                        self.browse.detail.history = history;
                        self.browse.detail.notes = notes;
                    }
                    (Err(e), _) | (_, Err(e)) => {
                        let text = self.describe_error(&e);
                        self.error(text);
                    }
                }
                self.browse.detail.task_id = Some(id);
                self.browse.detail.version = version;
            }
        }
    }

    pub(in crate::tui) fn clamp_detail_scroll(&mut self) {
        let Some(layout) = self.layout() else {
            return;
        };
        // Zoomed, the detail pane is the whole body.
        let inner = if self.browse.zoomed {
            layout.body.inner(ratatui::layout::Margin::new(1, 1))
        } else {
            layout.detail_inner()
        };
        let lines = crate::tui::screens::browse::detail::line_count(self, inner.width);
        let max = lines.saturating_sub(usize::from(inner.height));
        self.browse.detail.scroll = self.browse.detail.scroll.min(max);
    }
}
