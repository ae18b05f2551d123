//! `cchc remind`: the letters urging agencies (công văn đôn đốc), one per agency with something
//! to urge, written as files, or mailed with the agency's sheet (`--mail`), each recorded in
//! the change log; `--dry-run` says who would get what. A second letter to the same agency on
//! the same day needs `--again`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{Env, LetterFormat, RemindArgs, write_bytes, write_output_bytes};
use crate::error::{Error, Result};
use crate::model::{Reminder, ReportPeriod};
use crate::remind::mail::Sender;
use crate::remind::prepare::{Prepared, SameDay, Settings};
use crate::remind::{Letter, Scope};
use crate::report::{date, instant};
use crate::transfer::Resolver;
use crate::untrusted::line;

/// What became of the letters, for the summary.
#[derive(Default)]
struct Outcome {
    /// Letters made (and written), with where.
    made: Vec<(String, String)>,
    /// Letters mailed, with to whom.
    sent: Vec<(String, String)>,
    /// Letters not sent, each why.
    unsent: Vec<String>,
    /// Agencies urged today already, with the earlier reminder.
    skipped: Vec<(String, Reminder)>,
}

pub fn run(args: &RemindArgs, env: &Env) -> Result<i32> {
    let period = args
        .period
        .unwrap_or_else(|| ReportPeriod::current(env.today));
    let scope = Scope {
        period,
        today: env.today,
        due_within: args.due_within.unwrap_or(env.remind.due_within),
        respond_within: env.remind.respond_within,
    };
    let settings = Settings {
        report: &env.report,
        remind: &env.remind,
        lang: env.lang,
        today: env.today,
    };
    let mut store = if args.dry_run {
        env.open_to_read()?
    } else {
        env.open()?
    };
    if !args.dry_run
        && let Some(why) = store.permissions()?.remind_refusal()
    {
        return Err(Error::Denied(why));
    }
    // The server's settings are checked before anything is made or sent.
    let sender = if args.mail {
        Some(Sender::new(&env.mail).map_err(Error::invalid)?)
    } else {
        None
    };
    let prepared = Prepared::read(&store, &settings)?;
    let codes = match &args.agency {
        Some(wanted) => {
            let areas = store.areas()?;
            let code = Resolver::new(&areas, &prepared.sheets.agencies)
                .agency(wanted)
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "{} {:?}; {}",
                        env.t("không có cơ quan", "unknown agency"),
                        line(wanted),
                        env.t(
                            "`cchc agencies` liệt kê các cơ quan",
                            "`cchc agencies` lists them"
                        )
                    ))
                })?;
            vec![code]
        }
        None => prepared.agencies.iter().map(|a| a.code.clone()).collect(),
    };
    let letters: Vec<Letter> = codes
        .iter()
        .filter_map(|c| prepared.letter(c, scope))
        .collect();
    let quiet = codes.len() - letters.len();
    let mut out = String::new();
    if letters.is_empty() {
        say_nothing_to_urge(&mut out, &codes, quiet, scope, env);
        super::print(&out)?;
        return Ok(0);
    }
    if args.dry_run {
        dry_run(&mut out, &prepared, &letters, args, scope, env);
        say_nothing_to_urge(&mut out, &codes, quiet, scope, env);
        super::print(&out)?;
        return Ok(0);
    }
    // One Markdown letter and no file: the letter is the output, the summary goes to stderr.
    let to_stdout = args.format == LetterFormat::Md
        && args.output.is_none()
        && args.output_dir.is_none()
        && args.agency.is_some()
        && !args.mail;
    let mut done = Outcome::default();
    for l in &letters {
        let earlier = match prepared.same_day(l, args.mail) {
            SameDay::Done(r) if !args.again => {
                done.skipped.push((l.agency.clone(), *r));
                continue;
            }
            SameDay::MailEarlier(id) if !args.again => Some(id),
            _ => None,
        };
        let path = output_path(args, l, env);
        if let Some(path) = &path {
            let bytes = match args.format {
                LetterFormat::Docx => prepared.docx(l, &settings)?,
                LetterFormat::Md => crate::untrusted::block(&prepared.markdown(l, &settings))
                    .into_owned()
                    .into_bytes(),
            };
            write_bytes(path, &bytes)?;
        }
        match &sender {
            Some(sender) => match prepared.mail(&mut store, sender, l, earlier, &settings) {
                Ok(r) => {
                    let to = r.mail.map(|m| m.to.join(", ")).unwrap_or_default();
                    done.sent.push((l.agency.clone(), to));
                }
                Err(why) => done.unsent.push(why.describe(&l.agency, env.lang)),
            },
            None => {
                if to_stdout {
                    let md = prepared.markdown(l, &settings);
                    write_output_bytes(None, crate::untrusted::block(&md).as_bytes())?;
                }
                let r = store.record_reminder(&Prepared::new_reminder(l), None)?;
                let shown = match &path {
                    Some(p) => p.display().to_string(),
                    None => env.t("đầu ra chuẩn", "standard output").to_string(),
                };
                done.made
                    .push((l.agency.clone(), format!("#{}, {shown}", r.id)));
            }
        }
    }
    summary(&mut out, &done, env);
    say_nothing_to_urge(&mut out, &codes, quiet, scope, env);
    if to_stdout {
        eprint!("{}", crate::untrusted::block(&out));
    } else {
        super::print(&out)?;
    }
    for why in &done.unsent {
        eprintln!("cchc: {}", line(why));
    }
    Ok(if done.unsent.is_empty() { 0 } else { 1 })
}

