//! `cchc meet`: meeting mode on the projector, the TUI's slides started from the command line.

use std::io::Write;

use super::Env;
use crate::error::Result;

/// Starts meeting mode; without a terminal it says what to use instead (exit 2, a usage error).
pub(super) fn run(since: Option<chrono::NaiveDate>, allow_edits: bool, env: &Env) -> Result<i32> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            crate::untrusted::line(super::lang::t(
                "cchc: meet cần một terminal (chiếu trang toàn màn hình); muốn có văn bản thì dùng `cchc report --period 2026`",
                "cchc: meet needs a terminal (it shows slides full screen); for a document use `cchc report --period 2026`",
            ))
        );
        return Ok(2);
    }
    let mut env = env.clone();
    // A projector nobody should type into: read-only unless asked.
    if !allow_edits {
        env.read_only = true;
    }
    let screen = &env.screen;
    let launch = crate::tui::Launch {
        // The projector theme unless --theme says otherwise; the config file's theme is for
        // the members' own terminals.
        theme: Some(screen.theme.clone().unwrap_or_else(|| "projector".into())),
        meeting_theme: screen.theme.clone(),
        keys: screen.keys.clone(),
        warnings: screen.warnings.clone(),
        meeting: Some(crate::tui::Meet { since, allow_edits }),
        views: env.views.clone(),
        config_path: screen.config_path.clone(),
        view: None,
    };
    crate::tui::run(env.tui_options()?, launch)
}
