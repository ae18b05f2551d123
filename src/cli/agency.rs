//! `cchc agency add|set|list|rename|import`: every agency of the province in the file, and where
//! to reach it (its official mail addresses and the title a letter is addressed to, which `cchc
//! remind` uses). An agency added later owes the plan's duties addressed to its kind from the
//! day it is added.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::tabular::{Column, Tabular, render};
use super::{Env, Format, Style, bad_rows, decode_csv, read_import_file, say_how_read};
use crate::agency::{check_addressee, check_code, check_emails, check_name, parse_kind};
use crate::csv_read::Decoded;
use crate::error::{Error, Result};
use crate::model::{Agency, AgencyKind, Lang};
use crate::store::{AgencyAdded, AgencyChange, AgencyRow, Contact, NewAgency};
use crate::text::fold;
use crate::transfer::RowError;
use crate::untrusted::line;

fn kind(s: &str) -> Result<AgencyKind, String> {
    parse_kind(s).map_err(|en| {
        super::lang::t(
            "không phải loại cơ quan; dùng sở (department), xã hoặc phường (commune), MTTQ hoặc đoàn thể (front), đơn vị phối hợp (partner), cơ quan Trung ương (central)",
            &en,
        )
        .to_string()
    })
}

#[derive(Debug, Subcommand)]
pub enum AgencyCommand {
    /// Register an agency (a secretary, once members exist). From today it owes the plan's
    /// duties addressed to its kind: for a department or a commune, the yearly plans and the
    /// quarterly, half-yearly and yearly reports of section V.1.
    Add {
        /// A short code: letters, digits, '-', '_' or '.' (e.g. SXD, XA-CHI-LANG).
        code: String,
        /// The agency's name as it signs its documents.
        #[arg(long)]
        name: String,
        /// department (sở, ban, ngành), commune (xã, phường), front (MTTQ, đoàn thể), partner,
        /// or central (cơ quan Trung ương tại địa phương).
        #[arg(long, value_parser = kind)]
        kind: AgencyKind,
        /// Its official mail addresses, separated by commas (the letters urging it go there).
        #[arg(long)]
        email: Option<String>,
        /// Who a letter to it is addressed to, e.g. "Giám đốc Sở Xây dựng" (default: its name).
        #[arg(long)]
        addressee: Option<String>,
    },
    /// Change a registered agency's mail addresses, addressee or name (a secretary, once
    /// members exist). An empty value clears the addresses or the addressee.
    Set {
        /// The agency's code, as `cchc agencies` lists it.
        code: String,
        /// Its official mail addresses, separated by commas; "" clears them.
        #[arg(long)]
        email: Option<String>,
        /// Who a letter to it is addressed to, e.g. "Giám đốc Sở Tư pháp"; "" goes back to its
        /// name.
        #[arg(long)]
        addressee: Option<String>,
        /// A new name, as `agency rename` gives one.
        #[arg(long)]
        name: Option<String>,
    },
    /// List the agencies, with the day each was added and where to reach it.
    List {
        /// Output: a table for people, or JSON (see docs/JSON.md) or CSV for scripts.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Change an agency's name (a secretary, once members exist).
    Rename {
        /// The agency's code, as `cchc agencies` lists it.
        code: String,
        /// The new name.
        #[arg(long)]
        name: String,
    },
    /// Register the agencies listed in a CSV or .xlsx file (columns code, name, kind; email and
    /// addressee if given), all or nothing. A row naming an agency already registered as it is
    /// sets the addresses and addressee it gives (an empty cell leaves them), else is skipped.
    Import {
        /// A CSV or .xlsx file with the columns code, name, kind (or mã, tên, loại), and
        /// optionally email (thư điện tử) and addressee (kính gửi).
        file: PathBuf,
        /// Check the file and say what would be added, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

pub fn run(cmd: AgencyCommand, env: &Env, style: Style) -> Result<String> {
    match cmd {
        AgencyCommand::Add {
            code,
            name,
            kind,
            email,
            addressee,
        } => {
            let agency = Agency {
                code: check_code(&code).map_err(Error::invalid)?,
                name: check_name(&name).map_err(Error::invalid)?,
                kind,
            };
            let contact = Contact {
                emails: check_emails(email.as_deref().unwrap_or_default())
                    .map_err(Error::invalid)?,
                addressee: check_addressee(addressee.as_deref().unwrap_or_default())
                    .map_err(Error::invalid)?,
            };
            let duties = duties()?;
            let mut store = env.open()?;
            let new = NewAgency {
                agency,
                contact,
                row: None,
            };
            let added = store.add_agencies(&[new], env.today, &duties, None)?;
            Ok(added.iter().map(|a| describe(a, env)).collect())
        }
        AgencyCommand::Set {
            code,
            email,
            addressee,
            name,
        } => {
            let change = AgencyChange {
                code: code.trim().to_string(),
                name: name
                    .map(|n| check_name(&n))
                    .transpose()
                    .map_err(Error::invalid)?,
                emails: email
                    .map(|e| check_emails(&e))
                    .transpose()
                    .map_err(Error::invalid)?,
                addressee: addressee
                    .map(|a| check_addressee(&a))
                    .transpose()
                    .map_err(Error::invalid)?,
                row: None,
            };
            if change.name.is_none() && change.emails.is_none() && change.addressee.is_none() {
                return Err(Error::invalid(env.t(
                    "không có gì để đổi; hãy cho --email, --addressee hoặc --name",
                    "nothing to change; give --email, --addressee or --name",
                )));
            }
            let mut store = env.open()?;
            let (_, changed) = store.change_agencies(&[], &[change], env.today, &[], None)?;
            Ok(match changed.first() {
                None => format!(
                    "{} {}\n",
                    env.t("Không có gì thay đổi:", "Nothing changed:"),
                    line(code.trim())
                ),
                Some((row, fields)) => described_change(row, fields, env),
            })
        }
        AgencyCommand::List { format } => list(format, env, style),
        AgencyCommand::Rename { code, name } => {
            let name = check_name(&name).map_err(Error::invalid)?;
            let mut store = env.open()?;
            let (agency, old) = store.rename_agency(code.trim(), &name)?;
            Ok(if old == agency.name {
                format!(
                    "{} {} {}\n",
                    env.t("Không có gì thay đổi:", "Nothing changed:"),
                    agency.code,
                    line(&agency.name)
                )
            } else {
                format!(
                    "{} {}: {} → {}\n",
                    env.t("Đã đổi tên", "Renamed"),
                    agency.code,
                    line(&old),
                    line(&agency.name)
                )
            })
        }
        AgencyCommand::Import { file, dry_run } => import(&file, dry_run, env),
    }
}

fn duties() -> Result<Vec<crate::model::Duty>> {
    crate::plan::load_kind_duties()
        .map_err(|e| Error::invalid(format!("the built-in plan is invalid: {e}")))
}

fn describe(a: &AgencyAdded, env: &Env) -> String {
    let mut s = format!(
        "{} {} ({}, {}) {} {}: {} {}",
        env.t("Đã thêm cơ quan", "Added agency"),
        a.agency.code,
        line(&a.agency.name),
        kind_label(a.agency.kind, env.lang),
        env.t("từ ngày", "from"),
        a.added_on.format("%d/%m/%Y"),
        a.tasks_created,
        env.t(
            "nhiệm vụ theo loại cơ quan",
            "tasks from the duties of its kind"
        ),
    );
    if a.group_tasks_withdrawn > 0 {
        s.push_str(&format!(
            "; {} {} {}",
            a.group_tasks_withdrawn,
            env.t(
                "nhiệm vụ chưa đến hạn của nhóm",
                "tasks still to come of the group"
            ),
            env.t(
                "UBNDXP chuyển cho từng xã, phường",
                "UBNDXP now owed by each commune"
            ),
        ));
    }
    s.push('\n');
    s
}

/// "Đã cập nhật STP: thư điện tử: (trống) → vp@stp.langson.gov.vn", one line per field.
fn described_change(row: &AgencyRow, fields: &[crate::model::FieldChange], env: &Env) -> String {
    let mut out = format!(
        "{} {} ({})\n",
        env.t("Đã cập nhật", "Updated"),
        row.code,
        line(&row.name)
    );
    for f in fields {
        let label = match (f.field.as_str(), env.lang) {
            ("email", Lang::Vi) => "thư điện tử",
            ("addressee", Lang::Vi) => "kính gửi",
            ("name", Lang::Vi) => "tên",
            (other, _) => other,
        };
        let shown = |v: &Option<String>| {
            v.as_deref()
                .map(|v| line(v).into_owned())
                .unwrap_or_else(|| env.t("(trống)", "(empty)").into())
        };
        out.push_str(&format!(
            "  {label}: {} → {}\n",
            shown(&f.old),
            shown(&f.new)
        ));
    }
    out
}

fn kind_label(kind: AgencyKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (AgencyKind::Department, Lang::Vi) => "sở, ban, ngành",
        (AgencyKind::Commune, Lang::Vi) => "xã, phường",
        (AgencyKind::Front, Lang::Vi) => "MTTQ, đoàn thể",
        (AgencyKind::Partner, Lang::Vi) => "đơn vị phối hợp",
        (AgencyKind::Central, Lang::Vi) => "cơ quan Trung ương",
        (k, Lang::En) => k.as_str(),
    }
}

impl Tabular for AgencyRow {
    const KIND: &'static str = "agency_list";
    const CSV_HEADERS: &'static [&'static str] =
        &["code", "name", "kind", "added_on", "email", "addressee"];
    const COLUMNS: &'static [Column] = &[
        Column::text("Mã", "Code"),
        Column::text("Cơ quan", "Agency").shrinks(),
        Column::text("Loại", "Kind"),
        Column::text("Ngày thêm", "Added"),
        Column::text("Thư điện tử", "Mail").shrinks(),
        Column::text("Kính gửi", "Addressee").shrinks(),
    ];

