//! One table into one entity module: the `Model` struct with its `#[sea_orm(..)]` keys, the
//! `Relation` enum, the `Related` impls and `ActiveModelBehavior`. Every key says what the
//! SeaORM reader (`crate::seaorm::build`) reads back: the names it compares are the names
//! SeaORM gives, so a constraint or index named otherwise is listed as unsaid.

use std::collections::{BTreeMap, BTreeSet};

use autogen_schema::ddl::strip_outer_parens;
use autogen_schema::naming::{make_object_name, truncate_identifier};
use autogen_schema::{
    ColumnType, Dialect, IndexTarget, QualifiedName, ReferentialAction, Schema, Table,
};
use heck::ToUpperCamelCase;

use super::types::{TypeContext, field_type};
use super::{BelongsTo, Relations, integer, numbered_as_seaorm, serial_sequence};
use crate::SeaOrmKeys;
use crate::attrs::Literal;
use crate::case::snake_case;
use crate::expr::referenced_columns;
use crate::seaorm::coltype::SeaType;
use crate::seaorm::defaults::literal_text;
use crate::write::defaults::literals;
use crate::write::names;
use crate::write::text::{Key, comment, named_attribute, string_literal};

pub(super) struct EntityContext<'a> {
    pub schema: &'a Schema,
    pub name: &'a QualifiedName,
    pub table: &'a Table,
    pub types: TypeContext,
    /// PostgreSQL enum types as active enums: Rust name and SeaORM type.
    pub active: &'a BTreeMap<QualifiedName, (String, SeaType)>,
    /// MySQL inline enums of this table, by column.
    pub inline: &'a BTreeMap<String, (String, SeaType)>,
    pub relations: Option<&'a Relations<'a>>,
}

pub(super) struct WrittenEntity {
    pub text: String,
    pub unsaid: Vec<String>,
    /// The sequences the entity says (a `serial` key's).
    pub sequences: Vec<QualifiedName>,
}

/// The field names of a table's columns, in column order (the same for every caller).
fn field_names(table: &Table) -> Vec<String> {
    let mut taken = BTreeSet::new();
    table
        .columns
        .iter()
        .map(|c| names::field(&c.name, &mut taken))
        .collect()
}

/// The `Column` variant `DeriveEntityModel` makes of a field.
fn variant(field: &str) -> String {
    names::field_column(field).to_upper_camel_case()
}

/// A name as PostgreSQL keeps it (cut to 63 bytes); the other backends keep it whole.
fn fit(dialect: Dialect, name: String) -> String {
    match dialect {
        Dialect::Postgres => truncate_identifier(&name).to_owned(),
        Dialect::MySql | Dialect::Sqlite => name,
    }
}

/// Per column, the constraint keys the table's constraints and indexes become.
#[derive(Default)]
struct ColumnFacts {
    unique: BTreeSet<String>,
    indexed: BTreeSet<String>,
    checks: BTreeMap<String, String>,
}

