//! Meeting mode: full-screen slides for the projector.

mod overdue_fit;
mod slide_area;
mod slide_behind;
mod slide_overview;
mod slide_since;
pub mod state;
mod update;
pub mod view;
