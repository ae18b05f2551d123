//! cchc — tracks Lạng Sơn's 2026–2030 administrative reform plan in one shared SQLite file.
//!
//! The pure core (`model`, `text`, `plan`, `search`, `indicators`) knows nothing of terminals or
//! SQL; `store` owns every SQL statement; `cli` and `tui` are two faces over the same core.

pub mod agency;
pub mod cli;
pub mod config;
pub mod context;
pub mod csv_read;
pub mod error;
pub mod excel_csv;
pub mod indicators;
pub mod model;
pub mod office;
pub mod plan;
pub mod privilege;
pub mod progress;
pub mod remind;
pub mod report;
pub mod search;
pub mod store;
pub mod text;
pub mod transfer;
pub mod tui;
pub mod untrusted;
pub mod view;