pub(super) fn write_entity(cx: &EntityContext<'_>) -> WrittenEntity {
    let table = cx.table;
    let dialect = cx.schema.dialect;
    let t = &cx.name.name;
    let mut unsaid = Vec::new();
    let mut sequences = Vec::new();
    let fields = field_names(table);

    let mut head = vec![Key::Str("table_name", t.clone())];
    if dialect == Dialect::Postgres && cx.name.schema != dialect.default_schema() {
        head.push(Key::Str("schema_name", cx.name.schema.clone()));
    }
    if let Some(text) = &table.comment {
        match dialect {
            Dialect::MySql => head.push(Key::Str("comment", text.clone())),
            Dialect::Postgres | Dialect::Sqlite => {
                unsaid.push("the table's comment (SeaORM writes none here)".to_owned())
            }
        }
    }

    let key_columns: Vec<String> = table
        .primary_key
        .as_ref()
        .map(|pk| pk.columns.clone())
        .unwrap_or_default();
    if let Some(pk) = &table.primary_key {
        let expected = match (dialect, pk.columns.len()) {
            (Dialect::MySql, _) => None,
            (Dialect::Postgres | Dialect::Sqlite, 1) => Some(make_object_name(t, None, "pkey")),
            (Dialect::Postgres | Dialect::Sqlite, _) => Some(fit(dialect, format!("pk-{t}"))),
        };
        // SeaORM's key is its `primary_key` fields, in field (column) order.
        let in_column_order: Vec<&String> = table
            .columns
            .iter()
            .map(|c| &c.name)
            .filter(|c| pk.columns.contains(c))
            .collect();
        if in_column_order != pk.columns.iter().collect::<Vec<_>>() {
            unsaid.push(format!(
                "primary key `{}` on ({}): SeaORM's key follows the columns' order",
                pk.name,
                pk.columns.join(", ")
            ));
        }
        if let Some(expected) = expected.filter(|e| *e != pk.name) {
            unsaid.push(format!(
                "primary key `{}`: SeaORM names it `{expected}`",
                pk.name
            ));
        }
    }
    let facts = column_facts(cx, &mut unsaid);

    let mut enum_imports = BTreeSet::new();
    let mut body = String::new();
    for (column, field) in table.columns.iter().zip(&fields) {
        let c = &column.name;
        let is_key = key_columns.contains(c);
        let single_key = is_key && key_columns.len() == 1;
        let mut keys = Vec::new();
        if is_key {
            keys.push(Key::Flag("primary_key"));
        }
        let mut numbered = false;
        if single_key && integer(&column.ty) {
            match numbered_as_seaorm(cx.schema, cx.name, column, cx.types.keys) {
                Ok(sequence) => {
                    numbered = true;
                    sequences
                        .extend(sequence.map(|s| QualifiedName::new(cx.name.schema.clone(), s)));
                }
                // SeaORM's one `integer` key on SQLite is the rowid, which a `WITHOUT ROWID`
                // table's key is not.
                Err(why) if column.identity.is_none() && why == "not numbered" => {
                    if dialect == Dialect::Sqlite && column.ty == ColumnType::Integer {
                        unsaid.push(format!(
                            "column `{c}`: an integer key that is not the rowid (SeaORM's one integer key on SQLite is)"
                        ));
                    }
                }
                Err(why) => unsaid.push(format!("column `{c}`: {why}")),
            }
        } else if column.identity.is_some() || serial_sequence(cx.schema, cx.name, column).is_some()
        {
            unsaid.push(format!(
                "column `{c}`: numbered, but the SeaORM reader numbers only a table's one key column of a signed integer type (smallint, integer, bigint)"
            ));
        }
        if is_key && !numbered {
            keys.push(Key::Raw("auto_increment", "false".to_owned()));
        }
        if snake_case(names::field_column(field)) != *c {
            keys.push(Key::Str("column_name", c.clone()));
        }
        // An enum column (or an array of one) is its active enum.
        let active = match column.ty.enum_name() {
            Some(name) => cx.active.get(name),
            None => cx.inline.get(c),
        };
        let rust = match field_type(
            &column.ty,
            cx.types,
            numbered,
            active.map(|(r, s)| (r.as_str(), s)),
        ) {
            Ok(ft) => {
                if let Some((r, _)) = active {
                    enum_imports.insert(r.clone());
                }
                if numbered && ft.column_type.is_some() {
                    unsaid.push(format!(
                        "column `{c}`: numbered, but its type is not one SeaORM numbers"
                    ));
                }
                if let Some(text) = ft.column_type {
                    keys.push(Key::Str("column_type", text));
                }
                ft.rust
            }
            Err(why) => {
                unsaid.push(format!("column `{c}`: {why}"));
                "String".to_owned()
            }
        };
        if facts.unique.contains(c) {
            keys.push(Key::Flag("unique"));
        }
        if facts.indexed.contains(c) {
            keys.push(Key::Flag("indexed"));
        }
        if let Some(default) = column.default.as_deref().filter(|_| !numbered) {
            keys.push(default_key(default, &column.ty));
        }
        if let Some(expr) = facts.checks.get(c) {
            keys.push(Key::Str("extra", format!("CHECK ({expr})")));
        }
        if let Some(text) = &column.comment {
            match dialect {
                Dialect::MySql => keys.push(Key::Str("comment", text.clone())),
                Dialect::Postgres | Dialect::Sqlite => unsaid.push(format!(
                    "column `{c}`: its comment (SeaORM writes none here)"
                )),
            }
        }
        if column.generated.is_some() {
            unsaid.push(format!("column `{c}`: generated (GENERATED ALWAYS AS ..)"));
        }
        if let Some(collation) = &column.collation {
            unsaid.push(format!("column `{c}`: collation `{collation}`"));
        }
        let rust = if column.nullable && !is_key {
            format!("Option<{rust}>")
        } else {
            rust
        };
        if !keys.is_empty() {
            body.push_str(&named_attribute("sea_orm", &keys, 4));
        }
        body.push_str(&format!("    pub {field}: {rust},\n"));
    }

    let (relation_enum, related) = relation_text(cx, &mut unsaid);

    let mut text = String::from("use sea_orm::entity::prelude::*;\n");
    if !enum_imports.is_empty() {
        let list: Vec<&str> = enum_imports.iter().map(String::as_str).collect();
        text.push_str(&match list.as_slice() {
            [one] => format!("use super::sea_orm_active_enums::{one};\n"),
            many => format!(
                "use super::sea_orm_active_enums::{{{}}};\n",
                many.join(", ")
            ),
        });
    }
    text.push('\n');
    if !unsaid.is_empty() {
        text.push_str(&comment(
            &format!(
                "Not said by this entity (SeaORM entities have no place for it): {}.",
                unsaid.join("; ")
            ),
            0,
        ));
    }
    text.push_str("#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]\n");
    text.push_str(&named_attribute("sea_orm", &head, 0));
    text.push_str("pub struct Model {\n");
    text.push_str(&body);
    text.push_str("}\n\n");
    text.push_str(&relation_enum);
    text.push_str(&related);
    text.push_str("impl ActiveModelBehavior for ActiveModel {}\n");
    WrittenEntity {
        text,
        unsaid,
        sequences,
    }
}

