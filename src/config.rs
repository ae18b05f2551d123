//! The optional config file.
//!
//! `config.toml` in the platform's config directory (`~/.config/cchc/` on Linux), or the file
//! named by `CCHC_CONFIG`:
//!
//! ```toml
//! lang = "vi"                 # or "en"
//! theme = "projector"         # a built-in (default, light, projector, monochrome) or <config dir>/themes/<name>.toml
//! user = "Nguyễn Văn A"       # the name written to the change log
//! db = "/srv/cchc/cchc.db"    # "~/" is the home directory; relative paths are relative to this file
//!
//! [keys]                      # see tui::keymap::Keymap::from_config
//! "x" = "toggle_overdue"
//!
//! [views.snv-overdue]        # a saved view (`:save NAME` writes it); see crate::view
//! agency = "SNV"
//! overdue = true
//!
//! [report]                    # the letterhead of `cchc report --format docx`; see ReportConfig
//! number = "125"              # left as "…" for the văn thư unless given
//! signer_authority = "KT. GIÁM ĐỐC"
//! signer_position = "PHÓ GIÁM ĐỐC"
//! signer_name = "Nguyễn Văn B"
//! texts_file = "bao-cao/{period}.md"   # the assessment, causes and proposals (or [report.texts])
//!
//! [remind]                    # the letters urging agencies (`cchc remind`); see RemindConfig
//! respond_within = 7          # days the agency is given to answer
//!
//! [mail]                      # the SMTP server they go through; see MailConfig
//! host = "mail.langson.gov.vn"
//! security = "starttls"       # or "tls", "none"
//! user = "cchc@snv.langson.gov.vn"
//! password_file = "~/.config/cchc/mail-password"   # or CCHC_MAIL_PASSWORD; never here
//! from = "Sở Nội vụ Lạng Sơn <cchc@snv.langson.gov.vn>"
//! ```
//!
//! This module reads the file; the one write is [`save_view`], which edits it in place. Deciding between the file, the command line and the
//! environment (`--db`, `--user`, `--today`) happens elsewhere. Nothing here fails: a missing
//! file is an empty config, and every problem is a one-line warning naming the file and line,
//! with the rest of the file still applied.

use crate::model::Lang;
pub use remind::{MailConfig, RemindConfig, Security};
use std::ffi::OsString;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The environment variable naming a config file to read instead of the default one.
pub const CONFIG_ENV: &str = "CCHC_CONFIG";

/// What the config file says; `None` where it says nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigFile {
    /// The file that was read, if one was.
    pub path: Option<PathBuf>,
    pub lang: Option<Lang>,
    pub theme: Option<String>,
    pub user: Option<String>,
    /// Already made absolute: `~/` expanded, a relative path joined to the file's directory.
    pub db: Option<PathBuf>,
    /// The `[keys]` table as written; `tui::keymap::Keymap::from_config` interprets it.
    pub keys: toml::Table,
    /// The `[report]` table, over the defaults for Sở Nội vụ Lạng Sơn.
    pub report: ReportConfig,
    /// The `[views.NAME]` tables: saved task-list filters.
    pub views: std::collections::BTreeMap<String, crate::view::SavedView>,
    /// `[remind]`: how the letters urging agencies are issued.
    pub remind: RemindConfig,
    /// `[mail]`: the SMTP server they go through.
    pub mail: MailConfig,
}

/// Who issues the periodic report and to whom (Nghị định 30/2020/NĐ-CP's letterhead, recipient,
/// copies and signature), from `[report]` in the config file.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportConfig {
    /// The body above the issuing agency: "UBND TỈNH LẠNG SƠN".
    pub parent_body: String,
    /// The issuing agency: "SỞ NỘI VỤ".
    pub agency: String,
    /// The document number; empty leaves "…" for the văn thư to fill.
    pub number: String,
    /// The symbol after the number: "BC-SNV".
    pub symbol: String,
    /// Where it is issued: "Lạng Sơn".
    pub place: String,
    /// "Kính gửi: …".
    pub recipient: String,
    /// The "Nơi nhận:" list, one recipient a line.
    pub copies_to: Vec<String>,
    /// "KT. GIÁM ĐỐC" when a deputy signs for the director; empty when the director signs.
    pub signer_authority: String,
    /// "GIÁM ĐỐC" or "PHÓ GIÁM ĐỐC".
    pub signer_position: String,
    /// Empty leaves the line for the name to be written by hand.
    pub signer_name: String,
    /// `[report.texts]`: the assessment, causes and proposals, when written in the config.
    pub texts: crate::report::ReportTexts,
    /// `texts_file`: a Markdown file with those texts (made absolute; `{period}` is replaced by
    /// the report's period, e.g. `bao-cao/{period}.md` → `bao-cao/2026-H1.md`).
    pub texts_file: Option<PathBuf>,
}

