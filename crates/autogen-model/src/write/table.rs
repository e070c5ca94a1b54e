//! One table into one `#[derive(autogen::Model)]` struct. What the model keys cannot say (a
//! composite foreign key, a constraint name the keys have no place for, ...) is left out and
//! listed, in the file as a comment above the struct and in [`super::Unsaid`].

use std::collections::{BTreeMap, BTreeSet};

use autogen_schema::ddl::strip_outer_parens;
use autogen_schema::naming::{index_column_names, make_object_name, name_addition};
use autogen_schema::{
    Column, ColumnType, Deferrable, Dialect, ForeignKey, Index, IndexKey, IndexTarget, MatchType,
    QualifiedName, ReferentialAction, Schema, SequenceOptions, Table,
};

use crate::defaults::qualified;
use crate::enums::Enums;
use crate::expr::{figure_name, referenced_columns};
use crate::index_element::{self, Element, ElementTarget};
use crate::write::defaults::default_key;
use crate::write::names;
use crate::write::text::{Item, Key, attribute, comment};
use crate::write::types::field_type;

/// What the table writer needs to know beyond the table.
pub(crate) struct TableContext<'a> {
    pub schema: &'a Schema,
    pub name: QualifiedName,
    pub table: &'a Table,
    pub dialect: Dialect,
    /// The model's enum types, for literal defaults of enum columns.
    pub enums: &'a Enums,
    /// The Rust path of each enum type (PostgreSQL), as the table's file reaches it.
    pub enum_paths: &'a BTreeMap<QualifiedName, String>,
    /// The Rust path of the enum written for a MySQL inline enum column, by column.
    pub inline_enums: &'a BTreeMap<String, String>,
}

/// A table's struct text, and what it could not say.
pub(crate) struct WrittenTable {
    pub text: String,
    pub unsaid: Vec<String>,
    /// The serial sequences the struct says (`sql_type = "serial"`).
    pub sequences: Vec<QualifiedName>,
}

struct FieldOut {
    name: String,
    column: String,
    rust: String,
    keys: Vec<Key>,
}