    fn json(&self, _: &Env) -> impl serde::Serialize {
        self
    }

    fn csv_row(&self, _: &Env) -> Vec<String> {
        vec![
            self.code.clone(),
            self.name.clone(),
            self.kind.as_str().into(),
            self.added_on.map(|d| d.to_string()).unwrap_or_default(),
            self.emails.join(", "),
            self.addressee.clone(),
        ]
    }

    fn table_row(&self, env: &Env) -> Vec<String> {
        vec![
            self.code.clone(),
            self.name.clone(),
            kind_label(self.kind, env.lang).into(),
            self.added_on
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_else(|| env.t("(kế hoạch)", "(plan)").into()),
            self.emails.join(", "),
            self.addressee.clone(),
        ]
    }
}

fn list(format: Format, env: &Env, style: Style) -> Result<String> {
    render(&env.open_to_read()?.agency_rows()?, format, env, style)
}

/// The column names an agency list may use: English, or the Vietnamese a secretary types.
fn column_name(header: &str) -> String {
    match fold(header).as_str() {
        "ma" | "ma co quan" => "code".into(),
        "ten" | "ten co quan" => "name".into(),
        "loai" | "loai co quan" => "kind".into(),
        "thu dien tu" | "email" | "e-mail" | "mail" => "email".into(),
        "kinh gui" | "nguoi nhan" | "addressee" => "addressee".into(),
        _ => header.to_string(),
    }
}

