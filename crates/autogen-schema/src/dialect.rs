use serde::{Deserialize, Serialize};

/// The database families autogen speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Postgres,
    MySql,
    Sqlite,
}

impl Dialect {
    /// Every dialect, in the order messages list them.
    pub const ALL: [Dialect; 3] = [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite];

    /// The dialect a model key or a configuration value names (`postgres`, `mysql`, `sqlite`:
    /// the names [`Dialect::name`] gives; MariaDB is `mysql`).
    pub fn from_name(name: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::MySql => "mysql",
            Dialect::Sqlite => "sqlite",
        }
    }

    /// The namespace objects live in when none is named.
    pub fn default_schema(self) -> &'static str {
        match self {
            Dialect::Postgres => "public",
            // MySQL's database and SQLite's attached database play the role of a schema; the IR
            // keeps one namespace under a fixed name so two databases with other names compare equal.
            Dialect::MySql | Dialect::Sqlite => "main",
        }
    }
}
