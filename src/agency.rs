//! The rules for an agency typed by a user (`cchc agency add|set|rename|import`): a code and a
//! name through `untrusted::name`, its mail addresses and addressee (`check_emails`,
//! `check_addressee`), and no code or name that only differs from another by case or
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

/// Most addresses an agency may list.
pub const MAX_EMAILS: usize = 10;
/// Longest address, in characters (RFC 5321's 254).
pub const MAX_EMAIL: usize = 254;

/// An agency's official mail addresses, as typed (`--email a@x.vn,b@x.vn`, an import's `email`
/// cell): separated by commas, semicolons or spaces; each one line without control or
/// invisible characters, a plausible `local@domain.tld` in ASCII, at most [`MAX_EMAIL`]
/// characters; at most [`MAX_EMAILS`], none twice. Nothing typed is no address (it clears them).
pub fn check_emails(s: &str) -> Result<Vec<String>, String> {
    let s = crate::text::nfc(s);
    if let Some(c) = s.chars().find(|&c| untrusted::is_unsafe(c)) {
        return Err(format!(
            "the mail address holds the invisible or control character {}; write one line of addresses separated by commas",
            c.escape_unicode()
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for address in s
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        let address = check_email(address)?;
        if out.iter().any(|a| a.eq_ignore_ascii_case(&address)) {
            return Err(format!(
                "the mail address {address} is given twice; list it once"
            ));
        }
        out.push(address);
    }
    if out.len() > MAX_EMAILS {
        return Err(format!(
            "{} mail addresses are given; an agency lists at most {MAX_EMAILS}",
            out.len()
        ));
    }
    Ok(out)
}

/// One address: `local@domain`, the domain of two labels or more ending in letters.
fn check_email(a: &str) -> Result<String, String> {
    let bad = |why: &str| {
        Err(format!(
            "{a:?} is not a mail address ({why}); write it as ten@co-quan.langson.gov.vn"
        ))
    };
    if a.chars().count() > MAX_EMAIL {
        return bad(&format!("longer than {MAX_EMAIL} characters"));
    }
    if !a.is_ascii() {
        return bad("letters with diacritics are not allowed in an address");
    }
    let Some((local, domain)) = a.split_once('@') else {
        return bad("no @");
    };
    const LOCAL: &str = "!#$%&'*+/=?^_`{|}~-.";
    if local.is_empty()
        || local.len() > 64
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || !local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || LOCAL.contains(c))
    {
        return bad("the part before @ is not a mailbox name");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let tld_ok = labels
        .last()
        .is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
    if labels.len() < 2 || !labels.iter().all(label_ok) || !tld_ok {
        return bad("the part after @ is not a domain such as langson.gov.vn");
    }
    Ok(a.to_string())
}

/// The title a letter is addressed to ("Giám đốc Sở Tư pháp", "Chủ tịch UBND xã Tân Thành"):
/// a name's rules; nothing typed clears it (the letter is then addressed to the agency).
pub fn check_addressee(s: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        return Ok(String::new());
    }
    untrusted::name("the addressee", s).map_err(|e| e.to_string())
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
    fn addresses_are_checked() {
        assert_eq!(
            check_emails(" vp@stp.langson.gov.vn; Tp.CCHC@stp.langson.gov.vn ").unwrap(),
            ["vp@stp.langson.gov.vn", "Tp.CCHC@stp.langson.gov.vn"]
        );
        assert_eq!(check_emails("  ").unwrap(), Vec::<String>::new());
        for (bad, why) in [
            ("vp.stp.langson.gov.vn", "no @"),
            ("vp@localhost", "not a domain"),
            ("vp@stp..gov.vn", "not a domain"),
            ("vp@stp.gov.v1", "not a domain"),
            (".vp@stp.gov.vn", "mailbox"),
            ("vp\"x@stp.gov.vn", "mailbox"),
            ("vănphòng@stp.gov.vn", "diacritics"),
            ("a@x.vn,A@x.vn", "twice"),
            ("a@x.vn\u{202e}", "invisible or control"),
            ("a@x.vn\r\nBcc: b@y.vn", "invisible or control"),
        ] {
            let e = check_emails(bad).unwrap_err();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
        let many: Vec<String> = (0..=MAX_EMAILS).map(|i| format!("a{i}@x.vn")).collect();
        assert!(
            check_emails(&many.join(","))
                .unwrap_err()
                .contains("at most")
        );
        let long = format!("{}@x.vn", "a".repeat(MAX_EMAIL));
        assert!(check_emails(&long).unwrap_err().contains("longer"));
        assert_eq!(
            check_addressee(" Giám đốc Sở Tư pháp ").unwrap(),
            "Giám đốc Sở Tư pháp"
        );
        assert_eq!(check_addressee("").unwrap(), "");
        assert!(check_addressee("Giám đốc\nSở").is_err());
        assert!(check_addressee("Giám đốc\u{200b}").is_err());
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
