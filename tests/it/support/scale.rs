//! The scale twin: `n` native models and the SQL a person would write for the same schema,
//! every name left to PostgreSQL. Shared by `tests/it/models_scale.rs` (no phantom difference at
//! 1,000 tables) and `just bench` (crates/autogen-cli/benches/scale.rs), so the benchmark
//! measures the schema the test proves clean.
//!
//! Each table: 15 columns (an identity key, an enum with a label default, literal and SQL
//! defaults, an array, a decimal, a JSON document, two foreign keys), a UNIQUE constraint, four
//! plain indexes (a partial one, an expression one, an ordered two-column one, a foreign-key
//! one), two CHECKs and two comments. Every tenth table lives in a second schema, and the
//! foreign keys reach across the whole range and across the schemas.

// The test uses the twin, the benchmark also its changed revision.
#![allow(dead_code)]

use std::fmt::Write as _;

/// Enum types, all in `public`, used round-robin by the tables.
pub const ENUMS: usize = 10;
/// Models per file: a real project splits its models, and the reader walks a directory.
const MODELS_PER_FILE: usize = 100;
/// Tables per loading script: creating a table with its indexes and constraints takes about
/// ten locks, and one script is one transaction, whose locks PostgreSQL bounds at
/// `max_locks_per_transaction` x connections (6,400 by default).
const TABLES_PER_SCRIPT: usize = 100;
/// Every tenth table lives in this schema.
pub const SECOND_SCHEMA: &str = "ops";
/// One table in this many gets a new column in [`changed_model_files`].
pub const CHANGED_EVERY: usize = 100;

/// A twin of `tables` tables.
#[derive(Debug, Clone, Copy)]
pub struct Twin {
    pub tables: usize,
}

impl Twin {
    pub fn new(tables: usize) -> Self {
        assert!(tables > 0, "a twin needs at least one table");
        Self { tables }
    }

