//! The database as the normaliser (DESIGN §6) on MySQL/MariaDB, without leaving a trace.
//!
//! DDL commits on its own there, so nothing can be rolled back; but `CREATE TEMPORARY TABLE`
//! needs only the user's own database (`CREATE TEMPORARY TABLES`, part of `ALL`), commits
//! nothing, is seen by no other session and goes when the session ends, also on `kill -9` of
//! the client. Each desired table becomes a temporary table with a positional name
//! (`autogen_normalise_<n>`), the server's spelling of its types, defaults, generated columns,
//! checks and keys is read back (MariaDB: `SHOW CREATE TABLE` and `SHOW INDEX`; MySQL 8 also
//! `SHOW FULL COLUMNS`; MariaDB 10.11 lists temporary tables in no `information_schema` view),
//! and turned into the same rows the introspector reads from `information_schema`, through the
//! same code ([`super::build`]).
//!
//! Left out of the temporary tables, and added from the models as the server would have them:
//! foreign keys (a temporary table cannot have any; no expression in them), with the index the
//! server creates for one that no index serves; FULLTEXT and SPATIAL indexes (InnoDB refuses
//! them on a temporary table; no expression in them); comments (plain strings: not sent, so no
//! model text beyond the expressions reaches the server, and taken as the server reads the
//! quoted literal a migration sends, backslash escapes included).

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlx's, dotenvy's and std's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use std::collections::BTreeMap;

use autogen_schema::ddl::mysql::{create_index, create_table, quote_mysql_ident};
use autogen_schema::{
    ColumnType, Dialect, ForeignKey, Index, IndexTarget, QualifiedName, ReferentialAction, Schema,
    Table,
};
use sqlx::{Column as _, Connection, Executor, MySqlConnection, Row as _};

use super::build::{self, Row};
use super::show_create::{self, Shown};
use super::{Flavor, connect_mysql, guard};
use crate::{IntrospectError, IntrospectOptions, Introspection};

/// `schema` (any set of tables, up to a whole schema) as the server at `url` spells it, read
/// back from temporary tables on one connection; nothing outlives the connection.
pub async fn normalise_mysql(
    url: &str,
    schema: &Schema,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    let _ = options; // one namespace: nothing to choose
    let plan = plan(schema)?;
    let mut conn = connect_mysql(url).await?;
    let outcome = run(&mut conn, &plan).await;
    if !plan.is_empty() {
        // The session's end drops them anyway; this frees them before the connection closes.
        let names = plan
            .iter()
            .map(|t| quote_mysql_ident(&t.temp))
            .collect::<Vec<_>>()
            .join(", ");
        let drop = format!("DROP TEMPORARY TABLE IF EXISTS {names}");
        let _ = conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(drop))).await;
    }
    let _ = conn.close().await;
    outcome
}

/// One desired table and what is sent for it.
struct TempTable<'s> {
    original: QualifiedName,
    table: &'s Table,
    /// Its positional name on the server: never a user's table name, so it shadows none.
    temp: String,
    create: String,
    /// `CREATE INDEX` statements, each with the index name (for errors).
    indexes: Vec<(String, String)>,
    /// FULLTEXT and SPATIAL indexes, kept out of the temporary table.
    aside: Vec<&'s Index>,
}

