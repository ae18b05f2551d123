//! A notice: something the member must read before going on.

/// Something the member must read: a refused edit, with who changed what.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub title: String,
    pub lines: Vec<String>,
}
