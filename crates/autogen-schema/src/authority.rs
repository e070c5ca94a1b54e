//! What a model source is authoritative for.
//!
//! A native `#[autogen(..)]` model states everything about its tables. Other sources state
//! less: a Diesel `schema.rs` knows tables, columns, types, nullability, primary keys and
//! foreign keys, and nothing about defaults, indexes, checks or enum labels. A fact a source
//! does not state is not "absent": the differ takes it from the current side, so it is never
//! added, dropped or altered because the source is silent about it.

use std::collections::{BTreeMap, BTreeSet};

use crate::{ColumnType, Dialect, QualifiedName};

/// The facts a source states, for every table and enum, plus what an overlay widens per table
/// and per enum. [`Authority::full`] (the default) states everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    pub facts: Facts,
    /// Facts stated for one table on top of `facts` (an overlay that declares them).
    pub tables: BTreeMap<QualifiedName, Facts>,
    /// Enum types whose labels are stated even when `facts.enum_labels` is not.
    pub enum_labels: BTreeSet<QualifiedName>,
    /// Whether the source states the views and triggers: a database does, models cannot
    /// declare them (then the differ leaves them as they are, except the triggers of a table
    /// the plan drops, which go with it).
    pub views_and_triggers: bool,
}

/// One flag per kind of fact. Table and column presence, nullability, primary-key columns and
/// the presence of the foreign keys a source lists are always stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    /// Column defaults and generated-column expressions.
    pub defaults: bool,
    /// Identity columns, serial-ness and the sequences (owned or standalone).
    pub identity: bool,
    pub indexes: bool,
    pub uniques: bool,
    pub checks: bool,
    /// `ON DELETE` / `ON UPDATE`, deferrability and match type of the foreign keys listed.
    pub foreign_key_actions: bool,
    /// Whether a foreign key the source does not list is dropped.
    pub unlisted_foreign_keys: bool,
    /// The names of primary keys and foreign keys.
    pub constraint_names: bool,
    pub enum_labels: bool,
    /// Table, column and enum comments.
    pub comments: bool,
    pub collations: bool,
    pub types: TypeFidelity,
}

/// How much of a column type a source states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeFidelity {
    Exact,
    /// The type without what Diesel's `schema.rs` cannot spell: on PostgreSQL and MySQL the
    /// numeric precision and scale, time precision, `char` length, interval fields, array
    /// dimensions and (unless stated) the `varchar` length; on SQLite only the class Diesel's
    /// `print-schema` reads a declared type as (bool, integer, text, binary, float, timestamp,
    /// date, time). A current type equal to the stated one up to that is kept.
    Coarse,
}

impl Facts {
    pub const ALL: Facts = Facts {
        defaults: true,
        identity: true,
        indexes: true,
        uniques: true,
        checks: true,
        foreign_key_actions: true,
        unlisted_foreign_keys: true,
        constraint_names: true,
        enum_labels: true,
        comments: true,
        collations: true,
        types: TypeFidelity::Exact,
    };

    /// Only what every source states (tables, columns, coarse types, nullability, keys).
    pub const NONE: Facts = Facts {
        defaults: false,
        identity: false,
        indexes: false,
        uniques: false,
        checks: false,
        foreign_key_actions: false,
        unlisted_foreign_keys: false,
        constraint_names: false,
        enum_labels: false,
        comments: false,
        collations: false,
        types: TypeFidelity::Coarse,
    };

    /// Every fact either states.
    pub fn union(self, other: Facts) -> Facts {
        let types = match (self.types, other.types) {
            (TypeFidelity::Coarse, TypeFidelity::Coarse) => TypeFidelity::Coarse,
            (TypeFidelity::Exact, _) | (_, TypeFidelity::Exact) => TypeFidelity::Exact,
        };
        Facts {
            defaults: self.defaults || other.defaults,
            identity: self.identity || other.identity,
            indexes: self.indexes || other.indexes,
            uniques: self.uniques || other.uniques,
            checks: self.checks || other.checks,
            foreign_key_actions: self.foreign_key_actions || other.foreign_key_actions,
            unlisted_foreign_keys: self.unlisted_foreign_keys || other.unlisted_foreign_keys,
            constraint_names: self.constraint_names || other.constraint_names,
            enum_labels: self.enum_labels || other.enum_labels,
            comments: self.comments || other.comments,
            collations: self.collations || other.collations,
            types,
        }
    }
}

impl Default for Authority {
    fn default() -> Authority {
        Authority::full()
    }
}

impl Authority {
    /// A source that states everything: a database (`diff --from/--to`).
    pub fn full() -> Authority {
        Authority {
            views_and_triggers: true,
            ..Authority::of(Facts::ALL)
        }
    }

    /// What the native models state: every fact of their tables, no views or triggers.
    pub fn models() -> Authority {
        Authority::of(Facts::ALL)
    }

    /// A model source stating `facts` (no views or triggers).
    pub fn of(facts: Facts) -> Authority {
        Authority {
            facts,
            tables: BTreeMap::new(),
            enum_labels: BTreeSet::new(),
            views_and_triggers: false,
        }
    }

    /// Whether every fact of every table is stated (views and triggers aside: the differ
    /// reads [`Authority::views_and_triggers`] itself).
    pub fn is_full(&self) -> bool {
        self.facts == Facts::ALL
    }

    /// What is stated about `table`.
    pub fn for_table(&self, table: &QualifiedName) -> Facts {
        match self.tables.get(table) {
            Some(more) => self.facts.union(*more),
            None => self.facts,
        }
    }

    pub fn states_labels_of(&self, enum_name: &QualifiedName) -> bool {
        self.facts.enum_labels || self.enum_labels.contains(enum_name)
    }
}