fn is_bare(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A column in a list of names (`primary_key(..)`, `foreign_key(columns(..))`): bare when it
/// reads as a name, else a string taken as it is.
fn name_item(name: &str) -> Item {
    if is_bare(name) {
        Item::Ident(name.to_owned())
    } else {
        Item::Str(name.to_owned())
    }
}

/// A column of a unique's `columns(..)`: bare when it reads as a name, else an index element
/// with the name quoted.
fn index_column(name: &str) -> Item {
    if is_bare(name) {
        Item::Ident(name.to_owned())
    } else {
        Item::Str(index_element::write(&Element {
            target: ElementTarget::Column(name.to_owned()),
            length: None,
            collation: None,
            opclass: None,
            descending: false,
            nulls_first: None,
        }))
    }
}

pub(crate) fn write_table(cx: &TableContext<'_>, struct_name: &str) -> WrittenTable {
    let table = cx.table;
    let t = &cx.name.name;
    let mut unsaid: Vec<String> = Vec::new();
    let mut struct_keys: Vec<Vec<Key>> = Vec::new();
    let mut sequences = Vec::new();

    let mut head = Vec::new();
    if crate::case::snake_case(struct_name) != *t {
        head.push(Key::Str("table", t.clone()));
    }
    if cx.name.schema != cx.dialect.default_schema() {
        head.push(Key::Str("schema", cx.name.schema.clone()));
    }
    if !head.is_empty() {
        struct_keys.push(head);
    }
    if let Some(text) = &table.comment {
        struct_keys.push(vec![Key::Str("comment", text.clone())]);
    }
    let mut options = Vec::new();
    if table.options.strict {
        options.push(Key::Flag("strict"));
    }
    if table.options.without_rowid {
        options.push(Key::Flag("without_rowid"));
    }
    if !options.is_empty() {
        struct_keys.push(options);
    }

    // Fields, with the keys that belong to one column.
    let mut taken = BTreeSet::new();
    let mut fields: Vec<FieldOut> = table
        .columns
        .iter()
        .map(|c| {
            let name = names::field(&c.name, &mut taken);
            let mut keys = Vec::new();
            if names::field_column(&name) != c.name {
                keys.push(Key::Str("column", c.name.clone()));
            }
            FieldOut {
                name,
                column: c.name.clone(),
                rust: String::new(),
                keys,
            }
        })
        .collect();

    let primary_key: Vec<String> = table
        .primary_key
        .as_ref()
        .map(|pk| pk.columns.clone())
        .unwrap_or_default();
    match &table.primary_key {
        // A table without a primary key says so, or the reader asks for one.
        None => struct_keys.push(vec![Key::Raw("primary_key", "false".to_owned())]),
        Some(pk) => {
            // MySQL names every primary key `PRIMARY`; the reader knows that.
            let default = make_object_name(t, None, "pkey");
            let named = cx.dialect != Dialect::MySql && pk.name != default;
            match pk.columns.as_slice() {
                [one] if !named => {
                    if let Some(f) = fields.iter_mut().find(|f| f.column == *one) {
                        f.keys.push(Key::Flag("primary_key"));
                    }
                }
                columns => {
                    let mut items: Vec<Item> = columns.iter().map(|c| name_item(c)).collect();
                    if named {
                        items.push(Item::Key(Key::Str("name", pk.name.clone())));
                    }
                    struct_keys.push(vec![Key::List("primary_key", items)]);
                }
            }
        }
    }

    // Foreign keys: one column of the default name on its field, the others on the struct.
    let mut field_references: BTreeMap<String, &ForeignKey> = BTreeMap::new();
    for fk in table.foreign_keys.values() {
        if let Err(why) = sayable(cx, fk) {
            unsaid.push(format!("foreign key `{}`: {why}", fk.name));
            continue;
        }
        let default = make_object_name(t, Some(&name_addition(&fk.columns)), "fkey");
        // A field's `references` says the plain key; anything more is the struct's form.
        let plain = fk.deferrable.is_not_deferrable() && fk.match_type.is_simple() && !fk.not_valid;
        match (fk.columns.as_slice(), fk.referenced_columns.as_slice()) {
            ([column], [_])
                if plain && fk.name == default && !field_references.contains_key(column) =>
            {
                field_references.insert(column.clone(), fk);
            }
            _ => struct_keys.push(vec![struct_foreign_key(cx, fk, &default)]),
        }
    }

    for (column, f) in table.columns.iter().zip(fields.iter_mut()) {
        let single_key = primary_key.len() == 1 && primary_key[0] == column.name;
        let reference = field_references.get(&column.name).copied();
        column_keys(
            cx,
            column,
            single_key,
            reference,
            f,
            &mut unsaid,
            &mut sequences,
        );
    }

    uniques(cx, &mut fields, &mut struct_keys);
    indexes(cx, &mut fields, &mut struct_keys);
    checks(cx, &mut struct_keys);

    for f in &mut fields {
        f.keys.sort_by_key(key_rank);
    }
    let mut text = String::new();
    if !unsaid.is_empty() {
        text.push_str(&comment(
            &format!(
                "Not said by this model (the model keys have no place for it): {}.",
                unsaid.join("; ")
            ),
            0,
        ));
    }
    text.push_str("#[derive(autogen::Model)]\n");
    for keys in &struct_keys {
        text.push_str(&attribute(keys, 0));
    }
    text.push_str(&format!("pub struct {struct_name} {{\n"));
    for f in &fields {
        if !f.keys.is_empty() {
            text.push_str(&attribute(&f.keys, 4));
        }
        text.push_str(&format!("    pub {}: {},\n", f.name, f.rust));
    }
    text.push_str("}\n");
    WrittenTable {
        text,
        unsaid: unsaid
            .into_iter()
            .map(|u| format!("{}: {u}", cx.name))
            .collect(),
        sequences,
    }
}

/// Field keys in one order: what the column is, then its constraints, then its default and
/// comment.
fn key_rank(key: &Key) -> usize {
    const ORDER: &[&str] = &[
        "primary_key",
        "identity",
        "column",
        "sql_type",
        "max_length",
        "precision",
        "scale",
        "collation",
        "generated",
        "stored",
        "unique",
        "index",
        "references",
        "on_delete",
        "on_update",
        "default",
        "default_sql",
        "comment",
    ];
    let name = match key {
        Key::Flag(k) | Key::Str(k, _) | Key::Raw(k, _) | Key::List(k, _) => k,
    };
    ORDER.iter().position(|k| k == name).unwrap_or(ORDER.len())
}

/// Why a foreign key cannot be said by the models, if it cannot.
fn sayable(cx: &TableContext<'_>, fk: &ForeignKey) -> Result<(), String> {
    if fk.match_type == MatchType::Partial {
        return Err("MATCH PARTIAL".to_owned());
    }
    let target = &fk.referenced_table;
    let names = [&target.schema, &target.name]
        .into_iter()
        .chain(&fk.referenced_columns);
    if names.into_iter().any(|n| n.contains(['.', '(', ')', ','])) {
        return Err("a name with `.`, `(`, `)` or `,`, which `references` cannot spell".to_owned());
    }
    if referenced_table(cx, target).is_none() {
        return Err(format!(
            "it references `{target}`, a table outside the schemas written"
        ));
    }
    Ok(())
}

/// `foreign_key(columns(..), references = "table(..)", name = "..", on_delete = "..")`.
fn struct_foreign_key(cx: &TableContext<'_>, fk: &ForeignKey, default: &str) -> Key {
    let target = &fk.referenced_table;
    let table = if target.schema == cx.name.schema {
        target.name.clone()
    } else {
        format!("{}.{}", target.schema, target.name)
    };
    let mut keys = vec![
        Key::List("columns", fk.columns.iter().map(|c| name_item(c)).collect()),
        Key::Str(
            "references",
            format!("{table}({})", fk.referenced_columns.join(", ")),
        ),
    ];
    if fk.name != default {
        keys.push(Key::Str("name", fk.name.clone()));
    }
    keys.extend(action_key("on_delete", fk.on_delete));
    keys.extend(action_key("on_update", fk.on_update));
    keys.extend(deferrable_keys(fk.deferrable));
    if fk.match_type == MatchType::Full {
        keys.push(Key::Flag("match_full"));
    }
    if fk.not_valid {
        keys.push(Key::Flag("not_valid"));
    }
    Key::List("foreign_key", keys.into_iter().map(Item::Key).collect())
}

/// The table a foreign key references, found as the reader finds it (SQLite's names are
/// case-insensitive: `REFERENCES Users` is table `users`).
fn referenced_table<'a>(cx: &TableContext<'a>, target: &QualifiedName) -> Option<&'a Table> {
    cx.schema.table(target).or_else(|| {
        (cx.dialect == Dialect::Sqlite)
            .then(|| {
                cx.schema
                    .tables()
                    .find(|(name, _)| {
                        name.schema == target.schema && name.name.eq_ignore_ascii_case(&target.name)
                    })
                    .map(|(_, table)| table)
            })
            .flatten()
    })
}