/// Checks every model text that goes into a statement unquoted, then writes the statements.
fn plan(schema: &Schema) -> Result<Vec<TempTable<'_>>, IntrospectError> {
    let mut temp_schema = Schema::new(Dialect::MySql);
    for (name, namespace) in &schema.schemas {
        temp_schema.namespace_mut(name).enums = namespace.enums.clone();
    }
    let mut out = Vec::new();
    for (n, (original, table)) in schema.tables().enumerate() {
        guard_table(&original.name, table)?;
        let temp = format!("autogen_normalise_{}", n + 1);
        let mut copy = table.clone();
        copy.name = temp.clone();
        copy.comment = None;
        copy.foreign_keys.clear();
        // MySQL 8 names checks per database: a model's check of the same name as a live one
        // must not collide. Positional names, mapped back when read.
        copy.checks = table
            .checks
            .values()
            .enumerate()
            .map(|(k, check)| {
                let name = check_name(k);
                let mut check = check.clone();
                check.name = name.clone();
                (name, check)
            })
            .collect();
        for column in &mut copy.columns {
            column.comment = None;
        }
        let (aside, kept): (Vec<&Index>, Vec<&Index>) =
            table.indexes.values().partition(|i| set_aside(i));
        copy.indexes = kept
            .iter()
            .map(|i| (i.name.clone(), (*i).clone()))
            .collect();
        let name = QualifiedName::new(&original.schema, &temp);
        temp_schema
            .namespace_mut(&original.schema)
            .tables
            .insert(temp.clone(), copy);
        let copy = temp_schema.table(&name).expect("just inserted");
        let create = create_table(&temp_schema, &name, copy);
        let create = match create.strip_prefix("CREATE TABLE ") {
            Some(rest) => format!("CREATE TEMPORARY TABLE {rest}"),
            None => create,
        };
        let indexes = copy
            .indexes
            .values()
            .map(|i| (i.name.clone(), create_index(&temp_schema, &name, i)))
            .collect();
        out.push(TempTable {
            original,
            table,
            temp,
            create,
            indexes,
            aside,
        });
    }
    Ok(out)
}

/// The name the `k`th check of a table has on its temporary copy.
fn check_name(k: usize) -> String {
    format!("autogen_normalise_check_{}", k + 1)
}

fn set_aside(index: &Index) -> bool {
    matches!(index.method.as_str(), "fulltext" | "spatial")
}

/// Refuses model text that is more than one expression, naming where it is.
fn guard_table(table: &str, t: &Table) -> Result<(), IntrospectError> {
    let refuse = |object: String| {
        move |reason: String| IntrospectError::Expression {
            object,
            reason: format!("not a single SQL expression: {reason}"),
        }
    };
    for column in &t.columns {
        let at = format!("column `{table}`.`{}`", column.name);
        if let Some(default) = &column.default {
            guard::single_expression(default).map_err(refuse(format!("the default of {at}")))?;
        }
        if let Some(generated) = &column.generated {
            guard::single_expression(&generated.expression)
                .map_err(refuse(format!("the generation expression of {at}")))?;
        }
        if let ColumnType::Other { name } = &column.ty {
            guard::single_expression(name).map_err(refuse(format!("the type of {at}")))?;
        }
        if let Some(collation) = &column.collation {
            guard::collation_name(collation).map_err(refuse(format!("the collation of {at}")))?;
        }
    }
    for check in t.checks.values() {
        guard::single_expression(&check.expression)
            .map_err(refuse(format!("check `{}` of table `{table}`", check.name)))?;
    }
    for index in t.indexes.values() {
        for key in &index.keys {
            match &key.target {
                IndexTarget::Expression(expr) => guard::single_expression(expr).map_err(refuse(
                    format!("an expression of index `{}` on table `{table}`", index.name),
                ))?,
                IndexTarget::Column(_) => {}
            }
        }
    }
    Ok(())
}

