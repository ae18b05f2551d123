//! The rules for an agency typed by a user (`cchc agency add|rename|import`): a code and a name
//! through `untrusted::name`, and no code or name that only differs from another by case or
//! diacritics, so "snv" or "SNV\u{301}" can never pass for Sở Nội vụ's SNV.

use crate::model::{Agency, AgencyKind};
use crate::text::fold;
use crate::untrusted;

/// Longest agency code, in characters: codes are short keys people type (SNV, XA-CHI-LANG).
pub const MAX_CODE: usize = 24;

/// The kinds as the CLI and import files spell them, with the Vietnamese a secretary types.
pub const KINDS: &str = "department (sở, ban, ngành), commune (xã, phường), front (MTTQ, đoàn thể), partner (đơn vị phối hợp), central (cơ quan Trung ương)";

/// An agency code: NFC, trimmed, no invisible or control character, letters, digits, `-`, `_`
/// and `.` only (a comma or `;` would split the coordinating lists that hold codes).
pub fn check_code(s: &str) -> Result<String, String> {
    let code = untrusted::name("the agency code", s).map_err(|e| e.to_string())?;
    if code.chars().count() > MAX_CODE {
        return Err(format!(
            "the agency code {code:?} is longer than {MAX_CODE} characters; choose a short code"
        ));
    }
    if let Some(c) = code
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "the agency code {code:?} holds {c:?}; use letters, digits, '-', '_' or '.'"
        ));
    }
    Ok(code)
}

/// An agency name: NFC, trimmed, no invisible or control character.
pub fn check_name(s: &str) -> Result<String, String> {
    untrusted::name("the agency name", s).map_err(|e| e.to_string())
}

/// A kind as English or Vietnamese name it: `commune`, "xã", "phường", "xã, phường" (as `agency
/// list` prints it), "sở", "Sở, ban, ngành"… — case, diacritics and separators do not matter.
pub fn parse_kind(s: &str) -> Result<AgencyKind, String> {
    let words: Vec<String> = fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    let spelled = words.join(" ");
    let kind = AgencyKind::parse(&spelled).or(match spelled.as_str() {
        "so" | "ban" | "nganh" | "so ban nganh" | "so nganh" | "co quan chuyen mon"
        | "van phong" => Some(AgencyKind::Department),
        "xa" | "phuong" | "xa phuong" | "ubnd xa" | "ubnd phuong" | "ubnd xa phuong"
        | "dac khu" | "thi tran" => Some(AgencyKind::Commune),
        "mttq"
        | "mat tran"
        | "doan the"
        | "mttq doan the"
        | "mat tran doan the"
        | "to chuc chinh tri xa hoi" => Some(AgencyKind::Front),
        "doi tac" | "don vi phoi hop" | "phoi hop" => Some(AgencyKind::Partner),
        "trung uong" | "co quan trung uong" => Some(AgencyKind::Central),
        _ => None,
    });
    kind.ok_or_else(|| format!("{:?} is not an agency kind; use one of {KINDS}", s.trim()))
}

/// Refuses `new` when its code or name equals, or only differs by case or diacritics from,
/// one of `existing`; the message names the agency it clashes with.
pub fn check_distinct(new: &Agency, existing: &[Agency]) -> Result<(), String> {
    let (code, name) = (fold(&new.code), fold(&new.name));
    for a in existing {
        if a.code == new.code {
            return Err(format!(
                "agency {} already exists ({}); `cchc agency rename` changes its name",
                a.code,
                untrusted::line(&a.name)
            ));
        }
        if fold(&a.code) == code {
            return Err(format!(
                "the code {:?} differs from the existing agency {} ({}) only by case or diacritics; use {} or choose another code",
                new.code,
                a.code,
                untrusted::line(&a.name),
                a.code
            ));
        }
        if fold(&a.name) == name {
            return Err(format!(
                "the name {:?} is already agency {}'s ({}); two agencies may not share a name",
                untrusted::line(&new.name),
                a.code,
                untrusted::line(&a.name)
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snv() -> Agency {
        Agency {
            code: "SNV".into(),
            name: "Sở Nội vụ".into(),
            kind: AgencyKind::Department,
        }
    }

    #[test]
    fn codes_are_checked_and_normalised() {
        assert_eq!(check_code("  XA-CHI-LANG ").unwrap(), "XA-CHI-LANG");
        assert!(check_code("SX D").unwrap_err().contains("' '"));
        assert!(check_code("A,B").unwrap_err().contains("','"));
        assert!(check_code("S\u{200b}NV").unwrap_err().contains("\\u{200b}"));
        assert!(check_code("").is_err());
        assert!(check_code(&"A".repeat(MAX_CODE + 1)).is_err());
    }

    #[test]
    fn look_alikes_are_refused_naming_the_original() {
        let existing = [snv()];
        let new = |code: &str, name: &str| Agency {
            code: code.into(),
            name: name.into(),
            kind: AgencyKind::Department,
        };
        let e = check_distinct(&new("snv", "Sở Mới"), &existing).unwrap_err();
        assert!(e.contains("SNV") && e.contains("only by case"), "{e}");
        let e = check_distinct(&new("SNV\u{301}", "Sở Mới"), &existing).unwrap_err();
        assert!(e.contains("only by case or diacritics"), "{e}");
        let e = check_distinct(&new("SNV", "Sở Mới"), &existing).unwrap_err();
        assert!(e.contains("already exists"), "{e}");
        let e = check_distinct(&new("SNV2", "so noi vu"), &existing).unwrap_err();
        assert!(e.contains("already agency SNV"), "{e}");
        assert!(check_distinct(&new("SXD", "Sở Xây dựng"), &existing).is_ok());
    }

    #[test]
    fn kinds_parse() {
        assert_eq!(parse_kind(" Commune ").unwrap(), AgencyKind::Commune);
        for (typed, kind) in [
            ("xã", AgencyKind::Commune),
            ("Phường", AgencyKind::Commune),
            ("xã, phường", AgencyKind::Commune),
            ("XA PHUONG", AgencyKind::Commune),
            ("sở", AgencyKind::Department),
            ("Sở, ban, ngành", AgencyKind::Department),
            ("MTTQ, đoàn thể", AgencyKind::Front),
            ("đơn vị phối hợp", AgencyKind::Partner),
            ("cơ quan Trung ương", AgencyKind::Central),
        ] {
            assert_eq!(parse_kind(typed), Ok(kind), "{typed}");
        }
        assert!(parse_kind("").is_err());
        assert!(parse_kind("xã phường sở").is_err());
        assert!(
            parse_kind("ward")
                .unwrap_err()
                .contains("commune (xã, phường)")
        );
    }
}