impl TypeFidelity {
    /// Whether the stated type `desired` says nothing that `current` contradicts.
    pub fn agrees(self, current: &ColumnType, desired: &ColumnType, dialect: Dialect) -> bool {
        if current == desired {
            return true;
        }
        match (self, dialect) {
            (TypeFidelity::Exact, _) => false,
            (TypeFidelity::Coarse, Dialect::Sqlite) => {
                let class = |t: &ColumnType| diesel_sqlite_class(&t.sql(Dialect::Sqlite));
                class(current).is_some() && class(current) == class(desired)
            }
            (TypeFidelity::Coarse, Dialect::MySql)
                if *desired == ColumnType::mysql_enum_unstated() =>
            {
                current.is_mysql_enum()
            }
            (TypeFidelity::Coarse, Dialect::Postgres | Dialect::MySql) => {
                let keep_length = matches!(desired, ColumnType::Varchar { length: Some(_) });
                without_modifiers(current, keep_length) == without_modifiers(desired, keep_length)
            }
        }
    }
}

/// The type as a coarse source states it: no modifiers, but a varchar length when the source
/// gives one (Diesel's `#[max_length]`).
fn without_modifiers(ty: &ColumnType, keep_varchar_length: bool) -> ColumnType {
    match ty {
        ColumnType::Varchar { length: Some(_) } if keep_varchar_length => ty.clone(),
        ColumnType::Varchar { .. }
        | ColumnType::SmallInt
        | ColumnType::Integer
        | ColumnType::BigInt
        | ColumnType::Real
        | ColumnType::Double
        | ColumnType::Numeric { .. }
        | ColumnType::Boolean
        | ColumnType::Text
        | ColumnType::Char { .. }
        | ColumnType::Bytes
        | ColumnType::Date
        | ColumnType::Time { .. }
        | ColumnType::Timestamp { .. }
        | ColumnType::Interval { .. }
        | ColumnType::Uuid
        | ColumnType::Json
        | ColumnType::Jsonb
        | ColumnType::Enum { .. }
        | ColumnType::Array { .. }
        | ColumnType::Other { .. } => ty.without_modifiers(),
    }
}

/// The class Diesel's `print-schema` reads an SQLite declared type as, in its own order of
/// tests (diesel_cli `infer_schema_internals/sqlite.rs`); `None` for a type it rejects.
/// Integer widths and float widths are one class each: SQLite stores them alike.
fn diesel_sqlite_class(declared: &str) -> Option<&'static str> {
    let t = declared.trim().to_ascii_lowercase();
    let class = if t == "boolean" || t == "bool" || (t.contains("tiny") && t.contains("int")) {
        "bool"
    } else if t.contains("int") {
        "integer"
    } else if t.contains("char") || t.contains("clob") || t.contains("text") {
        "text"
    } else if t.contains("blob") || t.contains("binary") || t.is_empty() {
        "binary"
    } else if t.contains("float")
        || t.contains("real")
        || t.contains("double")
        || t.contains("num")
        || t.contains("dec")
    {
        "float"
    } else if t == "datetime" || t == "timestamp" {
        "timestamp"
    } else if t == "date" {
        "date"
    } else if t == "time" {
        "time"
    } else {
        return None;
    };
    Some(class)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coarse_types_ignore_what_diesel_cannot_spell() {
        let coarse = TypeFidelity::Coarse;
        let numeric = ColumnType::Numeric {
            precision: Some(10),
            scale: Some(2),
        };
        let bare = ColumnType::Numeric {
            precision: None,
            scale: None,
        };
        assert!(coarse.agrees(&numeric, &bare, Dialect::Postgres));
        assert!(!TypeFidelity::Exact.agrees(&numeric, &bare, Dialect::Postgres));
        let v200 = ColumnType::Varchar { length: Some(200) };
        let v100 = ColumnType::Varchar { length: Some(100) };
        let v = ColumnType::Varchar { length: None };
        assert!(coarse.agrees(&v200, &v, Dialect::Postgres));
        assert!(!coarse.agrees(&v200, &v100, Dialect::Postgres));
        assert!(!coarse.agrees(&ColumnType::Integer, &ColumnType::BigInt, Dialect::Postgres));
        let varchar = ColumnType::Other {
            name: "VARCHAR(20)".into(),
        };
        assert!(coarse.agrees(&varchar, &ColumnType::Text, Dialect::Sqlite));
        let datetime = ColumnType::Other {
            name: "DATETIME".into(),
        };
        let ts = ColumnType::Timestamp {
            precision: None,
            with_time_zone: false,
        };
        assert!(coarse.agrees(&datetime, &ts, Dialect::Sqlite));
        assert!(!coarse.agrees(&datetime, &ColumnType::Text, Dialect::Sqlite));
        let inline = ColumnType::mysql_enum(&["a".into(), "b".into()]);
        assert_eq!(
            inline,
            ColumnType::Other {
                name: "enum('a','b')".into()
            }
        );
        let unknown_labels = ColumnType::mysql_enum_unstated();
        assert!(coarse.agrees(&inline, &unknown_labels, Dialect::MySql));
        assert!(!coarse.agrees(&ColumnType::Text, &unknown_labels, Dialect::MySql));
    }

    #[test]
    fn an_overlay_widens_one_table() {
        let mut authority = Authority::of(Facts::NONE);
        let users = QualifiedName::new("public", "users");
        authority.tables.insert(
            users.clone(),
            Facts {
                indexes: true,
                ..Facts::NONE
            },
        );
        assert!(authority.for_table(&users).indexes);
        assert!(
            !authority
                .for_table(&QualifiedName::new("public", "posts"))
                .indexes
        );
        assert!(Authority::default().is_full());
    }
}
