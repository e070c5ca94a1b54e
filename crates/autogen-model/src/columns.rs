//! One field of a model into one column and what the field says about it (keys, reference,
//! check, rename, backfill). Table-wide decisions (primary key, identity, names) come later.

use autogen_schema::{Column, ColumnType, Dialect, IdentityKind, ReferentialAction};
use syn::Field;

use crate::ExprKind;
use crate::attrs::{Arg, Entry, autogen_entries};
use crate::defaults::literal_sql;
use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::enums::Enums;
use crate::keys::{self, KeySet};
use crate::naming;
use crate::output::BackfillAttr;
use crate::sqltext::Shape;
use crate::sqlx::{RenameAll, SqlxField};
use crate::types::{self, Modifiers, TypeContext};

const FIELD_KEYS: &[&str] = &[
    "primary_key",
    "identity",
    "column",
    "sql_type",
    "max_length",
    "precision",
    "scale",
    "unique",
    "index",
    "references",
    "on_delete",
    "on_update",
    "default",
    "default_sql",
    "check",
    "comment",
    "renamed_from",
    "skip",
    "backfill",
    "backfill_sql",
    "collation",
    "generated",
    "stored",
];

pub(crate) const ACTIONS: &str = "cascade, restrict, set null, set default, no action";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdentityKey {
    /// Nothing said: a single integer primary key gets one.
    Auto,
    Off,
    On(IdentityKind, Loc),
}

#[derive(Debug, Clone)]
pub(crate) struct Reference {
    pub schema: Option<String>,
    pub table: String,
    pub column: String,
    pub text: String,
    pub loc: Loc,
    pub on_delete: ReferentialAction,
    pub on_update: ReferentialAction,
}

#[derive(Debug, Clone)]
pub(crate) struct ColumnDef {
    pub field: String,
    /// The column name's place: the `column = ".."` value, else the field's name.
    pub loc: Loc,
    /// Name, type (when known), nullability from the Rust type, default, comment.
    pub column: Column,
    /// False when the type could not be read (and was reported): the column is kept so that
    /// other errors still show, but nothing that depends on its type is checked.
    pub type_known: bool,
    pub primary_key: bool,
    /// The field has a `primary_key` key, valid or not: no "missing primary key" on top of
    /// the error about its value.
    pub primary_key_given: bool,
    pub identity: IdentityKey,
    /// `sql_type = "serial"` and friends: an owned sequence and a `nextval` default.
    pub serial: bool,
    pub unique: bool,
    pub index: bool,
    // The rarely given keys are boxed: one of these per column of every model is alive at
    // once, and unboxed they tripled its size (5,000 models: 75,000 of them).
    pub reference: Option<Box<Reference>>,
    pub check: Option<Box<(String, Loc)>>,
    pub renamed_from: Option<Box<(String, Loc)>>,
    pub backfill: Option<BackfillAttr>,
    /// Where the SQL texts of this column came from (`default_sql`, `backfill_sql`,
    /// `sql_type`); a field `check` is recorded once its constraint has a name.
    pub sites: Vec<(ExprKind, Loc)>,
}

pub(crate) struct FieldContext<'a> {
    pub types: TypeContext<'a>,
    pub enums: &'a Enums,
    pub dialect: Dialect,
    /// The struct's `#[sqlx(rename_all = "..")]`.
    pub rename_all: Option<RenameAll>,
}