impl Default for ReportConfig {
    fn default() -> Self {
        ReportConfig {
            parent_body: "UBND TỈNH LẠNG SƠN".into(),
            agency: "SỞ NỘI VỤ".into(),
            number: String::new(),
            symbol: "BC-SNV".into(),
            place: "Lạng Sơn".into(),
            recipient: "Ủy ban nhân dân tỉnh Lạng Sơn".into(),
            copies_to: vec![
                "Như trên".into(),
                "Bộ Nội vụ".into(),
                "Thành viên Ban Chỉ đạo CCHC tỉnh".into(),
                "Các sở, ban, ngành tỉnh".into(),
                "UBND các xã, phường".into(),
                "Lưu: VT, CCHC".into(),
            ],
            signer_authority: String::new(),
            signer_position: "GIÁM ĐỐC".into(),
            signer_name: String::new(),
            texts: Default::default(),
            texts_file: None,
        }
    }
}

impl ReportConfig {
    /// Applies one `[report]` table; every bad entry is a message, and the rest still applies.
    fn apply(
        &mut self,
        table: &DeTable<'_>,
        config_file: &Path,
        mut warn: impl FnMut(Range<usize>, String),
    ) {
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        for (key, value) in entries {
            let name: &str = key.get_ref();
            let field = match name {
                "parent_body" => &mut self.parent_body,
                "agency" => &mut self.agency,
                "number" => &mut self.number,
                "symbol" => &mut self.symbol,
                "place" => &mut self.place,
                "recipient" => &mut self.recipient,
                "signer_authority" => &mut self.signer_authority,
                "signer_position" => &mut self.signer_position,
                "signer_name" => &mut self.signer_name,
                "texts" => {
                    let Some(texts) = value.get_ref().as_table() else {
                        warn(
                            value.span(),
                            "report.texts must be a table: [report.texts] then assessment, causes and proposals = \"\"\"…\"\"\"".to_string(),
                        );
                        continue;
                    };
                    for (key, value) in texts.iter() {
                        let name: &str = key.get_ref();
                        match value.get_ref().as_str() {
                            Some(text) if self.texts.set(name, text) => {}
                            Some(_) => warn(
                                key.span(),
                                format!(
                                    "unknown text report.texts.{name}; the texts are assessment, causes and proposals"
                                ),
                            ),
                            None => warn(
                                value.span(),
                                format!(
                                    "report.texts.{name} must be text in quotes (\"\"\"…\"\"\" for several lines)"
                                ),
                            ),
                        }
                    }
                    continue;
                }
                "texts_file" => {
                    match value.get_ref().as_str().map(str::trim).filter(|s| !s.is_empty()) {
                        Some(file) => self.texts_file = Some(resolve_path(file, config_file)),
                        None => warn(
                            value.span(),
                            "report.texts_file must be the path of a Markdown file, e.g. \"bao-cao/{period}.md\"".to_string(),
                        ),
                    }
                    continue;
                }
                "copies_to" => {
                    let list = value.get_ref().as_array().and_then(|items| {
                        items
                            .iter()
                            .map(|v| v.get_ref().as_str().map(|s| crate::text::nfc(s.trim())))
                            .collect::<Option<Vec<String>>>()
                    });
                    match list {
                        Some(list) => self.copies_to = list,
                        None => warn(
                            value.span(),
                            "report.copies_to must be a list of names, e.g. [\"Như trên\", \"Lưu: VT\"]"
                                .to_string(),
                        ),
                    }
                    continue;
                }
                _ => {
                    warn(
                        key.span(),
                        format!(
                            "unknown setting report.{name}; the settings are parent_body, agency, number, symbol, place, recipient, copies_to, signer_authority, signer_position, signer_name, texts_file and [report.texts]"
                        ),
                    );
                    continue;
                }
            };
            match value.get_ref().as_str() {
                Some(s) => *field = crate::text::nfc(s.trim()),
                None => warn(
                    value.span(),
                    format!("report.{name} must be text in quotes"),
                ),
            }
        }
    }
}

impl ConfigFile {
    /// Reads the file named by `CCHC_CONFIG`, else `<config dir>/config.toml`. A missing default
    /// file is normal and silent; a missing `CCHC_CONFIG` file is a warning (someone asked for it).
    pub fn load() -> (ConfigFile, Vec<String>) {
        ConfigFile::load_with_env(std::env::var_os(CONFIG_ENV))
    }

    /// [`ConfigFile::load`] with the environment variable's value passed in, for tests.
    fn load_with_env(env: Option<OsString>) -> (ConfigFile, Vec<String>) {
        match env.filter(|v| !v.is_empty()) {
            Some(path) => ConfigFile::load_from(Path::new(&path), true),
            None => match default_config_path() {
                Some(path) => ConfigFile::load_from(&path, false),
                None => (ConfigFile::default(), Vec::new()),
            },
        }
    }

