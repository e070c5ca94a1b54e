//! The random schemas of the property tests: a [`Spec`] is a set of tables (and an enum) over a
//! fixed universe of names, so that two specs overlap and their difference is a mix of every
//! change: tables added and dropped, columns added, dropped, retyped, narrowed, widened, made
//! nullable or NOT NULL, given or stripped of defaults (constants and expressions), unique
//! keys, indexes (single, multi-column, expression, partial), checks, foreign keys (between
//! tables and to the table itself, with actions), primary keys (identity or not, single or
//! composite), enum labels added, removed and reordered, comments, a serial column (an owned
//! sequence), a table moved to another schema, and a wide set of column types.
//!
//! A spec is written as native autogen models ([`text`]), so the model reader is exercised too;
//! each dialect leaves out what it cannot say (schemas, sequences and comments beyond
//! PostgreSQL, expression and partial indexes on MariaDB, ...), each omission commented where
//! it is made.

use autogen_schema::Dialect;
use proptest::prelude::*;

/// The enum's labels beyond `happy`, which every spec keeps (the rows use it).
const MOODS: [&str; 3] = ["sad", "meh", "angry"];

#[derive(Debug, Clone)]
pub struct Spec {
    /// The labels of the enum `mood` in order, `happy` among them; `None`: no enum.
    pub mood: Option<Vec<&'static str>>,
    pub tables: Vec<Table>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub name: &'static str,
    /// PostgreSQL: the table lives in the schema `app` (elsewhere: ignored).
    pub in_app: bool,
    pub key: Key,
    pub comment: bool,
    pub name_col: Option<Name>,
    pub score: Option<Score>,
    pub price: Option<u8>,
    pub active: Option<Option<bool>>,
    pub created: Option<bool>,
    pub mood: Option<(bool, bool)>,
    pub owner: Option<(Action, bool)>,
    pub payload: bool,
    pub serial: bool,
    /// Nullable columns of one type each ([`TYPED`]), by index.
    pub typed: Vec<usize>,
    pub multi_index: bool,
    pub unique_pair: bool,
    pub expr_index: bool,
    pub partial_index: bool,
    pub table_check: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// `id` with an identity (auto-increment, rowid alias).
    Identity,
    /// `id` without one.
    Plain,
    /// `(id, code)`.
    Composite,
}

#[derive(Debug, Clone, Copy)]
pub enum Action {
    None,
    Cascade,
    SetNull,
    Restrict,
}

#[derive(Debug, Clone)]
pub struct Name {
    pub max_length: Option<u16>,
    pub nullable: bool,
    pub unique: bool,
    pub default: bool,
    pub comment: bool,
}

#[derive(Debug, Clone)]
pub struct Score {
    /// 0 `i16`, 1 `i32`, 2 `i64`.
    pub width: u8,
    pub nullable: bool,
    pub default: Option<u8>,
    pub check: bool,
    pub index: bool,
}

/// Nullable columns, one type each, so no change crosses type families (a cast PostgreSQL
/// refuses is the user's to write): `(column, Rust type, dialects)`.
pub const TYPED: [(&str, &str, &[Dialect]); 12] = [
    ("ratio", "f64", ALL),
    ("weight", "f32", ALL),
    ("day", "chrono::NaiveDate", ALL),
    ("stamp", "chrono::NaiveDateTime", ALL),
    ("uid", "uuid::Uuid", ALL),
    ("doc", "serde_json::Value", ALL),
    ("letter", "char", ALL),
    ("counter", "u32", ALL),
    ("huge", "i128", ALL),
    ("tiny", "u8", ALL),
    ("ints", "Vec<i32>", &[Dialect::Postgres]),
    ("span", "chrono::Duration", &[Dialect::Postgres]),
];

const ALL: &[Dialect] = &[Dialect::Postgres, Dialect::MySql, Dialect::Sqlite];

/// The tables: `users` is what foreign keys point at.
const TABLES: [&str; 3] = ["users", "posts", "tags"];

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::None),
        Just(Action::Cascade),
        Just(Action::SetNull),
        Just(Action::Restrict)
    ]
}