/// `statements` counts round trips: 1, then 2 per 100 tables, then 1.
async fn run(
    conn: &mut MySqlConnection,
    plan: &[TempTable<'_>],
) -> Result<Introspection, IntrospectError> {
    let mut statements = 0;
    // Quoted identifiers in SHOW CREATE TABLE, whatever the server's default.
    let header = fetch_text(
        conn,
        "SET SESSION sql_quote_show_create = 1; \
         SELECT VERSION(), DATABASE(), @@collation_database; \
         SELECT CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLLATIONS \
         WHERE IS_DEFAULT = 'Yes'",
    )
    .await?;
    statements += 1;
    // A column printed with `CHARACTER SET cs` and no `COLLATE` has cs's default collation.
    let default_collations: BTreeMap<String, String> = header
        .iter()
        .skip(1)
        .filter_map(|r| Some((r.first()?.clone()?, r.get(1)?.clone()?)))
        .collect();
    let header = header.first().cloned().unwrap_or_default();
    let version = build::text(&header, 0)?.unwrap_or_default();
    let database = build::text(&header, 1)?.ok_or_else(|| IntrospectError::Catalog {
        object: "the connection".to_owned(),
        reason: "no database selected; name one in the url (mysql://host/database)".to_owned(),
    })?;
    let collation = build::text(&header, 2)?;
    let flavor = if version.to_ascii_lowercase().contains("mariadb") {
        Flavor::MariaDb
    } else {
        Flavor::MySql
    };

    for chunk in plan.chunks(TABLES_PER_ROUND_TRIP) {
        let sqls: Vec<&str> = chunk
            .iter()
            .flat_map(|t| {
                std::iter::once(t.create.as_str()).chain(t.indexes.iter().map(|(_, s)| s.as_str()))
            })
            .collect();
        statements += 2;
        if send_batch(conn, &sqls).await.is_ok() {
            continue;
        }
        // Which statement failed: this chunk's tables go, then one statement at a time.
        let names = chunk
            .iter()
            .map(|t| quote_mysql_ident(&t.temp))
            .collect::<Vec<_>>()
            .join(", ");
        let drop = format!("DROP TEMPORARY TABLE IF EXISTS {names}");
        let _ = conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(drop))).await;
        for t in chunk {
            send(conn, &t.create, t, format!("table `{}`", t.original.name)).await?;
            for (index, sql) in &t.indexes {
                let object = format!("index `{index}` on table `{}`", t.original.name);
                send(conn, sql, t, object).await?;
            }
        }
    }
    let shown = if plan.is_empty() {
        Vec::new()
    } else {
        statements += 1;
        read_back(conn, plan, flavor).await?
    };

    let server = Server {
        flavor,
        collation,
        default_collations,
    };
    let mut rows = Rows::default();
    for (t, shown) in plan.iter().zip(shown) {
        let name = t.original.name.as_str();
        let parsed =
            show_create::parse(&shown.create).map_err(|reason| IntrospectError::Catalog {
                object: format!("SHOW CREATE TABLE of the temporary copy of `{name}`"),
                reason,
            })?;
        rows.add(t, &server, &parsed, &shown.columns, shown.indexes);
    }
    let mut out = Schema::new(Dialect::MySql);
    let namespace = Dialect::MySql.default_schema();
    out.namespace_mut(namespace);
    let foreign_keys = foreign_key_rows(plan, flavor, &database, &mut rows.indexes);
    let input = build::Input {
        flavor,
        database: &database,
        namespace,
        tables: &rows.tables,
        columns: &rows.columns,
        checks: &rows.checks,
        indexes: &rows.indexes,
        foreign_keys: &foreign_keys,
    };
    build::schema(&mut out, &input)?;
    Ok(Introspection {
        schema: out,
        statements,
    })
}

/// Sends one statement that carries model text, as a server-side prepared statement: the text
/// travels as a bound value into a session variable, and `PREPARE .. FROM` it, which takes
/// exactly one statement (a second one is a syntax error, never run).
///
/// Not a protocol-level prepared statement closed after each use (`persistent(false)`): sqlx
/// 0.9.0 leaves Nagle's algorithm on, and a `COM_STMT_CLOSE` (which has no reply) followed by the
/// next statement waits for the server's delayed ACK, 40 ms a statement. The `SET` is one cached
/// prepared statement, the rest fixed text, and each has a reply.
async fn send(
    conn: &mut MySqlConnection,
    sql: &str,
    table: &TempTable<'_>,
    object: String,
) -> Result<(), IntrospectError> {
    let failed = |e: sqlx::Error| {
        let message = match &e {
            sqlx::Error::Database(db) => db.message().to_owned(),
            other => other.to_string(),
        };
        // The server speaks of the temporary name; the user knows the table by its own.
        let own = |s: &str| s.replace(&table.temp, &table.original.name);
        IntrospectError::Normalise {
            object: object.clone(),
            reason: format!("{}\n{}", own(&message), own(sql)),
            site: None,
        }
    };
    sqlx::query("SET @autogen_normalise_ddl = ?")
        .bind(sql)
        .execute(&mut *conn)
        .await
        .map_err(&failed)?;
    conn.execute(sqlx::raw_sql(
        "PREPARE autogen_normalise FROM @autogen_normalise_ddl; \
         EXECUTE autogen_normalise; DEALLOCATE PREPARE autogen_normalise",
    ))
    .await
    .map(|_| ())
    .map_err(&failed)
}

