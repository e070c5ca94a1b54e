use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{ColumnType, Dialect, QualifiedName};

/// A table's objects by name, in name order: a sorted `Vec`, which for the few a table has is
/// a quarter of a `BTreeMap`'s memory (that allocates room for eleven on the first insert).
pub type NameMap<V> = litemap::LiteMap<String, V>;

/// A whole database schema: every namespace autogen was asked to look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub dialect: Dialect,
    /// Keyed by namespace name (`public`, `app`, ...). For MySQL and SQLite there is one, `main`.
    pub schemas: BTreeMap<String, Namespace>,
}

impl Schema {
    pub fn new(dialect: Dialect) -> Schema {
        Schema {
            dialect,
            schemas: BTreeMap::new(),
        }
    }

    pub fn namespace_mut(&mut self, name: &str) -> &mut Namespace {
        self.schemas.entry(name.to_owned()).or_default()
    }

    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.schemas.get(&name.schema)?.tables.get(&name.name)
    }

    pub fn enum_type(&self, name: &QualifiedName) -> Option<&EnumType> {
        self.schemas.get(&name.schema)?.enums.get(&name.name)
    }

    /// Every table with its qualified name, in namespace then table order.
    pub fn tables(&self) -> impl Iterator<Item = (QualifiedName, &Table)> {
        self.schemas.iter().flat_map(|(schema, ns)| {
            ns.tables
                .iter()
                .map(move |(name, table)| (QualifiedName::new(schema, name), table))
        })
    }

    pub fn enums(&self) -> impl Iterator<Item = (QualifiedName, &EnumType)> {
        self.schemas.iter().flat_map(|(schema, ns)| {
            ns.enums
                .iter()
                .map(move |(name, e)| (QualifiedName::new(schema, name), e))
        })
    }

    pub fn views(&self) -> impl Iterator<Item = (QualifiedName, &View)> {
        self.schemas.iter().flat_map(|(schema, ns)| {
            ns.views
                .iter()
                .map(move |(name, v)| (QualifiedName::new(schema, name), v))
        })
    }

    pub fn triggers(&self) -> impl Iterator<Item = (QualifiedName, &Trigger)> {
        self.schemas.iter().flat_map(|(schema, ns)| {
            ns.triggers
                .iter()
                .map(move |(name, t)| (QualifiedName::new(schema, name), t))
        })
    }

    /// Every [`crate::DbObject`] with its schema, in schema then key order.
    pub fn objects(&self) -> impl Iterator<Item = (&str, &crate::DbObject)> {
        self.schemas
            .iter()
            .flat_map(|(schema, ns)| ns.objects.values().map(move |o| (schema.as_str(), o)))
    }

    pub fn sequences(&self) -> impl Iterator<Item = (QualifiedName, &Sequence)> {
        self.schemas.iter().flat_map(|(schema, ns)| {
            ns.sequences
                .iter()
                .map(move |(name, s)| (QualifiedName::new(schema, name), s))
        })
    }

    /// The same schema with each table's columns sorted by name: column position is not a
    /// difference autogen can or should fix (new columns are appended), so comparisons that
    /// must ignore it compare this form.
    pub fn with_columns_by_name(&self) -> Schema {
        let mut out = self.clone();
        for ns in out.schemas.values_mut() {
            for table in ns.tables.values_mut() {
                table.columns.sort_by(|a, b| a.name.cmp(&b.name));
            }
        }
        out
    }
}

/// One PostgreSQL schema (namespace) and what lives in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Namespace {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub enums: BTreeMap<String, EnumType>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sequences: BTreeMap<String, Sequence>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: BTreeMap<String, Table>,
    /// Views by name. Read on SQLite only so far; empty elsewhere.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub views: BTreeMap<String, View>,
    /// Triggers by name (SQLite's trigger names are unique per database). Read on SQLite only
    /// so far; empty elsewhere.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub triggers: BTreeMap<String, Trigger>,
    /// PostgreSQL's views, materialized views, functions, procedures, triggers, policies,
    /// domains, composite types and extensions, by [`crate::DbObject::key`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub objects: BTreeMap<String, crate::DbObject>,
    /// Objects of kinds autogen does not compare yet (PostgreSQL aggregates, window functions,
    /// rules, a few comments and storage options), sorted by kind and name: never diffed or
    /// rendered, only listed when two databases differ in them, so that no comparison reports
    /// "no difference" while they do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncompared: Vec<Uncompared>,
    /// Comments on the sequences of [`Namespace::sequences`] (PostgreSQL), by sequence name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sequence_comments: BTreeMap<String, String>,
}

