//! The database's own account of its schema, for the real-database properties: `pg_dump -s`,
//! MariaDB's `SHOW CREATE TABLE`, SQLite's `sqlite_master`, made comparable. A column added by
//! `ALTER TABLE` comes last where a table created whole has it in the models' order, and MariaDB
//! lists keys in creation order: the items of each `CREATE TABLE` are sorted, as are the
//! statements. Nothing else is forgiven (types, defaults, constraints, comments, enum label
//! order, sequences all compare as the server prints them).

use std::process::Command;

/// PostgreSQL: `pg_dump -s` without the bookkeeping table, owners, privileges and comments.
pub fn postgres(url: &str) -> Vec<String> {
    let output = Command::new("pg_dump")
        .args([
            "-s",
            "--no-owner",
            "--no-privileges",
            "-T",
            "_sqlx_migrations",
            "-d",
            url,
        ])
        .output()
        .expect("pg_dump runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("utf-8");
    let kept: String = text
        .lines()
        .filter(|l| {
            // `\restrict` lines carry a random key per dump (pg_dump 15.14 and later).
            !l.starts_with("--")
                && !l.starts_with('\\')
                && !l.starts_with("SET ")
                && !l.starts_with("SELECT pg_catalog.set_config")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    statements(&kept)
}

/// MariaDB: `SHOW CREATE TABLE` of every table but the bookkeeping, without the
/// `AUTO_INCREMENT=` counter (rows move it).
pub fn mariadb(db: &autogen_testkit::MariaDb) -> Vec<String> {
    let tables = db
        .try_query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = database() \
             AND table_name NOT LIKE '\\_sqlx%' ORDER BY 1",
        )
        .expect("tables");
    let mut out = Vec::new();
    for row in tables {
        let name = row[0].clone().unwrap_or_default();
        let create = db
            .try_query(&format!("SHOW CREATE TABLE `{name}`"))
            .expect("SHOW CREATE TABLE");
        let text = create[0][1].clone().unwrap_or_default();
        let text: String = text
            .split(' ')
            .filter(|word| !word.starts_with("AUTO_INCREMENT="))
            .collect::<Vec<_>>()
            .join(" ");
        out.push(normalise(&text));
    }
    out.sort();
    out
}

/// SQLite: the stored SQL of every table and index but the bookkeeping.
pub fn sqlite(db: &autogen_testkit::SqliteDb) -> Vec<String> {
    let rows = db
        .try_query(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE '\\_sqlx%' \
             ESCAPE '\\' ORDER BY 1",
        )
        .expect("sqlite_master");
    let mut out: Vec<String> = rows
        .into_iter()
        .map(|r| normalise(&r[0].clone().unwrap_or_default()))
        .collect();
    out.sort();
    out
}

/// The statements of a script (split at `;` outside quotes), each normalised, sorted.
fn statements(script: &str) -> Vec<String> {
    let mut out: Vec<String> = split_top(script, ';')
        .into_iter()
        .map(|s| normalise(&s))
        .filter(|s| !s.is_empty())
        .collect();
    out.sort();
    out
}

/// White space collapsed; in a `CREATE TABLE`, the items between its outer parentheses sorted.
fn normalise(statement: &str) -> String {
    let flat = statement.split_whitespace().collect::<Vec<_>>().join(" ");
    if !flat.to_uppercase().starts_with("CREATE TABLE") {
        return flat;
    }
    let Some(open) = flat.find('(') else {
        return flat;
    };
    let Some(close) = matching(&flat, open) else {
        return flat;
    };
    let mut items: Vec<String> = split_top(&flat[open + 1..close], ',')
        .into_iter()
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty())
        .collect();
    items.sort();
    format!(
        "{}({}){}",
        &flat[..open],
        items.join(", "),
        &flat[close + 1..]
    )
}

/// The index of the parenthesis closing the one at `open`.
fn matching(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    for (i, c) in text.char_indices().skip_while(|(i, _)| *i < open) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            (None, _) => {}
        }
    }
    None
}

/// `text` split at `sep` outside quotes and parentheses.
fn split_top(text: &str, sep: char) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0i32;
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, c) if c == sep && depth == 0 => {
                out.push(String::new());
                continue;
            }
            (None, _) => {}
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

/// What differs between two dumps, for a failure message; `None` when equal.
pub fn difference(got: &[String], want: &[String]) -> Option<String> {
    if got == want {
        return None;
    }
    let only = |a: &[String], b: &[String]| {
        a.iter()
            .filter(|s| !b.contains(s))
            .map(|s| format!("    {s}\n"))
            .collect::<String>()
    };
    Some(format!(
        "  only in the database:\n{}  only in the target:\n{}",
        only(got, want),
        only(want, got)
    ))
}

#[test]
fn create_table_items_are_compared_in_any_order() {
    assert_eq!(
        normalise("CREATE TABLE t (\n  a int,\n  b numeric(10, 2),\n  CHECK (a > 0)\n)"),
        normalise("CREATE TABLE t (b numeric(10, 2), CHECK (a > 0), a int)")
    );
    assert_ne!(
        normalise("CREATE TABLE t (a int, b text)"),
        normalise("CREATE TABLE t (a int, b varchar(5))")
    );
    assert_eq!(statements("SELECT 1;\nSELECT ';';\n").len(), 2);
}
