//! The report's words that only people can write: the leader's assessment of the period, the
//! causes of what fell short, and the proposals to UBND tỉnh. They come from the config's
//! `[report.texts]` table or a Markdown file it names (`texts_file`), never from cchc: a text
//! that is missing is shown as a marked placeholder.

use serde::Serialize;

/// Each text is paragraphs separated by a blank line; a paragraph's lines starting with "- "
/// are list items.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReportTexts {
    /// Section III.1: the leader's assessment of the results.
    pub assessment: Option<String>,
    /// Section III.2: the causes of the shortcomings.
    pub causes: Option<String>,
    /// Section V: proposals and recommendations.
    pub proposals: Option<String>,
}

/// Which text a heading of the Markdown file starts.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Assessment,
    Causes,
    Proposals,
}

impl ReportTexts {
    fn slot(&mut self, part: Part) -> &mut Option<String> {
        match part {
            Part::Assessment => &mut self.assessment,
            Part::Causes => &mut self.causes,
            Part::Proposals => &mut self.proposals,
        }
    }

    /// Sets a text by its config name; false for a name that is none of them.
    pub fn set(&mut self, name: &str, text: &str) -> bool {
        let part = match name {
            "assessment" => Part::Assessment,
            "causes" => Part::Causes,
            "proposals" => Part::Proposals,
            _ => return false,
        };
        *self.slot(part) = tidy(text);
        true
    }

    /// The texts of `other` where it has one, these elsewhere.
    pub fn overridden_by(mut self, other: ReportTexts) -> ReportTexts {
        for part in [Part::Assessment, Part::Causes, Part::Proposals] {
            let mut other = other.clone();
            if let Some(text) = other.slot(part).take() {
                *self.slot(part) = Some(text);
            }
        }
        self
    }

    /// Reads the Markdown file's text: a heading starts each part ("# Đánh giá", "# Nguyên
    /// nhân", "# Đề xuất, kiến nghị"; or in English "# Assessment", "# Causes", "# Proposals"),
    /// and what follows it, to the next heading, is that part. Returns the texts and one
    /// message per line that could not be placed (`line N: …`).
    pub fn from_markdown(src: &str) -> (ReportTexts, Vec<String>) {
        let mut texts = ReportTexts::default();
        let mut warnings = Vec::new();
        // None before the first heading; Some(None) under a heading that is no part.
        let mut current: Option<Option<Part>> = None;
        let mut buffer: Vec<&str> = Vec::new();
        let flush = |current: Option<Option<Part>>, buffer: &mut Vec<&str>, texts: &mut Self| {
            if let Some(Some(part)) = current {
                *texts.slot(part) = tidy(&buffer.join("\n"));
            }
            buffer.clear();
        };
        let mut stray_reported = false;
        for (i, line) in src.lines().enumerate() {
            let line = line.trim_end();
            if let Some(heading) = line.strip_prefix('#') {
                flush(current, &mut buffer, &mut texts);
                let heading = heading.trim_start_matches('#').trim();
                let part = part_of(heading);
                if part.is_none() {
                    warnings.push(format!(
                        "line {}: unknown heading {heading:?} (its text is left out); the parts are \"# Đánh giá\", \"# Nguyên nhân\" and \"# Đề xuất, kiến nghị\"",
                        i + 1
                    ));
                }
                current = Some(part);
                continue;
            }
            if current.is_none() {
                if !line.trim().is_empty() && !stray_reported {
                    warnings.push(format!(
                        "line {}: text before the first heading is left out; put it under \"# Đánh giá\", \"# Nguyên nhân\" or \"# Đề xuất, kiến nghị\"",
                        i + 1
                    ));
                    stray_reported = true;
                }
                continue;
            }
            buffer.push(line);
        }
        flush(current, &mut buffer, &mut texts);
        (texts, warnings)
    }
}

fn part_of(heading: &str) -> Option<Part> {
    let h = crate::text::fold(heading);
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&["nguyen nhan", "ton tai", "han che", "cause", "shortcoming"]) {
        Some(Part::Causes)
    } else if has(&["de xuat", "kien nghi", "proposal", "recommend"]) {
        Some(Part::Proposals)
    } else if has(&["danh gia", "ket qua", "assessment"]) {
        Some(Part::Assessment)
    } else {
        None
    }
}

/// Paragraphs separated by one blank line, lines of a paragraph joined (list items kept on
/// their own lines), NFC; nothing at all is `None`.
fn tidy(text: &str) -> Option<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        let item = line
            .strip_prefix("- ")
            .or_else(|| line.strip_prefix("* "))
            .or_else(|| line.strip_prefix("+ "));
        match item {
            Some(item) => {
                if !current.is_empty() {
                    current.push('\n');
                }
                current.push_str("- ");
                current.push_str(item.trim());
            }
            None if current.is_empty() => current.push_str(line),
            None if current.lines().last().is_some_and(|l| l.starts_with("- ")) => {
                // A list item continued on the next line.
                current.push(' ');
                current.push_str(line);
            }
            None => {
                current.push(' ');
                current.push_str(line);
            }
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    (!paragraphs.is_empty()).then(|| crate::text::nfc(&paragraphs.join("\n\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_markdown_file_gives_each_part_under_its_heading() {
        let src = "# Đánh giá chung\nKết quả tốt,\nvượt kế hoạch.\n\nĐoạn hai.\n\n## NGUYEN NHAN\n- Thiếu người;\n- thiếu kinh phí.\n\n# Đề xuất, kiến nghị\nĐề nghị UBND tỉnh bố trí kinh phí.\n";
        let (t, warnings) = ReportTexts::from_markdown(src);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            t.assessment.as_deref(),
            Some("Kết quả tốt, vượt kế hoạch.\n\nĐoạn hai.")
        );
        assert_eq!(
            t.causes.as_deref(),
            Some("- Thiếu người;\n- thiếu kinh phí.")
        );
        assert_eq!(
            t.proposals.as_deref(),
            Some("Đề nghị UBND tỉnh bố trí kinh phí.")
        );
    }

    #[test]
    fn stray_text_and_unknown_headings_are_named_by_line_and_left_out() {
        let (t, warnings) =
            ReportTexts::from_markdown("Lời mở đầu\nvẫn mở đầu\n# Ghi chú\nx\n# Đề xuất\n\n");
        assert_eq!(t, ReportTexts::default());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].starts_with("line 1:"));
        assert!(warnings[1].starts_with("line 3:") && warnings[1].contains("Ghi chú"));
    }

    #[test]
    fn the_file_wins_over_the_config_table_part_by_part() {
        let mut table = ReportTexts::default();
        assert!(table.set("causes", "Từ bảng."));
        assert!(table.set("proposals", "  "));
        assert!(!table.set("foreword", "x"));
        let file = ReportTexts {
            assessment: Some("Từ tệp.".into()),
            ..Default::default()
        };
        let merged = table.overridden_by(file);
        assert_eq!(merged.assessment.as_deref(), Some("Từ tệp."));
        assert_eq!(merged.causes.as_deref(), Some("Từ bảng."));
        assert_eq!(merged.proposals, None);
    }
}
