//! Views only draw: each takes what it shows by reference and renders into a buffer.

pub mod gauge;
pub mod indicators;
pub mod meeting;
