//! `upgrade --sql`: the script an upgrade would run, for a DBA to read or run by hand.

use std::fmt::Write;

use autogen_schema::Dialect;

use crate::{
    History, MIGRATIONS_TABLE, MigrateError, MigrationFolder, OutOfOrder, UpgradeTarget,
    plan_upgrade,
};

/// The SQL that `upgrade` to `target` runs on a database whose state `history` describes (a
/// history made from no rows gives every migration), like `alembic upgrade --sql`: each migration
/// framed by a comment with its version, description and file, inside `BEGIN`/`COMMIT` unless it
/// is `-- no-transaction`, followed by the `_sqlx_migrations` row sqlx would record, so that the
/// script run by hand leaves the database where `upgrade` would have, checksums included.
pub fn upgrade_script(
    folder: &MigrationFolder,
    history: &History,
    target: UpgradeTarget,
    out_of_order: OutOfOrder,
    dialect: Dialect,
) -> Result<String, MigrateError> {
    // MySQL commits each DDL statement on its own: no BEGIN/COMMIT that would pretend otherwise;
    // its string literals also read backslashes as escapes.
    let (create_table, transactional, checksum): (&str, bool, fn(&str) -> String) = match dialect {
        Dialect::Postgres => (CREATE_TABLE, true, |hex| format!("decode('{hex}', 'hex')")),
        Dialect::Sqlite => (CREATE_TABLE_SQLITE, true, |hex| format!("X'{hex}'")),
        Dialect::MySql => (CREATE_TABLE_MYSQL, false, |hex| format!("X'{hex}'")),
    };
    let backslash_escapes = !transactional;
    let plan = plan_upgrade(folder, history, target, out_of_order)?;
    let mut out = String::new();
    let count = match plan.len() {
        1 => "1 migration".to_owned(),
        n => format!("{n} migrations"),
    };
    writeln!(out, "-- autogen upgrade {target} --sql: {count}").expect("writing to a String");
    if plan.is_empty() {
        out.push_str("-- nothing to apply\n");
        return Ok(out);
    }
    out.push('\n');
    out.push_str(create_table);
    for migration in plan {
        let in_transaction = transactional && !migration.up_no_transaction;
        let file = migration
            .up
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push('\n');
        writeln!(
            out,
            "-- {} {} ({})",
            migration.version,
            comment_safe(&migration.description),
            comment_safe(&file)
        )
        .expect("writing to a String");
        if in_transaction {
            out.push_str("BEGIN;\n");
        } else if transactional {
            out.push_str("-- runs outside a transaction (-- no-transaction)\n");
        } else {
            out.push_str("-- MySQL commits each statement on its own\n");
        }
        out.push_str(&migration.up_sql);
        if !migration.up_sql.ends_with('\n') {
            out.push('\n');
        }
        writeln!(
            out,
            "INSERT INTO {MIGRATIONS_TABLE} (version, description, success, checksum, execution_time)\n\
             VALUES ({}, {}, TRUE, {}, -1);",
            migration.version,
            if backslash_escapes {
                string_literal(&migration.description.replace('\\', "\\\\"))
            } else {
                string_literal(&migration.description)
            },
            checksum(&hex(&migration.checksum))
        )
        .expect("writing to a String");
        if in_transaction {
            out.push_str("COMMIT;\n");
        }
    }
    Ok(out)
}

/// sqlx's own definition of the table (sqlx-postgres `ensure_migrations_table`).
const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
    success BOOLEAN NOT NULL,
    checksum BYTEA NOT NULL,
    execution_time BIGINT NOT NULL
);
";

/// sqlx's own definition of the table (sqlx-sqlite `ensure_migrations_table`).
const CREATE_TABLE_SQLITE: &str = "CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN NOT NULL,
    checksum BLOB NOT NULL,
    execution_time BIGINT NOT NULL
);
";

/// sqlx's own definition of the table (sqlx-mysql `ensure_migrations_table`).
const CREATE_TABLE_MYSQL: &str = "CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN NOT NULL,
    checksum BLOB NOT NULL,
    execution_time BIGINT NOT NULL
);
";

/// A line break in a comment would turn the rest of the text into SQL.
fn comment_safe(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn string_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        write!(out, "{b:02x}").expect("writing to a String");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_comments_cannot_escape() {
        assert_eq!(string_literal("it's"), "'it''s'");
        assert_eq!(comment_safe("a\nDROP TABLE x;"), "a DROP TABLE x;");
        assert_eq!(hex(&[0, 15, 255]), "000fff");
    }
}