    /// Reads one file. When it does not exist, `required` decides whether that is worth a
    /// warning.
    pub fn load_from(path: &Path, required: bool) -> (ConfigFile, Vec<String>) {
        match crate::store::read_small_text(path, crate::store::MAX_SETTINGS_BYTES) {
            Ok(src) => ConfigFile::parse(&src, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                (ConfigFile::default(), Vec::new())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (
                ConfigFile::default(),
                vec![format!(
                    "config file {} (from {CONFIG_ENV}) does not exist; using no config file",
                    path.display()
                )],
            ),
            Err(e) => (
                ConfigFile::default(),
                vec![format!(
                    "cannot read config file {}: {e}; using no config file",
                    path.display()
                )],
            ),
        }
    }

    /// Parses the text of the config file at `path` (used for messages and relative paths).
    pub fn parse(src: &str, path: &Path) -> (ConfigFile, Vec<String>) {
        let origin = format!("config file {}", path.display());
        let mut config = ConfigFile {
            path: Some(path.to_path_buf()),
            ..ConfigFile::default()
        };
        let mut warnings = Vec::new();
        let doc = match DeTable::parse(src) {
            Ok(doc) => doc,
            Err(e) => {
                let message = locate(&origin, src, e.span(), e.message());
                warnings.push(format!("{message}; the whole file is ignored"));
                return (config, warnings);
            }
        };
        let mut warn = |span: Range<usize>, message: String| {
            warnings.push(locate(&origin, src, Some(span), &message));
        };
        // The map is sorted by key; warn in the order of the file.
        let mut entries: Vec<_> = doc.get_ref().iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        for (key, value) in entries {
            let name: &str = key.get_ref();
            match name {
                "lang" => match string_value(value).as_deref().map(str::to_ascii_lowercase) {
                    Some(s) if s == "vi" => config.lang = Some(Lang::Vi),
                    Some(s) if s == "en" => config.lang = Some(Lang::En),
                    _ => warn(value.span(), "lang must be \"vi\" or \"en\"".to_string()),
                },
                "theme" => match string_value(value) {
                    Some(theme) => config.theme = Some(theme),
                    None => warn(
                        value.span(),
                        "theme must be a theme name such as \"projector\"".to_string(),
                    ),
                },
                "user" => match string_value(value) {
                    Some(user) => config.user = Some(crate::text::nfc(&user)),
                    None => warn(value.span(), "user must be a non-empty name".to_string()),
                },
                "db" => match string_value(value) {
                    Some(db) => config.db = Some(resolve_path(&db, path)),
                    None => warn(
                        value.span(),
                        "db must be the path of the database file".to_string(),
                    ),
                },
                "report" => match value.get_ref().as_table() {
                    Some(table) => config.report.apply(table, path, &mut warn),
                    None => warn(
                        value.span(),
                        "report must be a table: [report] then lines such as signer_name = \"…\""
                            .to_string(),
                    ),
                },
                "remind" => match value.get_ref().as_table() {
                    Some(table) => config.remind.apply(table, &mut warn),
                    None => warn(
                        value.span(),
                        "remind must be a table: [remind] then lines such as respond_within = 7"
                            .to_string(),
                    ),
                },
                "mail" => match value.get_ref().as_table() {
                    Some(table) => config.mail.apply(table, path, &mut warn),
                    None => warn(
                        value.span(),
                        "mail must be a table: [mail] then lines such as host = \"mail.langson.gov.vn\""
                            .to_string(),
                    ),
                },
                "views" => {
                    if !value.get_ref().is_table() {
                        warn(
                            value.span(),
                            "views must be tables: [views.NAME] then lines such as overdue = true"
                                .to_string(),
                        );
                    }
                }
                "keys" => {
                    if !value.get_ref().is_table() {
                        warn(
                            value.span(),
                            "keys must be a table: [keys] then lines such as \"x\" = \"toggle_overdue\""
                                .to_string(),
                        );
                    }
                }
                _ => warn(
                    key.span(),
                    format!(
                        "unknown setting {name:?}; the settings are lang, theme, user, db, [keys], [views], [report], [remind] and [mail]"
                    ),
                ),
            }
        }
        // The keymap and the views want plain values; the document parsed above, so this parse
        // succeeds too.
        if let Ok(mut table) = src.parse::<toml::Table>() {
            if let Some(toml::Value::Table(keys)) = table.remove("keys") {
                config.keys = keys;
            }
            if let Some(toml::Value::Table(views)) = table.remove("views") {
                let (views, problems) = crate::view::parse_views(&views);
                config.views = views;
                warnings.extend(problems.into_iter().map(|p| format!("{origin}: {p}")));
            }
        }
        (config, warnings)
    }
}

/// The file `:save` writes to: the one read at start, else `CCHC_CONFIG`, else the default.
pub fn writable_path(loaded: Option<&Path>) -> Option<PathBuf> {
    loaded.map(Path::to_path_buf).or_else(|| {
        std::env::var_os(CONFIG_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(default_config_path)
    })
}

/// Stores `view` as `[views.NAME]` in the config file at `path`, replacing a view of that
/// name and keeping everything else in the file as written (comments, order, spacing). A
/// missing file (and its directory) is created. The file is replaced by rename, so a crash
/// leaves the old file or the new one, never half of one. A file that does not parse is left
/// alone: the error says where it is wrong.
pub fn save_view(path: &Path, name: &str, view: &crate::view::SavedView) -> Result<(), String> {
    crate::view::check_name(name)?;
    let src = match crate::store::read_small_text(path, crate::store::MAX_SETTINGS_BYTES) {
        Ok(src) => src,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let mut doc: toml_edit::DocumentMut = src.parse().map_err(|e: toml_edit::TomlError| {
        let origin = format!("config file {}", path.display());
        format!(
            "{}; fix it before saving a view",
            locate(&origin, &src, e.span(), e.message())
        )
    })?;
    let views = doc
        .entry("views")
        .or_insert_with(|| {
            let mut t = toml_edit::Table::new();
            // `[views]` itself stays unwritten: only `[views.NAME]` headers appear.
            t.set_implicit(true);
            toml_edit::Item::Table(t)
        })
        .as_table_mut()
        .ok_or_else(|| {
            format!(
                "config file {}: views is not a table; make it [views.NAME] tables",
                path.display()
            )
        })?;
    let mut table = toml_edit::Table::new();
    for (key, value) in view.to_table() {
        let value = match value {
            toml::Value::String(s) => toml_edit::value(s),
            toml::Value::Boolean(b) => toml_edit::value(b),
            _ => continue,
        };
        table.insert(&key, value);
    }
    // Keep the place of a view saved again, so the file does not shuffle.
    match views.get_mut(name).and_then(toml_edit::Item::as_table_mut) {
        Some(existing) => {
            existing.clear();
            for (k, v) in table.iter() {
                existing.insert(k, v.clone());
            }
        }
        None => {
            views.insert(name, toml_edit::Item::Table(table));
        }
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    // A config file kept elsewhere and linked here (a dotfiles repository) stays a link: the
    // file it points to is the one replaced, and it keeps its permissions.
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let tmp = target.with_extension("toml.cchc-tmp");
    let write = || -> std::io::Result<()> {
        std::fs::write(&tmp, doc.to_string())?;
        if let Ok(meta) = std::fs::metadata(&target) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, &target)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })
}

/// A non-empty string, trimmed.
fn string_value(value: &Spanned<DeValue<'_>>) -> Option<String> {
    let s = value.get_ref().as_str()?.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// `~/x` → `<home>/x`; a relative path → next to the config file.
fn resolve_path(written: &str, config_file: &Path) -> PathBuf {
    // A server's URL is not a path relative to the config file.
    if crate::store::server_url(Path::new(written)).is_some() {
        return PathBuf::from(written);
    }
    if let Some(rest) = written.strip_prefix("~/")
        && let Some(dirs) = directories::BaseDirs::new()
    {
        return dirs.home_dir().join(rest);
    }
    let path = PathBuf::from(written);
    if path.is_absolute() {
        return path;
    }
    match config_file.parent() {
        Some(dir) => dir.join(path),
        None => path,
    }
}

/// The platform's config directory for cchc (`~/.config/cchc` on Linux), if the platform has
/// one (no home directory: none).
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("vn", "langson", "cchc").map(|d| d.config_dir().to_path_buf())
}

/// `<config dir>/config.toml`, whether it exists or not.
pub fn default_config_path() -> Option<PathBuf> {
    config_dir().map(|d| d.join("config.toml"))
}

/// Where user themes live: `<config dir>/themes`.
pub fn user_theme_dir() -> Option<PathBuf> {
    config_dir().map(|d| d.join("themes"))
}

/// A one-line message for a problem in a TOML source: "`origin`: line L, column C: message".
/// `span` is a byte range into `src` as toml reports it; without one, no position is given.
pub fn locate(origin: &str, src: &str, span: Option<Range<usize>>, message: &str) -> String {
    // toml's messages may span lines ("invalid table header\nexpected `.`, `]`").
    let message = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    match span {
        Some(span) => {
            let (line, column) = line_column(src, span.start);
            format!("{origin}: line {line}, column {column}: {message}")
        }
        None => format!("{origin}: {message}"),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

mod remind;

#[cfg(test)]
mod tests;

#[cfg(test)]
#[path = "config_views_tests.rs"]
mod views_tests;