/// One object of a kind autogen does not compare yet ([`Namespace::uncompared`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Uncompared {
    /// `view`, `function`, `trigger`, `policy`, `domain`, ...
    pub kind: String,
    /// The name within the schema (`f(integer)` for a function, `table.trigger` for a trigger).
    pub name: String,
    /// The server's text of it: two versions differ when their texts do.
    pub definition: String,
}

/// A view, carried verbatim: autogen does not read its query, it keeps it and puts it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub name: String,
    /// The statement as the database keeps it (SQLite: the `CREATE VIEW ..` text of
    /// `sqlite_schema.sql`, which its renderer runs as it is).
    pub definition: String,
}

/// A trigger, carried verbatim like a [`View`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub name: String,
    /// The table (or, for `INSTEAD OF`, the view) it fires on, in the trigger's namespace.
    pub table: String,
    /// The statement as the database keeps it (SQLite: `CREATE TRIGGER ..`).
    pub definition: String,
}

/// Whether two stored definitions (of views or triggers) say the same: equal up to the
/// whitespace between tokens and a trailing `;`. Quoted text is compared as it is.
pub fn same_definition(a: &str, b: &str) -> bool {
    normalised_definition(a) == normalised_definition(b)
}

/// `text` with runs of whitespace outside quotes made one space, and no trailing `;`.
pub fn normalised_definition(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut space = false;
    for c in text.trim().trim_end_matches(';').trim_end().chars() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if matches!(c, '\'' | '"' | '`' | '[') {
            quote = Some(if c == '[' { ']' } else { c });
        }
        out.push(c);
    }
    out
}

/// SQLite's table options (`STRICT`, `WITHOUT ROWID`); both off elsewhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableOptions {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub strict: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub without_rowid: bool,
}

