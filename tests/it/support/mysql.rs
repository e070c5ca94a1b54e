//! MariaDB helpers for the corpus tests: a test database with one open connection kept for
//! its whole life (reset between cases by dropping and creating it again).

use std::str::FromStr;

use autogen_introspect::{IntrospectOptions, introspect_mysql};
use autogen_schema::Schema;
use autogen_testkit::MariaDb;

pub struct LiveMy {
    db: MariaDb,
    runtime: tokio::runtime::Runtime,
    conn: sqlx::MySqlConnection,
}

impl LiveMy {
    pub fn new() -> LiveMy {
        use sqlx::ConnectOptions;
        let db = autogen_testkit::mariadb();
        let runtime = super::pg::runtime();
        let options = sqlx::mysql::MySqlConnectOptions::from_str(db.url())
            .unwrap_or_else(|e| panic!("a test database URL does not parse: {e}"))
            .ssl_mode(sqlx::mysql::MySqlSslMode::Disabled);
        let conn = runtime
            .block_on(options.connect())
            .unwrap_or_else(|e| panic!("cannot connect to {}: {e}", db.name()));
        LiveMy { db, runtime, conn }
    }

    /// The test database (its own connections: `query`, `execute`).
    pub fn db(&self) -> &MariaDb {
        &self.db
    }

    /// The server's own dump of the database: `SHOW CREATE TABLE` of every table, by name,
    /// without the `AUTO_INCREMENT=n` counter (which rows move, not the schema), the lines of
    /// each table sorted: a plan never moves a column, so one added back comes last.
    pub fn dump(&self) -> String {
        let tables = self.db.query("SHOW TABLES");
        let mut out = String::new();
        for row in tables {
            let name = row[0].clone().unwrap_or_default();
            let create = self.db.query(&format!("SHOW CREATE TABLE `{name}`"));
            let text = create[0][1].clone().unwrap_or_default();
            let text: Vec<&str> = text
                .split(' ')
                .filter(|word| !word.starts_with("AUTO_INCREMENT="))
                .collect();
            let text = text.join(" ");
            let mut lines: Vec<&str> = text
                .lines()
                .map(|line| line.trim_end_matches(','))
                .collect();
            lines.sort_unstable();
            out.push_str(&lines.join("\n"));
            out.push_str(";\n");
        }
        out
    }

    pub fn url(&self) -> &str {
        self.db.url()
    }

    /// Runs a script of one or more statements.
    pub fn execute(&mut self, sql: &str) -> Result<(), String> {
        use sqlx::Executor;
        let LiveMy { runtime, conn, .. } = self;
        runtime.block_on(async {
            conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned())))
                .await
                .map(drop)
                .map_err(|e| e.to_string())
        })
    }

    /// Makes the database empty again: dropped, created and selected anew.
    pub fn reset(&mut self) {
        let name = self.db.name().to_owned();
        self.execute(&format!(
            "DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci; USE `{name}`"
        ))
        .unwrap_or_else(|e| panic!("cannot reset {name}: {e}"));
    }

    pub fn inspect(&mut self) -> Result<Schema, String> {
        let options = IntrospectOptions::default();
        let LiveMy { runtime, conn, .. } = self;
        runtime.block_on(async {
            introspect_mysql(conn, &options)
                .await
                .map(|i| i.schema)
                .map_err(|e| e.to_string())
        })
    }

    /// Runs rendered statements one by one, as `autogen upgrade` does on MySQL.
    pub fn apply(&mut self, statements: &[autogen_render::Statement]) -> Result<(), String> {
        for statement in statements {
            self.execute(&statement.sql)
                .map_err(|e| format!("{e}\nin:\n{}", statement.sql))?;
        }
        Ok(())
    }
}

impl Default for LiveMy {
    fn default() -> LiveMy {
        LiveMy::new()
    }
}

/// The up and down statements of `plan` for MySQL.
pub fn render_both(
    plan: &autogen_diff::Plan,
) -> Result<
    (
        Vec<autogen_render::Statement>,
        Vec<autogen_render::Statement>,
    ),
    String,
> {
    let dialect = autogen_schema::Dialect::MySql;
    let up = autogen_render::render(plan, dialect).map_err(|e| format!("up: {e}"))?;
    // The down file's statements: the down plan's steps.
    let down = autogen_render::lower(plan, dialect)
        .map_err(|e| format!("down: {e}"))?
        .down_statements();
    Ok((up, down))
}