    pub fn schema_of(self, i: usize) -> &'static str {
        if i % 10 == 9 { SECOND_SCHEMA } else { "public" }
    }

    /// The table `ref_id` of table `i` references: spread over the whole range, itself now and then.
    fn ref_target(self, i: usize) -> usize {
        (i * 7 + 3) % self.tables
    }

    /// The table `owner_id` of table `i` references.
    fn owner_target(self, i: usize) -> usize {
        (i * 13 + 5) % self.tables
    }

    fn enum_of(i: usize) -> usize {
        i % ENUMS
    }

    pub fn table_name(i: usize) -> String {
        format!("t{i:05}")
    }

    /// The model files: the enums in the first, [`MODELS_PER_FILE`] structs in each.
    pub fn model_files(self) -> Vec<String> {
        self.models(|_| false)
    }

    /// The model files with one table in [`CHANGED_EVERY`] given a new nullable column, and
    /// how many tables changed: the "1% changed" revision of the benchmark.
    pub fn changed_model_files(self) -> (Vec<String>, usize) {
        // Below `CHANGED_EVERY / 2 + 1` tables nothing is 1%: then the first table changes.
        let small = self.tables <= CHANGED_EVERY / 2;
        let changed = |i: usize| {
            if small {
                i == 0
            } else {
                i % CHANGED_EVERY == CHANGED_EVERY / 2
            }
        };
        let count = (0..self.tables).filter(|&i| changed(i)).count();
        (self.models(changed), count)
    }

    fn models(self, changed: impl Fn(usize) -> bool) -> Vec<String> {
        let files = self.tables.div_ceil(MODELS_PER_FILE);
        let mut out = vec![String::new(); files];
        let first = &mut out[0];
        for k in 0..ENUMS {
            let _ = writeln!(
                first,
                "#[derive(autogen::Enum)]\n\
                 #[autogen(name = \"status_{k}\", rename_all = \"snake_case\")]\n\
                 pub enum Status{k} {{ Pending, InProgress, Done, Variant{k} }}\n"
            );
        }
        for i in 0..self.tables {
            let file = &mut out[i / MODELS_PER_FILE];
            let schema = self.schema_of(i);
            let schema_key = if schema == "public" {
                String::new()
            } else {
                format!("schema = \"{schema}\", ")
            };
            let reference = |target: usize| {
                format!("{}.{}.id", self.schema_of(target), Self::table_name(target))
            };
            let extra = if changed(i) {
                "    pub extra: Option<i32>,\n"
            } else {
                ""
            };
            let _ = write!(
                file,
                r#"#[derive(autogen::Model)]
#[autogen({schema_key}table = "{table}", comment = "Table number {i}")]
#[autogen(index(columns(ref_id), where = "ref_id IS NOT NULL"))]
#[autogen(index(expr = "lower(name)"))]
#[autogen(index(columns("created_at DESC", status)))]
#[autogen(check(expr = "amount >= 0 OR qty = 0"))]
pub struct T{i:05} {{
    #[autogen(primary_key)]
    pub id: i64,
    #[autogen(max_length = 40, unique)]
    pub code: String,
    pub name: String,
    #[autogen(default = 0, check = "qty >= 0")]
    pub qty: i32,
    #[autogen(default = "in_progress")]
    pub status: Status{k},
    #[autogen(default_sql = "now()")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
    #[autogen(references = "{ref_target}", on_delete = "cascade")]
    pub ref_id: Option<i64>,
    #[autogen(references = "{owner_target}", index)]
    pub owner_id: Option<i64>,
    #[autogen(comment = "A note on table {i}")]
    pub note: Option<String>,
    #[autogen(precision = 12, scale = 2, default = 0.5)]
    pub amount: rust_decimal::Decimal,
    #[autogen(default = "{{}}")]
    pub tags: Vec<String>,
    #[autogen(default = true)]
    pub active: bool,
    pub score: Option<f64>,
    pub payload: Option<serde_json::Value>,
{extra}}}

"#,
                table = Self::table_name(i),
                k = Self::enum_of(i),
                ref_target = reference(self.ref_target(i)),
                owner_target = reference(self.owner_target(i)),
            );
        }
        out
    }

    /// The same schema as scripts to run one after the other, each small enough for one
    /// transaction's locks (see [`TABLES_PER_SCRIPT`]).
    pub fn sql_scripts(self) -> Vec<String> {
        let mut scripts = Vec::new();
        let mut sql = format!("CREATE SCHEMA {SECOND_SCHEMA};\n");
        for k in 0..ENUMS {
            let _ = writeln!(
                sql,
                "CREATE TYPE status_{k} AS ENUM ('pending', 'in_progress', 'done', 'variant{k}');"
            );
        }
        for i in 0..self.tables {
            let table = format!("{}.{}", self.schema_of(i), Self::table_name(i));
            let _ = write!(
                sql,
                "CREATE TABLE {table} (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    code varchar(40) NOT NULL UNIQUE,
    name text NOT NULL,
    qty integer NOT NULL DEFAULT 0 CHECK (qty >= 0),
    status public.status_{k} NOT NULL DEFAULT 'in_progress',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz,
    ref_id bigint,
    owner_id bigint,
    note text,
    amount numeric(12, 2) NOT NULL DEFAULT 0.5,
    tags text[] NOT NULL DEFAULT '{{}}',
    active boolean NOT NULL DEFAULT true,
    score double precision,
    payload jsonb,
    CHECK (amount >= 0 OR qty = 0)
);
COMMENT ON TABLE {table} IS 'Table number {i}';
COMMENT ON COLUMN {table}.note IS 'A note on table {i}';
CREATE INDEX ON {table} (ref_id) WHERE ref_id IS NOT NULL;
CREATE INDEX ON {table} (lower(name));
CREATE INDEX ON {table} (created_at DESC, status);
CREATE INDEX ON {table} (owner_id);
",
                k = Self::enum_of(i),
            );
            if i % TABLES_PER_SCRIPT == TABLES_PER_SCRIPT - 1 {
                scripts.push(std::mem::take(&mut sql));
            }
        }
        if !sql.is_empty() {
            scripts.push(std::mem::take(&mut sql));
        }
        // A foreign key locks both of its tables: the same budget per script.
        for i in 0..self.tables {
            let table = format!("{}.{}", self.schema_of(i), Self::table_name(i));
            let target = |t: usize| format!("{}.{}", self.schema_of(t), Self::table_name(t));
            let _ = writeln!(
                sql,
                "ALTER TABLE {table} ADD FOREIGN KEY (ref_id) REFERENCES {} (id) ON DELETE CASCADE;\n\
                 ALTER TABLE {table} ADD FOREIGN KEY (owner_id) REFERENCES {} (id);",
                target(self.ref_target(i)),
                target(self.owner_target(i)),
            );
            if i % TABLES_PER_SCRIPT == TABLES_PER_SCRIPT - 1 {
                scripts.push(std::mem::take(&mut sql));
            }
        }
        if !sql.is_empty() {
            scripts.push(sql);
        }
        scripts
    }
}