impl TableOptions {
    pub fn is_default(&self) -> bool {
        *self == TableOptions::default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    /// In the table's own order (attribute number); see [`Schema::with_columns_by_name`].
    pub columns: Vec<Column>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    /// Keyed by constraint name.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub uniques: NameMap<UniqueConstraint>,
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub checks: NameMap<CheckConstraint>,
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub foreign_keys: NameMap<ForeignKey>,
    /// Indexes that do not back a primary key or unique constraint, keyed by name.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub indexes: NameMap<Index>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "TableOptions::is_default")]
    pub options: TableOptions,
    /// PostgreSQL's facts beyond columns and keys (partitioning, row-level security, ...).
    #[serde(default, skip_serializing_if = "crate::PostgresTable::is_default")]
    pub postgres: crate::PostgresTable,
}

impl Table {
    pub fn new(name: impl Into<String>) -> Table {
        Table {
            name: name.into(),
            columns: Vec::new(),
            primary_key: None,
            uniques: NameMap::new(),
            checks: NameMap::new(),
            foreign_keys: NameMap::new(),
            indexes: NameMap::new(),
            comment: None,
            options: TableOptions::default(),
            postgres: crate::PostgresTable::default(),
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Whether an index of the table is called `name`: one of its own, or the one behind its
    /// primary key or a unique constraint (named as the constraint).
    pub fn has_index_named(&self, name: &str) -> bool {
        self.indexes.contains_key(name)
            || self.uniques.contains_key(name)
            || self.primary_key.as_ref().is_some_and(|k| k.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ColumnType,
    pub nullable: bool,
    /// The default expression as the database prints it (`'active'::text`, `now()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
    /// Only when it differs from the type's default collation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Column {
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Column {
        Column {
            name: name.into(),
            ty,
            nullable: true,
            default: None,
            identity: None,
            generated: None,
            collation: None,
            comment: None,
        }
    }
}

/// `GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY`, MySQL's `AUTO_INCREMENT`, SQLite's rowid alias.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub kind: IdentityKind,
    /// The options of the identity's sequence; `None` where the dialect has none. Boxed: every
    /// column has room for an identity, and inline these options doubled the size of one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<Box<SequenceOptions>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityKind {
    Always,
    ByDefault,
    /// MySQL `AUTO_INCREMENT` and SQLite `INTEGER PRIMARY KEY [AUTOINCREMENT]`.
    AutoIncrement,
}

/// `GENERATED ALWAYS AS (expr) STORED` (or MySQL's `VIRTUAL`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generated {
    pub expression: String,
    pub stored: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    pub name: String,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UniqueConstraint {
    pub name: String,
    pub columns: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
    #[serde(default, skip_serializing_if = "Deferrable::is_not_deferrable")]
    pub deferrable: Deferrable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckConstraint {
    pub name: String,
    /// The boolean expression as the database prints it, without the `CHECK` keyword.
    pub expression: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_inherit: bool,
    /// Added `NOT VALID` and not validated since (PostgreSQL's `pg_constraint.convalidated`
    /// false): new rows are checked, existing ones may violate it. A lock-safe plan whose
    /// `VALIDATE CONSTRAINT` failed leaves one behind; the next revision validates it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub referenced_table: QualifiedName,
    pub referenced_columns: Vec<String>,
    #[serde(default, skip_serializing_if = "ReferentialAction::is_no_action")]
    pub on_delete: ReferentialAction,
    #[serde(default, skip_serializing_if = "ReferentialAction::is_no_action")]
    pub on_update: ReferentialAction,
    #[serde(default, skip_serializing_if = "Deferrable::is_not_deferrable")]
    pub deferrable: Deferrable,
    #[serde(default, skip_serializing_if = "MatchType::is_simple")]
    pub match_type: MatchType,
    /// Added `NOT VALID` and not validated since, as [`CheckConstraint::not_valid`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferentialAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl ReferentialAction {
    pub fn is_no_action(&self) -> bool {
        *self == ReferentialAction::NoAction
    }

    pub fn sql(self) -> &'static str {
        match self {
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deferrable {
    #[default]
    NotDeferrable,
    InitiallyImmediate,
    InitiallyDeferred,
}

impl Deferrable {
    pub fn is_not_deferrable(&self) -> bool {
        *self == Deferrable::NotDeferrable
    }

    /// The clause to append to a constraint definition; empty when not deferrable.
    pub fn sql(self) -> &'static str {
        match self {
            Deferrable::NotDeferrable => "",
            Deferrable::InitiallyImmediate => " DEFERRABLE INITIALLY IMMEDIATE",
            Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchType {
    #[default]
    Simple,
    Full,
    Partial,
}

impl MatchType {
    pub fn is_simple(&self) -> bool {
        *self == MatchType::Simple
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    pub keys: Vec<IndexKey>,
    /// `btree`, `hash`, `gin`, ... as the database names the access method.
    pub method: String,
    /// The partial-index predicate, without `WHERE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// Non-key columns (`INCLUDE (..)`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
    /// PostgreSQL marks the index invalid (`pg_index.indisvalid` false): a `CREATE INDEX
    /// CONCURRENTLY` that failed or is still running (kept up to date but never used; the next
    /// revision drops it and builds it again), or an index built `ON ONLY` a partitioned table
    /// that not every partition's index is attached to yet (built so again: `ddl::create_index`
    /// writes `ON ONLY` for it, which on a plain table builds a valid index).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub invalid: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexKey {
    pub target: IndexTarget,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub descending: bool,
    /// `Some` only when it differs from the default for the order (NULLS LAST ascending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nulls_first: Option<bool>,
    /// Operator class, only when not the type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// MySQL's index prefix length (`name(10)`): only the first characters or bytes are indexed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u32>,
}

impl IndexKey {
    pub fn column(name: impl Into<String>) -> IndexKey {
        IndexKey {
            target: IndexTarget::Column(name.into()),
            descending: false,
            nulls_first: None,
            opclass: None,
            collation: None,
            length: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexTarget {
    Column(String),
    /// An expression as the database prints it (`lower((email)::text)`).
    Expression(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    pub name: String,
    /// In declaration order, which is the type's sort order.
    pub labels: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A standalone sequence (not an identity column's internal one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    pub name: String,
    pub options: SequenceOptions,
    /// The column that owns it (`serial`, `OWNED BY`); dropping the column drops the sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<SequenceOwner>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOwner {
    pub table: QualifiedName,
    pub column: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOptions {
    /// `smallint`, `integer` or `bigint`.
    pub data_type: ColumnType,
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    pub cycle: bool,
}

impl SequenceOptions {
    /// PostgreSQL's defaults for a sequence of `data_type`, what `serial` and a bare identity get.
    pub fn postgres_default(data_type: ColumnType) -> SequenceOptions {
        let max_value = if data_type == ColumnType::SmallInt {
            i64::from(i16::MAX)
        } else if data_type == ColumnType::Integer {
            i64::from(i32::MAX)
        } else {
            i64::MAX
        };
        SequenceOptions {
            data_type,
            start: 1,
            increment: 1,
            min_value: 1,
            max_value,
            cache: 1,
            cycle: false,
        }
    }
}