fn deferrable_keys(deferrable: Deferrable) -> Vec<Key> {
    match deferrable {
        Deferrable::NotDeferrable => Vec::new(),
        Deferrable::InitiallyImmediate => vec![Key::Flag("deferrable")],
        Deferrable::InitiallyDeferred => {
            vec![Key::Flag("deferrable"), Key::Flag("initially_deferred")]
        }
    }
}

fn action_key(key: &'static str, action: ReferentialAction) -> Option<Key> {
    let text = match action {
        ReferentialAction::NoAction => return None,
        ReferentialAction::Restrict => "restrict",
        ReferentialAction::Cascade => "cascade",
        ReferentialAction::SetNull => "set null",
        ReferentialAction::SetDefault => "set default",
    };
    Some(Key::Str(key, text.to_owned()))
}

#[allow(clippy::too_many_arguments)]
fn column_keys(
    cx: &TableContext<'_>,
    column: &Column,
    single_key: bool,
    reference: Option<&ForeignKey>,
    f: &mut FieldOut,
    unsaid: &mut Vec<String>,
    sequences: &mut Vec<QualifiedName>,
) {
    let serial = serial_type(cx, column);
    let enum_path = if column.ty.is_mysql_enum() {
        cx.inline_enums.get(&column.name).cloned()
    } else {
        column
            .ty
            .enum_name()
            .and_then(|name| cx.enum_paths.get(name).cloned())
    };
    let integer = matches!(
        column.ty,
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
    );
    match (&serial, &enum_path) {
        (Some((text, sequence)), _) => {
            f.rust = rust_integer(&column.ty).to_owned();
            f.keys.push(Key::Str("sql_type", (*text).to_owned()));
            sequences.push(sequence.clone());
        }
        (None, Some(path)) if column.ty.is_mysql_enum() => f.rust = path.clone(),
        (None, enum_path) => {
            match field_type(
                &column.ty,
                cx.dialect,
                enum_path.as_deref().unwrap_or("String"),
            ) {
                Ok(ty) => {
                    f.rust = ty.rust;
                    f.keys.extend(ty.keys);
                }
                Err(why) => {
                    unsaid.push(format!("column `{}`: {why}", column.name));
                    f.rust = "String".to_owned();
                }
            }
        }
    }
    // What the reader decides on its own: a lone integer key numbers itself.
    let auto_identity = single_key
        && integer
        && serial.is_none()
        && column.default.is_none()
        && reference.is_none();
    match &column.identity {
        Some(identity) => {
            let options_default = identity
                .sequence
                .as_deref()
                .is_none_or(|s| *s == SequenceOptions::postgres_default(column.ty.clone()));
            if !options_default {
                unsaid.push(format!(
                    "column `{}`: the identity's sequence options",
                    column.name
                ));
            }
            match identity.kind {
                autogen_schema::IdentityKind::Always => {
                    f.keys.push(Key::Str("identity", "always".to_owned()))
                }
                autogen_schema::IdentityKind::ByDefault
                | autogen_schema::IdentityKind::AutoIncrement => {
                    if !auto_identity {
                        f.keys.push(Key::Flag("identity"));
                    }
                }
            }
        }
        None if auto_identity => f.keys.push(Key::Raw("identity", "false".to_owned())),
        None => {}
    }
    if let Some(fk) = reference {
        let target = &fk.referenced_table;
        let text = if target.schema == cx.name.schema {
            format!("{}.{}", target.name, fk.referenced_columns[0])
        } else {
            format!(
                "{}.{}.{}",
                target.schema, target.name, fk.referenced_columns[0]
            )
        };
        f.keys.push(Key::Str("references", text));
        f.keys.extend(action_key("on_delete", fk.on_delete));
        f.keys.extend(action_key("on_update", fk.on_update));
    }
    if serial.is_none()
        && let Some(default) = &column.default
    {
        f.keys
            .push(default_key(default, &column.ty, cx.dialect, cx.enums));
    }
    if let Some(generated) = &column.generated {
        f.keys
            .push(Key::Str("generated", generated.expression.clone()));
        if generated.stored {
            f.keys.push(Key::Flag("stored"));
        }
    }
    if let Some(collation) = &column.collation {
        f.keys.push(Key::Str("collation", collation.clone()));
    }
    if let Some(text) = &column.comment {
        f.keys.push(Key::Str("comment", text.clone()));
    }
    // SQLite's key columns may hold NULL unless NOT NULL is declared (not the rowid's).
    let nullable_key = cx.dialect == Dialect::Sqlite && !cx.table.options.without_rowid;
    let nullable = column.nullable
        && (nullable_key || !single_key)
        && column.identity.is_none()
        && serial.is_none();
    if column.nullable && !nullable {
        unsaid.push(format!(
            "column `{}`: NULL allowed in a key or identity column",
            column.name
        ));
    }
    if nullable {
        f.rust = format!("Option<{}>", f.rust);
    }
}