/// How many tables' statements go to the server in one round trip.
const TABLES_PER_ROUND_TRIP: usize = 100;

/// [`send`] for many statements in two round trips: every text bound into a session variable of
/// its own by one prepared `SET`, then `PREPARE .. FROM` and `EXECUTE` each (fixed text naming
/// only the variables). The server stops at the first error.
async fn send_batch(conn: &mut MySqlConnection, sqls: &[&str]) -> Result<(), sqlx::Error> {
    let vars: Vec<String> = (1..=sqls.len())
        .map(|k| format!("@autogen_normalise_ddl_{k}"))
        .collect();
    let set = format!(
        "SET {}",
        vars.iter()
            .map(|v| format!("{v} = ?"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(set));
    for sql in sqls {
        query = query.bind(*sql);
    }
    query.execute(&mut *conn).await?;
    let mut run: String = vars
        .iter()
        .map(|v| format!("PREPARE autogen_normalise FROM {v}; EXECUTE autogen_normalise; "))
        .collect();
    run.push_str("DEALLOCATE PREPARE autogen_normalise");
    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(run)))
        .await
        .map(|_| ())
}

/// What the server says about one temporary table.
#[derive(Default)]
struct ShownTable {
    create: String,
    columns: Vec<Row>,
    indexes: Vec<Row>,
}