/// A table read from a file: headers, rows with their row numbers, and for a CSV file how it
/// was decoded.
struct Rows {
    headers: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
    csv: Option<Decoded>,
}

fn read_rows(file: &Path, env: &Env) -> Result<Rows> {
    if crate::office::spreadsheet::is_workbook(file) {
        return read_workbook(file, env);
    }
    let bytes = read_import_file(file)?;
    let decoded = decode_csv(file, &bytes)?;
    let sheet = crate::csv_read::Sheet::read(&decoded).map_err(|reason| {
        say_how_read(Some(&decoded), env);
        bad_rows(file, &[RowError { row: 1, reason }])
    })?;
    let mut rows = Vec::with_capacity(sheet.rows.len());
    let mut errors = Vec::new();
    for (row, r) in sheet.rows {
        match r {
            Ok(r) => rows.push((row, r)),
            Err(reason) => errors.push(RowError { row, reason }),
        }
    }
    if !errors.is_empty() {
        say_how_read(Some(&decoded), env);
        return Err(bad_rows(file, &errors));
    }
    Ok(Rows {
        headers: sheet.headers,
        rows,
        csv: Some(decoded),
    })
}

/// The first sheet of a workbook, opened within the limits of `office::spreadsheet`.
fn read_workbook(file: &Path, env: &Env) -> Result<Rows> {
    use crate::office::cells;
    let shown = file.display().to_string();
    let book = crate::office::spreadsheet::open(file, &shown, env.lang)?;
    let Some((_, grid)) = book.sheets.first() else {
        return Err(Error::invalid(format!(
            "{shown}: {}",
            env.t("bảng tính không có trang nào", "the workbook has no sheet")
        )));
    };
    let first = grid.first_row().unwrap_or(0);
    let last = grid.last_row().unwrap_or(0);
    let text = |row: u32, col: u32| cells::text(grid.value(row, col)).unwrap_or_default();
    let width = (0..crate::office::spreadsheet::MAX_COLUMNS)
        .rev()
        .find(|c| (first..=last).any(|r| !text(r, *c).is_empty()))
        .map_or(0, |c| c + 1);
    let headers = (0..width).map(|c| text(first, c).to_lowercase()).collect();
    let rows = (first + 1..=last)
        // Row numbers as the spreadsheet shows them.
        .map(|r| (r as usize + 1, (0..width).map(|c| text(r, c)).collect()))
        .filter(|(_, r): &(usize, Vec<String>)| r.iter().any(|c| !c.is_empty()))
        .collect();
    Ok(Rows {
        headers,
        rows,
        csv: None,
    })
}