/// The column of `field`, or `None` for `skip` (and for fields without a name). `sqlx` is what
/// the field's `#[sqlx(..)]` says (`flatten` is handled by the caller).
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the entries named are read here; any other is refused alike"
)]
pub(crate) fn read_field(
    field: &Field,
    sqlx: &SqlxField,
    cx: &FieldContext<'_>,
    sink: &mut Sink,
) -> Option<ColumnDef> {
    let file = cx.types.file;
    let ident = field.ident.as_ref()?;
    let field_name = ident.to_string();
    let field_name = field_name
        .strip_prefix("r#")
        .unwrap_or(&field_name)
        .to_owned();
    let mut set = KeySet::new("a field", FIELD_KEYS);
    let mut args: Vec<Arg> = Vec::new();
    for entry in autogen_entries(&field.attrs, file, sink) {
        match entry {
            Entry::Arg(arg) => {
                if set.accept(&arg, sink) {
                    args.push(arg);
                }
            }
            other => keys::not_a_key(&other, &set, sink),
        }
    }
    let find = |key: &str| args.iter().find(|a| a.key == key);

    let skip = find("skip")
        .and_then(|a| keys::flag(a, sink))
        .unwrap_or(false);
    // The name sqlx queries: its `rename`, else `rename_all` applied to the field's name.
    let (column_name, name_loc) = match (&sqlx.rename, cx.rename_all) {
        (Some((name, loc)), _) => (name.clone(), *loc),
        (None, Some(rule)) => (rule.apply(&field_name), Loc::new(file, ident.span())),
        (None, None) => (field_name.clone(), Loc::new(file, ident.span())),
    };
    let mut def = ColumnDef {
        field: field_name.clone(),
        loc: name_loc,
        column: Column::new(column_name, ColumnType::Text),
        type_known: false,
        primary_key: false,
        primary_key_given: false,
        identity: IdentityKey::Auto,
        serial: false,
        unique: false,
        index: false,
        reference: None,
        check: None,
        renamed_from: None,
        backfill: None,
        sites: Vec::new(),
    };
    // Every key is read (and its errors reported) even on a skipped field.
    for arg in &args {
        read_key(arg, &mut def, cx, sink);
    }
    if let (Some(column), Some((rename, _))) = (set.loc("column"), &sqlx.rename)
        && def.column.name != *rename
    {
        sink.error(
            column,
            DiagnosticKind::ConflictingKeys,
            format!(
                "`column = \"{}\"` and `#[sqlx(rename = \"{rename}\")]` name the column differently; sqlx would query `{rename}`",
                def.column.name
            ),
        );
    }
    if skip || sqlx.skip {
        return None;
    }
    naming::check_length(&def.column.name, def.loc, cx.dialect, sink);
    read_column_type(field, sqlx, &args, &mut def, cx, sink);
    read_defaults(&args, &mut def, cx, sink);
    read_reference_actions(&args, &mut def, sink);
    read_stored(&args, &set, &mut def, sink);
    if let (Some(_), Some(b)) = (set.loc("backfill"), set.loc("backfill_sql")) {
        sink.error(
            b,
            DiagnosticKind::ConflictingKeys,
            "give either `backfill` or `backfill_sql`, not both",
        );
    }
    Some(def)
}

/// The keys that stand alone; the type, defaults and reference actions are read after.
fn read_key(arg: &Arg, def: &mut ColumnDef, cx: &FieldContext<'_>, sink: &mut Sink) {
    match arg.key.as_str() {
        "primary_key" => {
            def.primary_key_given = true;
            def.primary_key = keys::flag(arg, sink).unwrap_or(false);
        }
        "unique" => def.unique = keys::flag(arg, sink).unwrap_or(false),
        "index" => def.index = keys::flag(arg, sink).unwrap_or(false),
        "identity" => {
            if let Some(identity) = read_identity(arg, cx.dialect, sink) {
                def.identity = identity;
            }
        }
        "column" => {
            if let Some((name, loc)) = keys::name(arg, sink) {
                def.column.name = name;
                def.loc = loc;
            }
        }
        "comment" => def.column.comment = keys::string(arg, sink).map(|(c, _)| c),
        "collation" => def.column.collation = keys::name(arg, sink).map(|(c, _)| c),
        "generated" => {
            if let Some((sql, loc)) =
                keys::sql(arg, "generated", Shape::Expression, cx.dialect, sink)
            {
                def.column.generated = Some(autogen_schema::Generated {
                    expression: sql,
                    stored: false,
                });
                def.sites.push((ExprKind::Generated, loc));
            }
        }
        "check" => {
            def.check = keys::sql(arg, "check", Shape::Expression, cx.dialect, sink).map(Box::new)
        }
        "renamed_from" => def.renamed_from = keys::name(arg, sink).map(Box::new),
        "references" => {
            if let Some((text, loc)) = keys::name(arg, sink) {
                def.reference = read_reference(&text, loc, sink).map(Box::new);
            }
        }
        "backfill_sql" => {
            if let Some((sql, loc)) =
                keys::sql(arg, "backfill_sql", Shape::Expression, cx.dialect, sink)
            {
                def.backfill = Some(BackfillAttr::Sql(sql));
                def.sites.push((ExprKind::Backfill, loc));
            }
        }
        // Read with the type: sql_type, max_length, precision, scale, default, default_sql,
        // backfill, on_delete, on_update; skip was read first.
        _ => {}
    }
}