/// `SHOW CREATE TABLE`, `SHOW FULL COLUMNS` and `SHOW INDEX` of every temporary table in one
/// round trip (text protocol: only names autogen made are in it). The rows arrive in statement
/// order; a `SHOW CREATE TABLE` row starts the next table, and each kind of row is told apart
/// by its column names.
async fn read_back(
    conn: &mut MySqlConnection,
    plan: &[TempTable<'_>],
    flavor: Flavor,
) -> Result<Vec<ShownTable>, IntrospectError> {
    let sql: String = plan
        .iter()
        .map(|t| {
            let name = quote_mysql_ident(&t.temp);
            match flavor {
                // Columns from SHOW CREATE TABLE: SHOW FULL COLUMNS costs 2-4 ms a table on
                // MariaDB 10.11, ten times SHOW CREATE TABLE.
                Flavor::MariaDb => format!("SHOW CREATE TABLE {name}; SHOW INDEX FROM {name};"),
                Flavor::MySql => format!(
                    "SHOW CREATE TABLE {name}; SHOW FULL COLUMNS FROM {name}; SHOW INDEX FROM {name};"
                ),
            }
        })
        .collect();
    let rows = conn
        .fetch_all(sqlx::raw_sql(sqlx::AssertSqlSafe(sql)))
        .await
        .map_err(|e| IntrospectError::Query {
            what: "the temporary tables",
            reason: e.to_string(),
        })?;
    let mut out: Vec<ShownTable> = Vec::new();
    for row in &rows {
        let names: Vec<&str> = row.columns().iter().map(|c| c.name()).collect();
        let text = build::text_row(row)?;
        match (names.first().copied(), names.get(1).copied()) {
            (Some("Table"), Some("Create Table")) => out.push(ShownTable {
                create: text.get(1).cloned().flatten().unwrap_or_default(),
                ..ShownTable::default()
            }),
            (Some("Field"), _) => {
                if let Some(last) = out.last_mut() {
                    last.columns.push(text);
                }
            }
            (Some("Table"), Some("Non_unique")) => {
                if let Some(last) = out.last_mut() {
                    last.indexes.push(text);
                }
            }
            (first, second) => {
                return Err(IntrospectError::Catalog {
                    object: "the temporary tables".to_owned(),
                    reason: format!("an unexpected row with columns {first:?}, {second:?}"),
                });
            }
        }
    }
    if out.len() != plan.len() {
        return Err(IntrospectError::Catalog {
            object: "the temporary tables".to_owned(),
            reason: format!(
                "expected {} tables read back, the server described {}",
                plan.len(),
                out.len()
            ),
        });
    }
    Ok(out)
}

async fn fetch_text(
    conn: &mut MySqlConnection,
    sql: &'static str,
) -> Result<Vec<Row>, IntrospectError> {
    let rows = conn
        .fetch_all(sqlx::raw_sql(sql))
        .await
        .map_err(|e| IntrospectError::Query {
            what: "the server version",
            reason: e.to_string(),
        })?;
    rows.iter().map(build::text_row).collect()
}

/// What the server is and the defaults its tables get.
struct Server {
    flavor: Flavor,
    /// The database's default collation, which a table created without one gets.
    collation: Option<String>,
    /// Each character set's default collation.
    default_collations: BTreeMap<String, String>,
}

/// The rows `information_schema` would give for real tables of these definitions.
#[derive(Default)]
struct Rows {
    tables: Vec<Row>,
    columns: Vec<Row>,
    checks: Vec<Row>,
    indexes: Vec<Row>,
}

impl Rows {
    fn add(
        &mut self,
        t: &TempTable<'_>,
        server: &Server,
        shown: &Shown,
        columns: &[Row],
        indexes: Vec<Row>,
    ) {
        let Server {
            flavor,
            collation,
            default_collations,
        } = server;
        let flavor = *flavor;
        let collation = collation.clone();
        let name = || Some(t.original.name.clone());
        // Created without a character set: the database's default, as a real table would be.
        self.tables.push(vec![
            name(),
            t.table.comment.as_deref().map(stored_string),
            collation,
        ]);
        let comment = |field: &str| {
            t.table
                .column(field)
                .and_then(|col| col.comment.as_deref())
                .map(stored_string)
        };
        if flavor == Flavor::MariaDb {
            // As COLUMNS would give them: TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA,
            // GENERATION_EXPRESSION, COLLATION_NAME (only where it differs from the table's
            // matters: build keeps no other).
            for c in &shown.columns {
                let extra = match (&c.generated, c.stored, c.auto_increment) {
                    (Some(_), true, _) => "STORED GENERATED",
                    (Some(_), false, _) => "VIRTUAL GENERATED",
                    (None, _, true) => "auto_increment",
                    (None, _, false) => "",
                };
                let collation = c.collation.clone().or_else(|| {
                    c.charset
                        .as_ref()
                        .and_then(|cs| default_collations.get(cs).cloned())
                });
                self.columns.push(vec![
                    name(),
                    Some(c.name.clone()),
                    Some(c.ty.clone()),
                    Some(if c.not_null { "NO" } else { "YES" }.to_owned()),
                    c.default.clone(),
                    Some(extra.to_owned()),
                    c.generated.clone(),
                    collation,
                    comment(&c.name),
                ]);
            }
        }
        // MySQL 8, SHOW FULL COLUMNS: Field, Type, Collation, Null, Key, Default, Extra,
        // Privileges, Comment.
        for c in columns {
            let field = c.first().cloned().flatten().unwrap_or_default();
            let from_show = shown.columns.iter().find(|s| s.name == field);
            self.columns.push(vec![
                name(),
                Some(field.clone()),
                c.get(1).cloned().flatten(),
                c.get(3).cloned().flatten(),
                // MySQL 8's SHOW COLUMNS reads information_schema.COLUMNS itself.
                c.get(5).cloned().flatten(),
                c.get(6).cloned().flatten(),
                from_show.and_then(|s| s.generated.clone()),
                c.get(2).cloned().flatten(),
                comment(&field),
            ]);
        }
        for check in &shown.checks {
            let level = if check.column_level {
                "Column"
            } else {
                "Table"
            };
            let own = if check.column_level {
                // Named after its column by the server (MariaDB's JSON check).
                Some(check.name.clone())
            } else {
                t.table
                    .checks
                    .keys()
                    .enumerate()
                    .find(|(k, _)| check_name(*k) == check.name)
                    .map(|(_, own)| own.clone())
            };
            self.checks.push(vec![
                name(),
                own,
                Some(check.clause.clone()),
                Some(level.to_owned()),
            ]);
        }
        // SHOW INDEX: Table, Non_unique, Key_name, Seq_in_index, Column_name, Collation,
        // Cardinality, Sub_part, Packed, Null, Index_type, ..
        for i in indexes {
            let cell = |k: usize| i.get(k).cloned().flatten();
            self.indexes.push(vec![
                name(),
                cell(2),
                cell(1),
                cell(3),
                cell(4),
                cell(7),
                cell(5),
                cell(10),
            ]);
        }
        for index in &t.aside {
            for (seq, key) in index.keys.iter().enumerate() {
                let column = match &key.target {
                    IndexTarget::Column(c) | IndexTarget::Expression(c) => c.clone(),
                };
                self.indexes.push(vec![
                    name(),
                    Some(index.name.clone()),
                    Some("1".to_owned()),
                    Some((seq + 1).to_string()),
                    Some(column),
                    None,
                    None,
                    Some(index.method.to_ascii_uppercase()),
                ]);
            }
        }
    }
}

/// The models' foreign keys as `KEY_COLUMN_USAGE` rows, and the index the server adds for each
/// one no index serves (named after the constraint, in the order the keys would be added).
fn foreign_key_rows(
    plan: &[TempTable<'_>],
    flavor: Flavor,
    database: &str,
    indexes: &mut Vec<Row>,
) -> Vec<Row> {
    let rule = |action: ReferentialAction| {
        let text = match (action, flavor) {
            // Written without a clause: MariaDB reports RESTRICT, MySQL 8 NO ACTION.
            (ReferentialAction::NoAction, Flavor::MariaDb) => "RESTRICT",
            (ReferentialAction::NoAction, Flavor::MySql) => "NO ACTION",
            (
                ReferentialAction::Restrict
                | ReferentialAction::Cascade
                | ReferentialAction::SetNull
                | ReferentialAction::SetDefault,
                Flavor::MariaDb | Flavor::MySql,
            ) => action.sql(),
        };
        Some(text.to_owned())
    };
    let mut out = Vec::new();
    for t in plan {
        let name = t.original.name.as_str();
        for fk in t.table.foreign_keys.values() {
            for (column, referenced) in fk.columns.iter().zip(&fk.referenced_columns) {
                out.push(vec![
                    Some(name.to_owned()),
                    Some(fk.name.clone()),
                    Some(column.clone()),
                    Some(database.to_owned()),
                    Some(fk.referenced_table.name.clone()),
                    Some(referenced.clone()),
                    rule(fk.on_update),
                    rule(fk.on_delete),
                ]);
            }
            if !served(indexes, name, fk) {
                for (seq, column) in fk.columns.iter().enumerate() {
                    indexes.push(vec![
                        Some(name.to_owned()),
                        Some(fk.name.clone()),
                        Some("1".to_owned()),
                        Some((seq + 1).to_string()),
                        Some(column.clone()),
                        None,
                        Some("A".to_owned()),
                        Some("BTREE".to_owned()),
                    ]);
                }
            }
        }
    }
    out
}

/// Whether an index of `table` starts with the foreign key's columns, whole (no prefix), in
/// order: InnoDB then uses it instead of creating one.
fn served(indexes: &[Row], table: &str, fk: &ForeignKey) -> bool {
    let mut by_name: BTreeMap<&str, Vec<(&str, bool, &str)>> = BTreeMap::new();
    for row in indexes {
        let cell = |k: usize| row.get(k).and_then(|c| c.as_deref()).unwrap_or("");
        if cell(0) != table {
            continue;
        }
        by_name.entry(cell(1)).or_default().push((
            cell(4),
            row.get(5).is_some_and(Option::is_some),
            cell(7),
        ));
    }
    by_name.values().any(|keys| {
        keys.len() >= fk.columns.len()
            && keys
                .iter()
                .zip(&fk.columns)
                .all(|((column, prefix, kind), wanted)| {
                    column == wanted && !prefix && kind.eq_ignore_ascii_case("btree")
                })
    })
}

/// The string the server stores for `quote_literal(text)` (how comments reach it in migrations):
/// MySQL reads backslash escapes inside string literals.
pub(crate) fn stored_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('b') => out.push('\u{8}'),
            Some('Z') => out.push('\u{1a}'),
            // `\%` and `\_` keep their backslash (they are LIKE escapes).
            Some(k @ ('%' | '_')) => {
                out.push('\\');
                out.push(k);
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::stored_string;

    #[test]
    fn comments_are_stored_with_backslash_escapes_read() {
        assert_eq!(stored_string("plain 'text'"), "plain 'text'");
        assert_eq!(stored_string("a\\nb\\\\c\\%d\\q"), "a\nb\\c\\%dq");
    }
}