/// The uniques, indexes and checks SeaORM's column keys can say (`unique`, `indexed`,
/// `extra = "CHECK (..)"`), each on its column; the others are listed.
fn column_facts(cx: &EntityContext<'_>, unsaid: &mut Vec<String>) -> ColumnFacts {
    let table = cx.table;
    let dialect = cx.schema.dialect;
    let t = &cx.name.name;
    let mut facts = ColumnFacts::default();
    for u in table.uniques.values() {
        if u.nulls_not_distinct {
            unsaid.push(format!("unique `{}`: NULLS NOT DISTINCT", u.name));
            continue;
        }
        if !u.deferrable.is_not_deferrable() {
            unsaid.push(format!("unique `{}`: DEFERRABLE", u.name));
            continue;
        }
        let [one] = u.columns.as_slice() else {
            unsaid.push(format!(
                "unique `{}` on ({}): SeaORM 1.x entities say one-column uniques only",
                u.name,
                u.columns.join(", ")
            ));
            continue;
        };
        let expected = match dialect {
            Dialect::MySql => one.clone(),
            Dialect::Postgres | Dialect::Sqlite => make_object_name(t, Some(one), "key"),
        };
        if u.name != expected || !facts.unique.insert(one.clone()) {
            unsaid.push(format!(
                "unique `{}`: SeaORM names the unique of column `{one}` `{expected}`",
                u.name
            ));
        }
    }
    for index in table.indexes.values() {
        let column = match index.keys.as_slice() {
            [k] if !k.descending
                && k.nulls_first.is_none()
                && k.opclass.is_none()
                && k.collation.is_none()
                && k.length.is_none() =>
            {
                match &k.target {
                    IndexTarget::Column(c) => Some(c.clone()),
                    IndexTarget::Expression(_) => None,
                }
            }
            _ => None,
        };
        // The index InnoDB adds for a foreign key is the server's, not the models'.
        let innodb = dialect == Dialect::MySql
            && !index.unique
            && table.foreign_keys.values().any(|fk| {
                fk.name == index.name
                    && index.keys.len() == fk.columns.len()
                    && index
                        .keys
                        .iter()
                        .zip(&fk.columns)
                        .all(|(k, c)| matches!(&k.target, IndexTarget::Column(kc) if kc == c))
            });
        if innodb {
            continue;
        }
        let plain = !index.unique
            && index.method == "btree"
            && index.predicate.is_none()
            && index.include.is_empty()
            && !index.nulls_not_distinct;
        match column {
            Some(c) if plain && index.name == fit(dialect, format!("idx-{t}-{c}")) => {
                if cx.types.keys == SeaOrmKeys::Identity && facts.unique.contains(&c) {
                    unsaid.push(format!(
                        "index `{}`: SeaORM 2.x leaves out the index of a unique column",
                        index.name
                    ));
                } else {
                    facts.indexed.insert(c);
                }
            }
            Some(_) | None => unsaid.push(format!(
                "index `{}`: SeaORM 1.x entities say only `indexed`, a plain one-column index named `idx-{t}-<column>`",
                index.name
            )),
        }
    }
    let columns: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    for check in table.checks.values() {
        if check.no_inherit {
            unsaid.push(format!("check `{}`: NO INHERIT", check.name));
            continue;
        }
        if check.not_valid {
            unsaid.push(format!("check `{}`: NOT VALID", check.name));
            continue;
        }
        let expr = strip_outer_parens(&check.expression).to_owned();
        // The column whose `extra = "CHECK (..)"` SeaORM names as the database named this one.
        let place = match dialect {
            Dialect::Postgres => {
                let mentioned = referenced_columns(&expr, &columns);
                let one = match mentioned.as_slice() {
                    [one] => Some(one.as_str()),
                    _ => None,
                };
                (make_object_name(t, one, "check") == check.name)
                    .then(|| {
                        one.map(str::to_owned).or_else(|| {
                            columns
                                .iter()
                                .find(|c| !facts.checks.contains_key(*c))
                                .cloned()
                        })
                    })
                    .flatten()
            }
            Dialect::MySql => columns.iter().find(|c| **c == check.name).cloned(),
            Dialect::Sqlite => columns
                .iter()
                .find(|c| make_object_name(t, Some(c), "check") == check.name)
                .cloned(),
        };
        match place {
            Some(c) if !facts.checks.contains_key(&c) => {
                facts.checks.insert(c, expr);
            }
            Some(_) | None => unsaid.push(format!(
                "check `{}`: SeaORM says a check as one column's `extra = \"CHECK (..)\"`, named after that column",
                check.name
            )),
        }
    }
    facts
}