#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the literals named fit here; any other is refused alike"
)]
fn read_identity(arg: &Arg, dialect: Dialect, sink: &mut Sink) -> Option<IdentityKey> {
    let by_default = match dialect {
        Dialect::Postgres => IdentityKind::ByDefault,
        Dialect::MySql | Dialect::Sqlite => IdentityKind::AutoIncrement,
    };
    let always = match dialect {
        Dialect::Postgres => IdentityKind::Always,
        Dialect::MySql | Dialect::Sqlite => IdentityKind::AutoIncrement,
    };
    let value = match &arg.value {
        crate::attrs::ArgValue::Value(v) => v,
        crate::attrs::ArgValue::Flag | crate::attrs::ArgValue::List(..) => {
            return keys::flag(arg, sink).map(|on| {
                if on {
                    IdentityKey::On(by_default, arg.key_loc)
                } else {
                    IdentityKey::Off
                }
            });
        }
    };
    match &value.literal {
        crate::attrs::Literal::Bool(true) => Some(IdentityKey::On(by_default, arg.key_loc)),
        crate::attrs::Literal::Bool(false) => Some(IdentityKey::Off),
        crate::attrs::Literal::Str(s) => match squeeze(s).as_str() {
            "always" => Some(IdentityKey::On(always, arg.key_loc)),
            "bydefault" => Some(IdentityKey::On(by_default, arg.key_loc)),
            _ => {
                sink.error(
                    value.loc,
                    DiagnosticKind::WrongValue,
                    format!(
                        "unknown identity `{s}`; expected `identity`, `identity = \"always\"`, `identity = \"by_default\"` or `identity = false`"
                    ),
                );
                None
            }
        },
        other => {
            sink.error(
                value.loc,
                DiagnosticKind::WrongValue,
                format!(
                    "`identity` takes a bool or \"always\" / \"by_default\", not {}",
                    other.describe()
                ),
            );
            None
        }
    }
}

/// Lowercase without spaces and underscores: `SET_NULL`, `set null` and `SetNull` are one.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// `cascade`, `SET_NULL`, `set null`, ...: one action whatever the case and separators.
pub(crate) fn referential_action(text: &str) -> Option<ReferentialAction> {
    Some(match squeeze(text).as_str() {
        "cascade" => ReferentialAction::Cascade,
        "restrict" => ReferentialAction::Restrict,
        "setnull" => ReferentialAction::SetNull,
        "setdefault" => ReferentialAction::SetDefault,
        "noaction" => ReferentialAction::NoAction,
        _ => return None,
    })
}

/// `table.column` or `schema.table.column`.
fn read_reference(text: &str, loc: Loc, sink: &mut Sink) -> Option<Reference> {
    let parts: Vec<&str> = text.split('.').map(str::trim).collect();
    let (schema, table, column) = match parts.as_slice() {
        [table, column] => (None, *table, *column),
        [schema, table, column] => (Some((*schema).to_owned()), *table, *column),
        _ => (None, "", ""),
    };
    if table.is_empty() || column.is_empty() || schema.as_deref() == Some("") {
        sink.error(
            loc,
            DiagnosticKind::WrongValue,
            format!(
                "cannot read `references = \"{text}\"`; expected \"table.column\" or \"schema.table.column\""
            ),
        );
        return None;
    }
    Some(Reference {
        schema,
        table: table.to_owned(),
        column: column.to_owned(),
        text: text.to_owned(),
        loc,
        on_delete: ReferentialAction::NoAction,
        on_update: ReferentialAction::NoAction,
    })
}