fn name_column() -> impl Strategy<Value = Name> {
    (
        prop::option::of(prop_oneof![Just(50u16), Just(100)]),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(max_length, nullable, unique, default, comment)| Name {
            max_length,
            nullable,
            unique,
            default,
            comment,
        })
}

fn score() -> impl Strategy<Value = Score> {
    (
        0u8..3,
        any::<bool>(),
        prop::option::of(prop_oneof![Just(0u8), Just(5)]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(width, nullable, default, check, index)| Score {
            width,
            nullable,
            default,
            check,
            index,
        })
}

fn table(name: &'static str) -> impl Strategy<Value = Table> {
    let key = if name == "users" {
        // Foreign keys point at `users.id`: always its one-column key.
        prop_oneof![Just(Key::Identity), Just(Key::Plain)].boxed()
    } else {
        prop_oneof![Just(Key::Identity), Just(Key::Plain), Just(Key::Composite)].boxed()
    };
    let columns = (
        prop::option::of(name_column()),
        prop::option::of(score()),
        prop::option::of(prop_oneof![Just(10u8), Just(12)]),
        prop::option::of(prop::option::of(any::<bool>())),
        prop::option::of(any::<bool>()),
        prop::option::of((any::<bool>(), any::<bool>())),
        prop::option::of((action(), any::<bool>())),
        any::<bool>(),
        any::<bool>(),
        prop::collection::btree_set(0..TYPED.len(), 0..3),
    );
    let extras = (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    );
    (key, columns, extras).prop_map(
        move |(
            key,
            (name_col, score, price, active, created, mood, owner, payload, serial, typed),
            (in_app, comment, multi_index, unique_pair, expr_index, partial_index, table_check),
        )| Table {
            name,
            // Only `tags` moves between schemas: one table is enough to move.
            in_app: in_app && name == "tags",
            key,
            comment,
            name_col,
            score,
            price,
            active,
            created,
            mood,
            owner,
            payload,
            serial,
            typed: typed.into_iter().collect(),
            multi_index,
            unique_pair,
            expr_index,
            partial_index,
            table_check,
        },
    )
}

pub fn spec() -> impl Strategy<Value = Spec> {
    let mood = prop::option::of(
        (
            prop::sample::subsequence(MOODS.to_vec(), 0..=MOODS.len()),
            0usize..4,
            any::<bool>(),
        )
            .prop_map(|(mut labels, at, reverse)| {
                if reverse {
                    labels.reverse();
                }
                labels.insert(at.min(labels.len()), "happy");
                labels
            }),
    );
    let tables = (
        prop::option::of(table(TABLES[0])),
        prop::option::of(table(TABLES[1])),
        prop::option::of(table(TABLES[2])),
    );
    (mood, tables).prop_map(|(mood, (users, posts, tags))| {
        let mut tables: Vec<Table> = [users, posts, tags].into_iter().flatten().collect();
        if tables.is_empty() {
            // An empty models path is an error, not "drop everything": one table at least.
            tables.push(Table {
                name: "users",
                in_app: false,
                key: Key::Identity,
                comment: false,
                name_col: None,
                score: None,
                price: None,
                active: None,
                created: None,
                mood: None,
                owner: None,
                payload: false,
                serial: false,
                typed: Vec::new(),
                multi_index: false,
                unique_pair: false,
                expr_index: false,
                partial_index: false,
                table_check: false,
            });
        }
        Spec { mood, tables }
    })
}

impl Table {
    /// The schema the table is in, for `dialect`.
    pub fn schema(&self, dialect: Dialect) -> Option<&'static str> {
        (dialect == Dialect::Postgres && self.in_app).then_some("app")
    }

    /// The table's name as SQL writes it (`app.tags`, `posts`).
    pub fn qualified(&self, dialect: Dialect) -> String {
        match self.schema(dialect) {
            Some(schema) => format!("{schema}.{}", self.name),
            None => self.name.to_owned(),
        }
    }

    /// The foreign key column: `parent_id` in `users` (to itself), `owner_id` elsewhere; none
    /// when `users` is not in the spec.
    fn owner(&self, spec: &Spec) -> Option<(&'static str, Action, bool)> {
        let (action, index) = self.owner?;
        spec.tables.iter().find(|t| t.name == "users")?;
        Some((
            if self.name == "users" {
                "parent_id"
            } else {
                "owner_id"
            },
            action,
            index,
        ))
    }

    /// `(column, SQL literal)` of one row that every spec's constraints accept, per dialect:
    /// the columns this table has in `spec`.
    pub fn row(&self, spec: &Spec, dialect: Dialect) -> Vec<(String, String)> {
        let mut row = vec![("id".to_owned(), "1".to_owned())];
        if self.key == Key::Composite {
            row.push(("code".to_owned(), "'c'".to_owned()));
        }
        if self.name_col.is_some() {
            row.push(("name".to_owned(), "'n'".to_owned()));
        }
        if self.score.is_some() {
            row.push(("score".to_owned(), "1".to_owned()));
        }
        if self.price.is_some() {
            row.push(("price".to_owned(), "1.5".to_owned()));
        }
        if self.active.is_some() {
            let t = if dialect == Dialect::Postgres {
                "true"
            } else {
                "1"
            };
            row.push(("active".to_owned(), t.to_owned()));
        }
        if self.created.is_some() {
            row.push(("created".to_owned(), "CURRENT_TIMESTAMP".to_owned()));
        }
        if self.mood.is_some() && spec.mood.is_some() {
            row.push(("mood".to_owned(), "'happy'".to_owned()));
        }
        // The foreign key, the payload and the typed columns stay NULL: they are nullable.
        row
    }
}