/// Where a letter is written: `--output`, else a file in `--output-dir` (with `--all` the
/// current folder by default, or without `--mail` always); `None` for no file.
fn output_path(args: &RemindArgs, l: &Letter, env: &Env) -> Option<PathBuf> {
    if let Some(p) = &args.output {
        return Some(p.clone());
    }
    let extension = match args.format {
        LetterFormat::Docx => "docx",
        LetterFormat::Md => "md",
    };
    let name = crate::remind::file_name(&l.agency, env.today, extension);
    match &args.output_dir {
        Some(dir) => Some(dir.join(name)),
        None if args.mail => None,
        // One Markdown letter goes to standard output.
        None if args.format == LetterFormat::Md && args.agency.is_some() => None,
        None => Some(Path::new(".").join(name)),
    }
}

/// "3 quá hạn, 2 sắp đến hạn".
fn counts(l: &Letter, env: &Env) -> String {
    let mut parts = Vec::new();
    if !l.overdue.is_empty() {
        parts.push(format!(
            "{} {}",
            l.overdue.len(),
            env.t("quá hạn", "overdue")
        ));
    }
    if !l.due_soon.is_empty() {
        parts.push(format!(
            "{} {}",
            l.due_soon.len(),
            env.t("sắp đến hạn", "due soon")
        ));
    }
    parts.join(", ")
}

fn dry_run(
    out: &mut String,
    prepared: &Prepared,
    letters: &[Letter],
    args: &RemindArgs,
    scope: Scope,
    env: &Env,
) {
    let _ = writeln!(
        out,
        "{} {} {} ({} {}, {} {}, {} {} {}):",
        env.t("Sẽ lập", "Would make"),
        letters.len(),
        env.t("công văn đôn đốc", "letters urging agencies"),
        env.t("kỳ", "period"),
        scope.period.label(env.lang),
        env.t("tính đến", "as of"),
        date(scope.today),
        env.t("đến hạn trong", "due within"),
        scope.due_within,
        env.t("ngày", "days"),
    );
    for l in letters {
        let to = if !args.mail {
            String::new()
        } else if l.emails.is_empty() {
            format!(" → {}", env.t("chưa có thư điện tử", "no mail address"))
        } else {
            format!(" → {}", l.emails.join(", "))
        };
        let mut files = vec![crate::remind::file_name(&l.agency, env.today, "docx")];
        if args.mail {
            files.push(crate::office::sheet::file_name(&l.agency, l.period));
        }
        let _ = write!(
            out,
            "  {} {} ({}){to}: {}; {} {}",
            l.agency,
            line(&l.agency_name),
            line(&l.addressed_to),
            counts(l, env),
            env.t("kèm", "with"),
            files.join(", ")
        );
        if let SameDay::Done(r) = prepared.same_day(l, args.mail) {
            let _ = write!(out, " — {}", earlier(&r, args.again, env));
        }
        out.push('\n');
    }
}