fn rust_integer(ty: &ColumnType) -> &'static str {
    if *ty == ColumnType::SmallInt {
        "i16"
    } else if *ty == ColumnType::Integer {
        "i32"
    } else {
        "i64"
    }
}

/// `serial`, `bigserial` or `smallserial` with the sequence it stands for, when the column is
/// exactly what the reader makes of that `sql_type`: an owned sequence of PostgreSQL's default
/// name and options, and its `nextval` default.
fn serial_type(cx: &TableContext<'_>, column: &Column) -> Option<(&'static str, QualifiedName)> {
    if cx.dialect != Dialect::Postgres || column.identity.is_some() {
        return None;
    }
    let text = [
        (ColumnType::SmallInt, "smallserial"),
        (ColumnType::Integer, "serial"),
        (ColumnType::BigInt, "bigserial"),
    ]
    .into_iter()
    .find(|(ty, _)| *ty == column.ty)?
    .1;
    let name = QualifiedName::new(
        cx.name.schema.clone(),
        make_object_name(&cx.name.name, Some(&column.name), "seq"),
    );
    let sequence = cx
        .schema
        .schemas
        .get(&name.schema)?
        .sequences
        .get(&name.name)?;
    let owned = sequence
        .owned_by
        .as_ref()
        .is_some_and(|o| o.table == cx.name && o.column == column.name);
    let default = format!(
        "nextval('{}'::regclass)",
        qualified(&name).replace('\'', "''")
    );
    (owned
        && sequence.options == SequenceOptions::postgres_default(column.ty.clone())
        && column.default.as_deref() == Some(default.as_str()))
    .then_some((text, name))
}

