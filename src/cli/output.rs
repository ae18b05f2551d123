//! How the CLI writes for people: whether to colour and how wide a table may be. Decided once
//! per run, here, from `--color`, `NO_COLOR`, the terminal and `COLUMNS`.

use std::ffi::OsStr;
use std::io::IsTerminal;

use clap::ValueEnum;

/// `--color`: when to colour tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorWhen {
    /// When standard output is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    /// Always, even into a pipe or with NO_COLOR set.
    Always,
    /// Never.
    Never,
}

/// The width a table fits when neither the terminal nor `COLUMNS` says.
pub const DEFAULT_WIDTH: usize = 120;
/// Narrower than this, tables would be unreadable anyway: they are laid out at this width.
const MIN_WIDTH: usize = 20;

/// What a table needs to know about where it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub colour: bool,
    /// Terminal columns a line may take.
    pub width: usize,
}

impl Style {
    /// The style for standard output in this process.
    pub fn for_stdout(when: ColorWhen) -> Style {
        let terminal = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR");
        let columns = std::env::var("COLUMNS").ok();
        Style {
            colour: colour(when, terminal, no_color.as_deref()),
            width: width(terminal.then(stdout_columns).flatten(), columns.as_deref()),
        }
    }
}

/// `--color always` wins over everything; `never` and a non-empty NO_COLOR (no-color.org)
/// turn colour off; otherwise colour only into a terminal.
pub fn colour(when: ColorWhen, terminal: bool, no_color: Option<&OsStr>) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => terminal && no_color.is_none_or(OsStr::is_empty),
    }
}

/// The terminal's own width when writing to one, else `COLUMNS` when it is a number, else 120.
pub fn width(terminal: Option<usize>, columns: Option<&str>) -> usize {
    terminal
        .filter(|&w| w > 0)
        .or_else(|| {
            columns
                .and_then(|c| c.trim().parse::<usize>().ok())
                .filter(|&w| w > 0)
        })
        .unwrap_or(DEFAULT_WIDTH)
        .max(MIN_WIDTH)
}

/// The width of the terminal on standard output, asked of the terminal itself.
fn stdout_columns() -> Option<usize> {
    let mut size = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ only writes a `winsize` into the struct it is given.
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(size.ws_col as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_flag_then_no_color_then_the_terminal() {
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        assert!(colour(ColorWhen::Auto, true, None));
        assert!(!colour(ColorWhen::Auto, false, None));
        assert!(!colour(ColorWhen::Auto, true, set));
        // An empty NO_COLOR is not set (no-color.org).
        assert!(colour(ColorWhen::Auto, true, empty));
        assert!(colour(ColorWhen::Always, false, set));
        assert!(!colour(ColorWhen::Never, true, None));
    }

    #[test]
    fn width_prefers_the_terminal_then_columns_then_120() {
        assert_eq!(width(Some(100), Some("80")), 100);
        assert_eq!(width(None, Some("80")), 80);
        assert_eq!(width(None, Some(" 90 ")), 90);
        assert_eq!(width(None, Some("wide")), DEFAULT_WIDTH);
        assert_eq!(width(None, Some("0")), DEFAULT_WIDTH);
        assert_eq!(width(None, None), DEFAULT_WIDTH);
        assert_eq!(width(Some(0), None), DEFAULT_WIDTH);
        assert_eq!(width(None, Some("5")), MIN_WIDTH);
    }
}