fn import(file: &Path, dry_run: bool, env: &Env) -> Result<String> {
    let Rows { headers, rows, csv } = read_rows(file, env)?;
    let headers: Vec<String> = headers.iter().map(|h| column_name(h)).collect();
    let header_error = |reason: String| {
        say_how_read(csv.as_ref(), env);
        bad_rows(file, &[RowError { row: 1, reason }])
    };
    crate::csv_read::check_columns(&headers, &["code", "name", "kind", "email", "addressee"])
        .map_err(header_error)?;
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(code_col), Some(name_col), Some(kind_col)) = (col("code"), col("name"), col("kind"))
    else {
        return Err(header_error(
            "the header needs the columns code, name and kind".into(),
        ));
    };
    let (email_col, addressee_col) = (col("email"), col("addressee"));

    let mut store = env.open()?;
    let rows_now = store.agency_rows()?;
    let existing: Vec<Agency> = rows_now
        .iter()
        .map(|a| Agency {
            code: a.code.clone(),
            name: a.name.clone(),
            kind: a.kind,
        })
        .collect();
    let mut errors = Vec::new();
    let mut new: Vec<NewAgency> = Vec::new();
    let mut changes: Vec<AgencyChange> = Vec::new();
    let mut unchanged = 0;
    for (row, r) in rows {
        let get = |i: Option<usize>| i.and_then(|i| r.get(i)).map(String::as_str).unwrap_or("");
        let mut bad = |reason: String| errors.push(RowError { row, reason });
        let code = check_code(get(Some(code_col))).map_err(&mut bad).ok();
        let name = check_name(get(Some(name_col))).map_err(&mut bad).ok();
        let kind = parse_kind(get(Some(kind_col))).map_err(&mut bad).ok();
        let emails = check_emails(get(email_col)).map_err(&mut bad).ok();
        let addressee = check_addressee(get(addressee_col)).map_err(&mut bad).ok();
        let (Some(code), Some(name), Some(kind), Some(emails), Some(addressee)) =
            (code, name, kind, emails, addressee)
        else {
            continue;
        };
        let agency = Agency { code, name, kind };
        let contact = Contact { emails, addressee };
        if let Some(now) = rows_now
            .iter()
            .find(|a| a.code == agency.code)
            .filter(|_| existing.contains(&agency))
        {
            // Registered as it is: the row may give where to reach it. An empty cell leaves
            // what is there (`agency set` clears).
            let change = AgencyChange {
                code: agency.code.clone(),
                name: None,
                emails: Some(contact.emails).filter(|e| !e.is_empty() && *e != now.emails),
                addressee: Some(contact.addressee).filter(|a| !a.is_empty() && *a != now.addressee),
                row: Some(row),
            };
            if change.emails.is_none() && change.addressee.is_none() {
                unchanged += 1;
            } else {
                changes.push(change);
            }
            continue;
        }
        if let Some(first) = new.iter().find(|n| {
            fold(&n.agency.code) == fold(&agency.code) || fold(&n.agency.name) == fold(&agency.name)
        }) {
            errors.push(RowError {
                row,
                reason: format!(
                    "{} {:?} is also on row {}: rows {} and {row} name the same agency; keep one",
                    if fold(&first.agency.code) == fold(&agency.code) {
                        "code"
                    } else {
                        "name"
                    },
                    line(&agency.code),
                    first.row.unwrap_or(0),
                    first.row.unwrap_or(0),
                ),
            });
            continue;
        }
        if let Err(reason) = crate::agency::check_distinct(&agency, &existing) {
            errors.push(RowError { row, reason });
            continue;
        }
        new.push(NewAgency {
            agency,
            contact,
            row: Some(row),
        });
    }
    if !errors.is_empty() {
        say_how_read(csv.as_ref(), env);
        return Err(bad_rows(file, &errors));
    }
    let counts = |added: usize, changed: usize| {
        let mut said = format!(
            "{added} {}, {unchanged} {}",
            env.t("cơ quan mới", "new agencies"),
            env.t("đã có", "already registered"),
        );
        if changed > 0 {
            said.push_str(&format!(
                ", {changed} {}",
                env.t(
                    "cập nhật thư điện tử hoặc kính gửi",
                    "with new mail addresses or addressee"
                )
            ));
        }
        said
    };
    if dry_run {
        say_how_read(csv.as_ref(), env);
        return Ok(format!(
            "{}: {}\n",
            env.t("Kiểm tra xong, không ghi gì", "Checked, nothing written"),
            counts(new.len(), changes.len())
        ));
    }
    let source = file
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (added, changed) = if new.is_empty() && changes.is_empty() {
        Default::default()
    } else {
        let duties = if new.is_empty() {
            Vec::new()
        } else {
            duties()?
        };
        store.change_agencies(&new, &changes, env.today, &duties, Some(&source))?
    };
    say_how_read(csv.as_ref(), env);
    let mut out: String = added.iter().map(|a| describe(a, env)).collect();
    for (row, fields) in &changed {
        out.push_str(&described_change(row, fields, env));
    }
    out.push_str(&format!(
        "{}: {}\n",
        env.t("Đã nhập", "Imported"),
        counts(added.len(), changed.len())
    ));
    Ok(out)
}