/// Unique constraints: one column of the default name on its field, the others on the struct.
fn uniques(cx: &TableContext<'_>, fields: &mut [FieldOut], struct_keys: &mut Vec<Vec<Key>>) {
    let t = &cx.name.name;
    for unique in cx.table.uniques.values() {
        let plain = !unique.nulls_not_distinct && unique.deferrable.is_not_deferrable();
        let default = make_object_name(t, Some(&name_addition(&unique.columns)), "key");
        if let [one] = unique.columns.as_slice()
            && plain
            && unique.name == default
            && let Some(f) = fields.iter_mut().find(|f| f.column == *one)
        {
            f.keys.push(Key::Flag("unique"));
            continue;
        }
        let mut keys = vec![Key::List(
            "columns",
            unique.columns.iter().map(|c| index_column(c)).collect(),
        )];
        if unique.name != default {
            keys.push(Key::Str("name", unique.name.clone()));
        }
        if unique.nulls_not_distinct {
            keys.push(Key::Flag("nulls_not_distinct"));
        }
        keys.extend(deferrable_keys(unique.deferrable));
        struct_keys.push(vec![Key::List(
            "unique",
            keys.into_iter().map(Item::Key).collect(),
        )]);
    }
}

/// Index keys as `columns(..)` (plain names, or elements with their order), or as `expr`
/// when every key is a bare expression; with the names PostgreSQL's default index name is
/// made of.
fn index_keys(keys: &[IndexKey]) -> (Key, Vec<String>) {
    let names: Vec<String> = keys
        .iter()
        .map(|k| match &k.target {
            IndexTarget::Column(c) => c.clone(),
            IndexTarget::Expression(e) => figure_name(e),
        })
        .collect();
    let bare = |k: &IndexKey| {
        !k.descending
            && k.nulls_first.is_none()
            && k.opclass.is_none()
            && k.collation.is_none()
            && k.length.is_none()
    };
    let expressions: Option<Vec<&String>> = keys
        .iter()
        .map(|k| match &k.target {
            IndexTarget::Expression(e) if bare(k) => Some(e),
            IndexTarget::Expression(_) | IndexTarget::Column(_) => None,
        })
        .collect();
    if let Some(expressions) = expressions {
        let text: Vec<&str> = expressions.iter().map(|e| e.as_str()).collect();
        return (Key::Str("expr", text.join(", ")), names);
    }
    let items = keys
        .iter()
        .map(|k| {
            let element = Element {
                target: match &k.target {
                    IndexTarget::Column(c) => ElementTarget::Column(c.clone()),
                    IndexTarget::Expression(e) => ElementTarget::Expression(e.clone()),
                },
                length: k.length,
                collation: k.collation.clone(),
                opclass: k.opclass.clone(),
                descending: k.descending,
                nulls_first: k.nulls_first,
            };
            match &k.target {
                IndexTarget::Column(c) if bare(k) && is_bare(c) => Item::Ident(c.clone()),
                IndexTarget::Column(_) | IndexTarget::Expression(_) => {
                    Item::Str(index_element::write(&element))
                }
            }
        })
        .collect();
    (Key::List("columns", items), names)
}

