//! How far a long piece of work is (an import of many rows, a backup, a sheet per agency), told
//! to whoever shows it. The core and the store call it; only the CLI draws it (on stderr, when
//! that is a terminal). Callers report every [`EVERY`] units, not every one, so a large import
//! pays nothing for it.

/// Report progress after this many rows.
pub const EVERY: u64 = 500;

/// Whether the `n`th unit (from 0) is one to report.
pub fn is_due(n: usize) -> bool {
    (n as u64).is_multiple_of(EVERY)
}

/// What the work is, so the one who draws it can name it in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Reading and checking the rows of an import file (counted in bytes of the file).
    CheckRows,
    /// Writing the rows of an import.
    WriteRows,
    /// Reading returned sheets, one file at a time.
    ReadSheets,
    /// Copying the database for a backup.
    Copy,
    /// Checking the copy (integrity, hash chain).
    Verify,
    /// Writing one workbook per agency.
    WriteSheets,
}

/// Receives progress. Every method has a silent default.
pub trait Progress {
    /// `what` begins; `total` units, or 0 when it is not known.
    fn begin(&self, _what: Work, _total: u64) {}
    /// `done` units of the current work are done.
    fn set(&self, _done: u64) {}
    /// The work is over (done or failed).
    fn end(&self) {}
}

/// Shows nothing: scripts, tests, the TUI.
pub struct Silent;

impl Progress for Silent {}
