//! The store's statement text, written for SQLite, as PostgreSQL reads it: `?1` and `?`
//! placeholders become `$1`, and SQLite's index hints (`INDEXED BY name`, `NOT INDEXED`, and
//! a unary `+` before a column, which keeps SQLite off that column's index), which
//! PostgreSQL's planner has no use for, are dropped. Quotes and comments are left alone.

pub fn to_postgres(sql: &str) -> String {
    placeholders(&without_index_hints(sql))
}

fn without_index_hints(sql: &str) -> String {
    let words: Vec<&str> = sql.split(' ').collect();
    if !sql.contains("INDEXED") {
        return sql.to_string();
    }
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        match (words[i], words.get(i + 1).map(|w| w.trim_end())) {
            ("NOT", Some("INDEXED")) => i += 2,
            ("INDEXED", Some("BY")) => i += 3,
            _ => {
                out.push(words[i]);
                i += 1;
            }
        }
    }
    out.join(" ")
}

fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut next_anonymous = 1usize;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                // A doubled quote inside is an escaped quote: the loop sees it as close+open.
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '+' if out.ends_with([' ', '('])
                && chars
                    .peek()
                    .is_some_and(|d| d.is_ascii_alphabetic() || *d == '_') => {}
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                out.push('$');
                if digits.is_empty() {
                    out.push_str(&next_anonymous.to_string());
                    next_anonymous += 1;
                } else {
                    out.push_str(&digits);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_postgres;

    #[test]
    fn numbered_and_anonymous_placeholders_become_dollars() {
        assert_eq!(
            to_postgres("SELECT a FROM t WHERE id = ?1 AND v = ?12"),
            "SELECT a FROM t WHERE id = $1 AND v = $12"
        );
        assert_eq!(to_postgres("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
    }

    #[test]
    fn index_hints_are_dropped() {
        assert_eq!(
            to_postgres("SELECT id FROM tasks NOT INDEXED WHERE id = ?1"),
            "SELECT id FROM tasks WHERE id = $1"
        );
        assert_eq!(
            to_postgres("SELECT count(*) FROM tasks INDEXED BY tasks_open_by_due\n WHERE due < ?1"),
            "SELECT count(*) FROM tasks WHERE due < $1"
        );
    }

    #[test]
    fn a_unary_plus_before_a_column_is_dropped() {
        assert_eq!(
            to_postgres("status <> 'done' AND +due < ? AND (+x = 1) AND a + b = 2"),
            "status <> 'done' AND due < $1 AND (x = 1) AND a + b = 2"
        );
    }

    #[test]
    fn quotes_and_comments_are_left_alone() {
        assert_eq!(
            to_postgres("SELECT '?1', \"a?\" FROM t -- why?\nWHERE x = ?2"),
            "SELECT '?1', \"a?\" FROM t -- why?\nWHERE x = $2"
        );
        assert_eq!(
            to_postgres("SELECT 'it''s ?' , ?1"),
            "SELECT 'it''s ?' , $1"
        );
    }
}