fn read_column_type(
    field: &Field,
    sqlx: &SqlxField,
    args: &[Arg],
    def: &mut ColumnDef,
    cx: &FieldContext<'_>,
    sink: &mut Sink,
) {
    // `#[sqlx(try_from = "T")]`: sqlx decodes a T, so the column is T's (its text, not the
    // file's, is what a message about it quotes).
    let try_from_cx;
    let (rust_ty, types_cx, try_from_loc) = match &sqlx.try_from {
        Some((ty, text, loc)) => {
            try_from_cx = TypeContext { text, ..cx.types };
            (ty, &try_from_cx, Some(*loc))
        }
        None => (&field.ty, &cx.types, None),
    };
    let find = |key: &str| args.iter().find(|a| a.key == key);
    let mut modifiers = Modifiers::default();
    let mut modifier_locs = Vec::new();
    if let Some(arg) = find("max_length") {
        modifiers.max_length = keys::positive(arg, sink);
        modifier_locs.push(("max_length", arg.key_loc));
    }
    if let Some(arg) = find("precision") {
        modifiers.precision = keys::non_negative(arg, sink);
        modifier_locs.push(("precision", arg.key_loc));
    }
    if let Some(arg) = find("scale") {
        modifiers.scale = keys::non_negative(arg, sink);
        modifier_locs.push(("scale", arg.key_loc));
        if find("precision").is_none() {
            sink.error(
                arg.key_loc,
                DiagnosticKind::ConflictingKeys,
                "`scale` needs `precision`: `precision = 10, scale = 2`",
            );
        }
    }
    if let Some(arg) = find("sql_type") {
        def.column.nullable = types::is_option(rust_ty, types_cx);
        if let Some((key, loc)) = modifier_locs.first() {
            sink.error(
                *loc,
                DiagnosticKind::ConflictingKeys,
                format!("`{key}` has no effect with `sql_type`; write the modifier in the type"),
            );
        }
        match keys::per_dialect(arg, cx.dialect, Shape::DataType, sink) {
            Some(Some((text, loc))) => {
                def.sites.push((ExprKind::ColumnType, loc));
                read_sql_type(&text, loc, def, cx.dialect, sink);
                return;
            }
            // This dialect is not listed: the Rust type decides.
            Some(None) => {}
            None => return,
        }
    }
    if let Some((nullable, _)) = sqlx.json {
        // sqlx's `Json<T>`: the JSON type of the database (SQLite keeps JSON as text).
        def.column.nullable = nullable || types::is_option(rust_ty, types_cx);
        def.column.ty = match cx.dialect {
            Dialect::Postgres => ColumnType::Jsonb,
            Dialect::MySql => ColumnType::Json,
            Dialect::Sqlite => ColumnType::Text,
        };
        def.type_known = true;
        return;
    }
    match types::read_type(rust_ty, types_cx) {
        Ok(shape) => {
            def.column.nullable = shape.nullable;
            match types::column_type(&shape, cx.dialect, modifiers) {
                Ok(ty) => {
                    def.column.ty = ty;
                    def.type_known = true;
                }
                Err((key, message)) => {
                    let loc = modifier_locs
                        .iter()
                        .find(|(k, _)| *k == key)
                        .map_or(def.loc, |(_, l)| *l);
                    sink.error(loc, DiagnosticKind::WrongValue, message);
                }
            }
        }
        Err(problem) => match try_from_loc {
            Some(loc) => sink.error(
                loc,
                problem.kind,
                format!("`#[sqlx(try_from)]`: {}", problem.message),
            ),
            None => sink.error(problem.loc, problem.kind, problem.message),
        },
    }
}