/// A column's default: `default_value` when SeaORM writes the literal as the database prints
/// it (a string literal's cast to its own string type aside), else
/// `default_expr = "Expr::cust(..)"` with the database's text.
fn default_key(default: &str, ty: &ColumnType) -> Key {
    let string_type = matches!(
        ty,
        ColumnType::Text | ColumnType::Varchar { .. } | ColumnType::Char { .. }
    );
    for (literal, rust) in literals(default) {
        let Some(text) = literal_text(&literal) else {
            continue;
        };
        let same = match &literal {
            Literal::Bool(_) => text.eq_ignore_ascii_case(default),
            Literal::Int(_) | Literal::Float(_) => text == default && !text.starts_with('-'),
            Literal::Str(_) => {
                text == default
                    || string_type
                        && default
                            .strip_prefix(text.as_str())
                            .is_some_and(|cast| cast.starts_with("::"))
            }
            Literal::Other => false,
        };
        if same {
            return Key::Raw("default_value", rust);
        }
    }
    Key::Str(
        "default_expr",
        format!("Expr::cust({})", string_literal(default)),
    )
}

fn action(action: ReferentialAction) -> &'static str {
    match action {
        ReferentialAction::NoAction => "NoAction",
        ReferentialAction::Restrict => "Restrict",
        ReferentialAction::Cascade => "Cascade",
        ReferentialAction::SetNull => "SetNull",
        ReferentialAction::SetDefault => "SetDefault",
    }
}