/// "đã đôn đốc hôm nay (#4, 09:12): cần --again".
fn earlier(r: &Reminder, again: bool, env: &Env) -> String {
    let what = if r.mail.is_some() {
        env.t("đã gửi thư hôm nay", "mailed today")
    } else {
        env.t("đã lập công văn hôm nay", "a letter was made today")
    };
    let then = if again {
        env.t("--again: làm lại", "--again: again")
    } else {
        env.t("bỏ qua, trừ khi có --again", "skipped unless --again")
    };
    format!("{what} (#{}, {}): {then}", r.id, instant(&r.made_at))
}

fn summary(out: &mut String, done: &Outcome, env: &Env) {
    let list = |items: &[(String, String)]| {
        items
            .iter()
            .map(|(code, what)| format!("{code} ({})", line(what)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !done.made.is_empty() {
        let _ = writeln!(
            out,
            "{} {} {}: {}",
            env.t("Đã lập", "Made"),
            done.made.len(),
            env.t("công văn đôn đốc", "letters urging agencies"),
            list(&done.made)
        );
    }
    if !done.sent.is_empty() {
        let _ = writeln!(
            out,
            "{} {} {}: {}",
            env.t("Đã gửi", "Mailed"),
            done.sent.len(),
            env.t("thư đôn đốc", "letters"),
            list(&done.sent)
        );
    }
    if !done.unsent.is_empty() {
        let _ = writeln!(
            out,
            "{} {} {}",
            env.t("Không gửi được", "Not sent:"),
            done.unsent.len(),
            env.t("thư (lý do bên dưới)", "letters (why below)")
        );
    }
    for (code, r) in &done.skipped {
        let _ = writeln!(out, "{code}: {}", earlier(r, false, env));
    }
}

/// "Không có gì cần đôn đốc: 76 cơ quan." (or, for one agency, why it gets no letter).
fn say_nothing_to_urge(out: &mut String, codes: &[String], quiet: usize, scope: Scope, env: &Env) {
    if quiet == 0 {
        return;
    }
    if let [code] = codes {
        let _ = writeln!(
            out,
            "{code}: {} {} {}",
            env.t(
                "không có nhiệm vụ quá hạn hay đến hạn trong",
                "nothing overdue or due within"
            ),
            scope.due_within,
            env.t("ngày tới: không lập công văn", "days: no letter made"),
        );
        return;
    }
    let _ = writeln!(
        out,
        "{}: {quiet} {}",
        env.t("Không có gì cần đôn đốc", "Nothing to urge"),
        env.t("cơ quan", "agencies"),
    );
}

/// `cchc member remind-right [RULE]`: who may urge agencies, said or set.
pub fn remind_right(rule: Option<&str>, env: &Env) -> Result<String> {
    use crate::model::RemindRule;
    let Some(rule) = rule else {
        let store = env.open_to_read()?;
        return Ok(format!(
            "{}: {}\n",
            env.t("Được đôn đốc", "May urge agencies"),
            store.remind_rule()?.describe(env.lang)
        ));
    };
    let rule = match crate::text::fold(rule).trim() {
        "secretary" | "thu ky" => RemindRule::Secretary,
        "member" | "members" | "thanh vien" => RemindRule::Member,
        _ => RemindRule::Agency(rule.trim().to_string()),
    };
    let mut store = env.open()?;
    let changed = store.set_remind_rule(&rule)?;
    Ok(format!(
        "{}: {}{}\n",
        env.t("Được đôn đốc", "May urge agencies"),
        rule.describe(env.lang),
        if changed {
            ""
        } else {
            env.t(" (không đổi)", " (unchanged)")
        }
    ))
}