fn read_sql_type(text: &str, loc: Loc, def: &mut ColumnDef, dialect: Dialect, sink: &mut Sink) {
    if let Some(ty) = ColumnType::postgres_serial(text) {
        def.column.ty = ty;
        def.type_known = true;
        def.serial = dialect == Dialect::Postgres;
        if dialect != Dialect::Postgres {
            def.identity = IdentityKey::On(IdentityKind::AutoIncrement, loc);
        }
        return;
    }
    match types::sql_type(text, dialect) {
        Ok(ty) => {
            def.column.ty = ty;
            def.type_known = true;
        }
        Err(e) => sink.error(
            loc,
            DiagnosticKind::MalformedSqlType,
            format!("malformed `sql_type = \"{text}\"`: {}", e.reason),
        ),
    }
}

fn read_defaults(args: &[Arg], def: &mut ColumnDef, cx: &FieldContext<'_>, sink: &mut Sink) {
    let find = |key: &str| args.iter().find(|a| a.key == key);
    let literal = |arg: &Arg, def: &ColumnDef, sink: &mut Sink| -> Option<String> {
        let form = format!("{} = ..", arg.key);
        let value = keys::value(arg, &form, sink)?;
        if !def.type_known {
            return None;
        }
        match literal_sql(&value.literal, &def.column.ty, cx.dialect, cx.enums) {
            Ok(sql) => Some(sql),
            Err(message) => {
                sink.error(
                    value.loc,
                    DiagnosticKind::WrongValue,
                    format!("`{}`: {message}", arg.key),
                );
                None
            }
        }
    };
    if let Some(arg) = find("default") {
        def.column.default = literal(arg, def, sink);
    }
    if let Some(arg) = find("default_sql") {
        if find("default").is_some() {
            sink.error(
                arg.key_loc,
                DiagnosticKind::ConflictingKeys,
                "give either `default` (a literal) or `default_sql` (an expression), not both",
            );
        } else if let Some(Some((sql, loc))) =
            keys::per_dialect(arg, cx.dialect, Shape::Expression, sink)
        {
            def.column.default = Some(sql);
            def.sites.push((ExprKind::Default, loc));
        }
    }
    if let Some(sql) = find("backfill").and_then(|arg| literal(arg, def, sink)) {
        def.backfill = Some(BackfillAttr::Value(sql));
    }
}

/// `stored` says how a `generated` column is kept: computed on write and stored, rather than
/// computed on read (MySQL's and SQLite's `VIRTUAL`). A generated column has no default.
fn read_stored(args: &[Arg], set: &KeySet, def: &mut ColumnDef, sink: &mut Sink) {
    let stored = args
        .iter()
        .find(|a| a.key == "stored")
        .and_then(|a| keys::flag(a, sink));
    if let (Some(loc), None) = (set.loc("stored"), set.loc("generated")) {
        sink.error(
            loc,
            DiagnosticKind::ConflictingKeys,
            "`stored` needs `generated = \"..\"` on the same field",
        );
        return;
    }
    let Some(generated) = &mut def.column.generated else {
        return;
    };
    generated.stored = stored.unwrap_or(false);
    if let Some(loc) = set.loc("default").or(set.loc("default_sql")) {
        sink.error(
            loc,
            DiagnosticKind::ConflictingKeys,
            "a generated column has no default: give either `generated` or a default",
        );
    }
}

fn read_reference_actions(args: &[Arg], def: &mut ColumnDef, sink: &mut Sink) {
    for key in ["on_delete", "on_update"] {
        let Some(arg) = args.iter().find(|a| a.key == key) else {
            continue;
        };
        let Some((text, loc)) = keys::string(arg, sink) else {
            continue;
        };
        let action = match referential_action(&text) {
            Some(action) => action,
            None => {
                sink.error(
                    loc,
                    DiagnosticKind::BadReferentialAction,
                    format!("unknown `{key}` action `{text}`; expected one of: {ACTIONS}"),
                );
                continue;
            }
        };
        match &mut def.reference {
            Some(reference) if key == "on_delete" => reference.on_delete = action,
            Some(reference) => reference.on_update = action,
            None if args.iter().any(|a| a.key == "references") => {}
            None => sink.error(
                arg.key_loc,
                DiagnosticKind::ConflictingKeys,
                format!("`{key}` needs `references = \"table.column\"` on the same field"),
            ),
        }
    }
}