/// `Column::A` or `(Column::A, Column::B)`, with a path prefix for another entity's columns.
fn columns_text(prefix: &str, table: &Table, columns: &[String]) -> Option<String> {
    let fields = field_names(table);
    let parts: Option<Vec<String>> = columns
        .iter()
        .map(|c| {
            let i = table.columns.iter().position(|col| col.name == *c)?;
            Some(format!("{prefix}Column::{}", variant(&fields[i])))
        })
        .collect();
    let parts = parts?;
    Some(match parts.as_slice() {
        [one] => one.clone(),
        many => format!("({})", many.join(", ")),
    })
}

/// The `Relation` enum and the `Related` impls.
fn relation_text(cx: &EntityContext<'_>, unsaid: &mut Vec<String>) -> (String, String) {
    let dialect = cx.schema.dialect;
    let t = &cx.name.name;
    let mut variants = String::new();
    let empty = Relations::default();
    let relations = cx.relations.unwrap_or(&empty);
    for BelongsTo {
        fk,
        variant,
        target_module,
    } in &relations.belongs_to
    {
        let Some(target) = cx.schema.table(&fk.referenced_table) else {
            continue;
        };
        let (entity, prefix) = match target_module {
            Some(m) => (format!("super::{m}::Entity"), format!("super::{m}::")),
            None => ("Entity".to_owned(), String::new()),
        };
        let (Some(from), Some(to)) = (
            columns_text("", cx.table, &fk.columns),
            columns_text(&prefix, target, &fk.referenced_columns),
        ) else {
            unsaid.push(format!(
                "foreign key `{}`: a column it names is not in its table",
                fk.name
            ));
            continue;
        };
        if !fk.deferrable.is_not_deferrable() {
            unsaid.push(format!("foreign key `{}`: DEFERRABLE", fk.name));
        }
        if !fk.match_type.is_simple() {
            unsaid.push(format!("foreign key `{}`: MATCH FULL/PARTIAL", fk.name));
        }
        if fk.not_valid {
            unsaid.push(format!("foreign key `{}`: NOT VALID", fk.name));
        }
        let mut keys = vec![
            Key::Str("belongs_to", entity),
            Key::Str("from", from),
            Key::Str("to", to),
            Key::Str("on_update", action(fk.on_update).to_owned()),
            Key::Str("on_delete", action(fk.on_delete).to_owned()),
        ];
        match dialect {
            Dialect::Sqlite => {
                let expected = format!("{t}_{}_fkey", fk.columns.join("_"));
                if fk.name != expected {
                    unsaid.push(format!(
                        "foreign key `{}`: SeaORM leaves SQLite's foreign keys unnamed (`{expected}`)",
                        fk.name
                    ));
                }
            }
            Dialect::Postgres | Dialect::MySql => {
                if fk.name != fit(dialect, format!("fk-{t}-{}", fk.columns.join("-"))) {
                    keys.push(Key::Str("fk_name", fk.name.clone()));
                }
            }
        }
        variants.push_str(&named_attribute("sea_orm", &keys, 4));
        variants.push_str(&format!("    {variant},\n"));
    }
    for has in &relations.has_many {
        variants.push_str(&named_attribute(
            "sea_orm",
            &[Key::Str(
                "has_many",
                format!("super::{}::Entity", has.source_module),
            )],
            4,
        ));
        variants.push_str(&format!("    {},\n", has.variant));
    }
    let body = if variants.is_empty() {
        "{}".to_owned()
    } else {
        format!("{{\n{variants}}}")
    };
    let relation = format!(
        "#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]\npub enum Relation {body}\n\n"
    );
    let mut related = String::new();
    for (module, variant) in &relations.related {
        related.push_str(&format!(
            "impl Related<super::{module}::Entity> for Entity {{\n    fn to() -> RelationDef {{\n        Relation::{variant}.def()\n    }}\n}}\n\n"
        ));
    }
    (relation, related)
}