fn indexes(cx: &TableContext<'_>, fields: &mut [FieldOut], struct_keys: &mut Vec<Vec<Key>>) {
    let t = &cx.name.name;
    for index in cx.table.indexes.values() {
        struct_keys.extend(index_entry(t, index, fields));
    }
}

fn index_entry(t: &str, index: &Index, fields: &mut [FieldOut]) -> Option<Vec<Key>> {
    let (keys_key, names) = index_keys(&index.keys);
    let default = make_object_name(t, Some(&name_addition(&index_column_names(&names))), "idx");
    let btree = index.method == "btree";
    let plain_columns = index.keys.iter().all(|k| {
        matches!(k.target, IndexTarget::Column(_))
            && !k.descending
            && k.nulls_first.is_none()
            && k.opclass.is_none()
            && k.collation.is_none()
            && k.length.is_none()
    });
    if !index.unique
        && btree
        && plain_columns
        && index.include.is_empty()
        && !index.nulls_not_distinct
        && index.predicate.is_none()
        && index.name == default
        && let [one] = names.as_slice()
        && let Some(f) = fields.iter_mut().find(|f| f.column == *one)
    {
        f.keys.push(Key::Flag("index"));
        return None;
    }
    let mut inner = vec![keys_key];
    if index.name != default {
        inner.push(Key::Str("name", index.name.clone()));
    }
    if !btree {
        inner.push(Key::Str("method", index.method.clone()));
    }
    if !index.include.is_empty() {
        inner.push(Key::List(
            "include",
            index.include.iter().map(|c| name_item(c)).collect(),
        ));
    }
    if let Some(predicate) = &index.predicate {
        inner.push(Key::Str("where", strip_outer_parens(predicate).to_owned()));
    }
    // A unique index is `index(.., unique)`: `unique(..)` of plain columns would be read as a
    // UNIQUE constraint, and `unique(..)` takes no method.
    if index.unique {
        inner.push(Key::Flag("unique"));
    }
    if index.nulls_not_distinct {
        inner.push(Key::Flag("nulls_not_distinct"));
    }
    Some(vec![Key::List(
        "index",
        inner.into_iter().map(Item::Key).collect(),
    )])
}

fn checks(cx: &TableContext<'_>, struct_keys: &mut Vec<Vec<Key>>) {
    let t = &cx.name.name;
    let columns: Vec<String> = cx.table.columns.iter().map(|c| c.name.clone()).collect();
    for check in cx.table.checks.values() {
        let expr = strip_outer_parens(&check.expression).to_owned();
        let mentioned = referenced_columns(&expr, &columns);
        let column = match mentioned.as_slice() {
            [one] => Some(one.as_str()),
            _ => None,
        };
        let default = make_object_name(t, column, "check");
        let mut inner = Vec::new();
        if check.name != default {
            inner.push(Key::Str("name", check.name.clone()));
        }
        inner.push(Key::Str("expr", expr));
        if check.no_inherit {
            inner.push(Key::Flag("no_inherit"));
        }
        if check.not_valid {
            inner.push(Key::Flag("not_valid"));
        }
        struct_keys.push(vec![Key::List(
            "check",
            inner.into_iter().map(Item::Key).collect(),
        )]);
    }
}
