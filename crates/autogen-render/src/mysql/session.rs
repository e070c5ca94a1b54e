//! `AUTO_INCREMENT` added to (or taken from) a column of a table with rows.
//!
//! Adding it renumbers every row whose value is 0 (MySQL reads 0 as "the next value"), which
//! fails with "ALTER TABLE causes auto_increment resequencing, resulting in duplicate entry"
//! when that value is taken, and otherwise silently gives the row a new key that the rows
//! referencing it no longer match. `NO_AUTO_VALUE_ON_ZERO` keeps 0 as it is. MySQL 8 also
//! refuses to change a column another table's foreign key references ("Cannot change column
//! 'id': used in a foreign key constraint") unless `foreign_key_checks` is off; no value
//! changes, so every reference stays valid. Both are set for the one statement and restored
//! after it, in the session that runs the migration.

use autogen_diff::Change;

const SAVE: &str = "SET @autogen_sql_mode = @@SESSION.sql_mode, \
                    @autogen_foreign_key_checks = @@SESSION.foreign_key_checks";
const SET: &str = "SET SESSION sql_mode = CONCAT_WS(',', @@SESSION.sql_mode, 'NO_AUTO_VALUE_ON_ZERO'), \
                   SESSION foreign_key_checks = 0";
const RESTORE: &str = "SET SESSION sql_mode = @autogen_sql_mode, \
                       SESSION foreign_key_checks = @autogen_foreign_key_checks";

/// `sql` (the statements of `changes`), framed by the session settings when one of the
/// changes adds or removes `AUTO_INCREMENT` on an existing column.
pub(super) fn around_auto_increment<'c>(
    mut changes: impl Iterator<Item = &'c Change>,
    sql: Vec<String>,
) -> Vec<String> {
    let touches = changes.any(|change| {
        matches!(change, Change::AlterColumn { from, to, .. }
            if from.identity.is_some() != to.identity.is_some())
    });
    if !touches || sql.is_empty() {
        return sql;
    }
    let mut out = Vec::with_capacity(sql.len() + 3);
    out.push(SAVE.to_owned());
    out.push(SET.to_owned());
    out.extend(sql);
    out.push(RESTORE.to_owned());
    out
}