/// The spec as one native model file for `dialect`.
pub fn text(spec: &Spec, dialect: Dialect) -> String {
    let pg = dialect == Dialect::Postgres;
    let mut out = String::new();
    let enum_used = spec.mood.is_some();
    if let Some(labels) = &spec.mood {
        out.push_str("#[derive(autogen::Enum)]\n#[autogen(name = \"mood\")]\npub enum Mood {\n");
        for label in labels {
            out.push_str(&format!(
                "    #[autogen(value = \"{label}\")]\n    {},\n",
                heck_upper(label)
            ));
        }
        out.push_str("}\n\n");
    }
    for table in &spec.tables {
        let mut attrs = vec![format!("table = \"{}\"", table.name)];
        if let Some(schema) = table.schema(dialect) {
            attrs.push(format!("schema = \"{schema}\""));
        }
        // SQLite has no comments.
        if table.comment && dialect != Dialect::Sqlite {
            attrs.push(format!("comment = \"the {} table\"", table.name));
        }
        out.push_str("#[derive(autogen::Model)]\n");
        out.push_str(&format!("#[autogen({})]\n", attrs.join(", ")));
        let key = table.key;
        if key == Key::Composite {
            out.push_str("#[autogen(primary_key(id, code))]\n");
        }
        let has_name = table.name_col.is_some();
        let has_score = table.score.is_some();
        if table.multi_index && has_name && has_score {
            out.push_str("#[autogen(index(columns(name, score)))]\n");
        }
        if table.unique_pair && has_name && has_score {
            out.push_str("#[autogen(unique(columns(name, score)))]\n");
        }
        // MariaDB has no expression or partial indexes.
        if table.expr_index && has_name && dialect != Dialect::MySql {
            out.push_str("#[autogen(index(expr = \"lower(name)\"))]\n");
        }
        if table.partial_index && has_score && dialect != Dialect::MySql {
            out.push_str("#[autogen(index(columns(score), where = \"score > 0\"))]\n");
        }
        if table.table_check && has_score {
            out.push_str("#[autogen(check(expr = \"score < 1000000\"))]\n");
        }
        out.push_str(&format!("pub struct {} {{\n", heck_upper(table.name)));
        match key {
            Key::Identity => out.push_str("    #[autogen(primary_key)]\n    pub id: i64,\n"),
            Key::Plain => {
                out.push_str("    #[autogen(primary_key, identity = false)]\n    pub id: i64,\n")
            }
            Key::Composite => out.push_str(
                "    pub id: i64,\n    #[autogen(max_length = 20, backfill = \"c\")]\n    pub code: String,\n",
            ),
        }
        let mut field = |attrs: Vec<String>, decl: String| {
            if !attrs.is_empty() {
                out.push_str(&format!("    #[autogen({})]\n", attrs.join(", ")));
            }
            out.push_str(&format!("    pub {decl},\n"));
        };
        if let Some(name) = &table.name_col {
            let mut attrs = Vec::new();
            if let Some(n) = name.max_length {
                attrs.push(format!("max_length = {n}"));
            }
            if name.unique {
                attrs.push("unique".to_owned());
            }
            if name.default {
                attrs.push("default = \"anon\"".to_owned());
            } else if !name.nullable {
                attrs.push("backfill = \"b\"".to_owned());
            }
            if name.comment && dialect != Dialect::Sqlite {
                attrs.push("comment = \"what it is called\"".to_owned());
            }
            field(attrs, format!("name: {}", opt("String", name.nullable)));
        }
        if let Some(score) = &table.score {
            let mut attrs = Vec::new();
            match score.default {
                Some(d) => attrs.push(format!("default = {d}")),
                None if !score.nullable => attrs.push("backfill = 0".to_owned()),
                None => {}
            }
            if score.check {
                attrs.push("check = \"score >= 0\"".to_owned());
            }
            if score.index {
                attrs.push("index".to_owned());
            }
            let ty = ["i16", "i32", "i64"][usize::from(score.width)];
            field(attrs, format!("score: {}", opt(ty, score.nullable)));
        }
        if let Some(precision) = table.price {
            field(
                vec![format!("precision = {precision}, scale = 2")],
                "price: Option<rust_decimal::Decimal>".to_owned(),
            );
        }
        if let Some(default) = table.active {
            let attrs = match default {
                Some(d) => vec![format!("default = {d}")],
                None => vec!["backfill = false".to_owned()],
            };
            field(attrs, "active: bool".to_owned());
        }
        if let Some(with_default) = table.created {
            // NOT NULL only with a default: a NOT NULL timestamp without one has MariaDB
            // invent a default.
            if with_default {
                field(
                    vec!["default_sql = \"CURRENT_TIMESTAMP\"".to_owned()],
                    "created: chrono::DateTime<chrono::Utc>".to_owned(),
                );
            } else {
                field(
                    Vec::new(),
                    "created: Option<chrono::DateTime<chrono::Utc>>".to_owned(),
                );
            }
        }
        if let (Some((nullable, default)), true) = (table.mood, enum_used) {
            let mut attrs = Vec::new();
            if default {
                attrs.push("default = \"happy\"".to_owned());
            } else if !nullable {
                attrs.push("backfill = \"happy\"".to_owned());
            }
            field(attrs, format!("mood: {}", opt("Mood", nullable)));
        }
        if let Some((column, action, index)) = table.owner(spec) {
            // `users` never moves: from `app`, it is `public`'s.
            let target = if table.schema(dialect).is_some() {
                "public.users.id"
            } else {
                "users.id"
            };
            let mut attrs = vec![format!("references = \"{target}\"")];
            match action {
                Action::None => {}
                Action::Cascade => attrs.push("on_delete = \"cascade\"".to_owned()),
                Action::SetNull => attrs.push("on_delete = \"set null\"".to_owned()),
                Action::Restrict => attrs.push("on_update = \"restrict\"".to_owned()),
            }
            if index {
                attrs.push("index".to_owned());
            }
            field(attrs, format!("{column}: Option<i64>"));
        }
        if table.payload {
            field(Vec::new(), "payload: Option<Vec<u8>>".to_owned());
        }
        // A serial (an owned sequence) exists on PostgreSQL only.
        if table.serial && pg {
            field(
                vec!["sql_type = \"serial\"".to_owned()],
                "seq: i32".to_owned(),
            );
        }
        for &k in &table.typed {
            let (column, ty, dialects) = TYPED[k];
            if dialects.contains(&dialect) {
                field(Vec::new(), format!("{column}: Option<{ty}>"));
            }
        }
        out.push_str("}\n\n");
    }
    out
}

fn opt(ty: &str, nullable: bool) -> String {
    if nullable {
        format!("Option<{ty}>")
    } else {
        ty.to_owned()
    }
}

/// `posts` -> `Posts`.
fn heck_upper(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
