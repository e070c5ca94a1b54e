//! The expanded entity format (`sea-orm-cli generate entity --expanded-format`): a
//! `DeriveEntity` unit struct with `impl EntityName` (or `#[sea_orm(table_name)]`), a
//! `DeriveColumn` enum whose `impl ColumnTrait` builds each column
//! (`ColumnType::Integer.def().null().unique()`), a `DerivePrimaryKey` enum with
//! `impl PrimaryKeyTrait`, and `impl RelationTrait` building foreign keys with
//! `Entity::belongs_to(..).from(..).to(..)`. Read into the same entities as `DeriveEntityModel`.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over syn's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use autogen_schema::{Dialect, QualifiedName, ReferentialAction};
use syn::spanned::Spanned;
use syn::{Expr, ImplItem, ItemImpl, Pat, Stmt};

use super::attrs::sea_args;
use super::collect::{Found, SeaItems};
use super::coltype::from_expr;
use super::defaults::expr_sql;
use super::entity::{ColumnDef, EntityDef, fold};
use super::relations::{RelationDef, Target};
use super::types::Types;
use crate::case::snake_case;
use crate::diagnostics::{DiagnosticKind, Loc, Sink};

const ENTITY_KEYS: &[&str] = &[
    "table_name",
    "schema_name",
    "comment",
    "table_iden",
    "rename_all",
    "column",
    "entity",
    "model",
    "model_ex",
    "active_model",
    "active_model_ex",
    "primary_key",
    "relation",
];
const COLUMN_KEYS: &[&str] = &["column_name", "table_name"];

/// Every expanded-format entity: a `DeriveEntity` struct in a module without a
/// `DeriveEntityModel` (whose `Entity` is generated).
pub(crate) fn read_expanded(
    items: &SeaItems<'_>,
    types: &Types<'_>,
    dialect: Dialect,
    sink: &mut Sink,
) -> Vec<EntityDef> {
    let mut out = Vec::new();
    for found in &items.entity_structs {
        let beside_model = items
            .models
            .iter()
            .any(|m| m.file == found.file && m.module == found.module);
        if beside_model {
            continue;
        }
        out.extend(read_one(found, items, types, dialect, sink));
    }
    out
}

fn same_place<T>(a: &Found<'_, T>, file: usize, module: &str) -> bool {
    a.file == file && a.module == module
}

fn impl_of<'a>(
    items: &SeaItems<'a>,
    file: usize,
    module: &str,
    name: &str,
) -> Option<&'a ItemImpl> {
    items
        .impls
        .iter()
        .filter(|i| same_place(i, file, module))
        .find(|i| {
            i.item
                .trait_
                .as_ref()
                .and_then(|(path, _)| path.segments.last())
                .is_some_and(|s| s.ident == name)
        })
        .map(|i| i.item)
}

/// The tail expression of method `name` of an impl.
fn method_body<'a>(item: &'a ItemImpl, name: &str) -> Option<&'a Expr> {
    item.items.iter().find_map(|i| match i {
        ImplItem::Fn(f) if f.sig.ident == name => f.block.stmts.last().and_then(|s| match s {
            Stmt::Expr(e, None) => Some(e),
            _ => None,
        }),
        _ => None,
    })
}

/// `"text"`, `Some("text")`; `None` for anything else.
fn string_of(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            syn::Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        Expr::Call(c) => c.args.first().and_then(string_of),
        Expr::Block(b) => b.block.stmts.last().and_then(|s| match s {
            Stmt::Expr(e, None) => string_of(e),
            _ => None,
        }),
        Expr::Paren(p) => string_of(&p.expr),
        _ => None,
    }
}

/// The arms of the `match self { .. }` of a method, by the variant each names.
fn arms(body: &Expr) -> Vec<(String, &Expr)> {
    let Expr::Match(m) = body else {
        return Vec::new();
    };
    m.arms
        .iter()
        .filter_map(|arm| {
            let variant = match &arm.pat {
                Pat::Path(p) => p.path.segments.last()?.ident.to_string(),
                Pat::Ident(i) => i.ident.to_string(),
                _ => return None,
            };
            Some((variant, &*arm.body))
        })
        .collect()
}

/// `root.a(x).b()` as the root and the calls, outermost last.
fn chain(expr: &Expr) -> (&Expr, Vec<(String, Vec<&Expr>)>) {
    let mut calls = Vec::new();
    let mut current = expr;
    while let Expr::MethodCall(m) = current {
        calls.push((m.method.to_string(), m.args.iter().collect()));
        current = &m.receiver;
    }
    calls.reverse();
    (current, calls)
}

fn last_segment(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn read_one(
    found: &Found<'_, syn::ItemStruct>,
    items: &SeaItems<'_>,
    types: &Types<'_>,
    dialect: Dialect,
    sink: &mut Sink,
) -> Option<EntityDef> {
    let (file, module) = (found.file, found.module.as_str());
    let loc = Loc::new(file, found.item.ident.span());
    let args = sea_args(&found.item.attrs, file, "an entity", ENTITY_KEYS, sink);
    let entity_name = impl_of(items, file, module, "EntityName");
    let table = args.string("table_name", sink).map(|(t, _)| t).or_else(|| {
        entity_name
            .and_then(|i| method_body(i, "table_name"))
            .and_then(string_of)
    });
    let Some(table) = table else {
        sink.error(
            loc,
            DiagnosticKind::UnsupportedItem,
            format!(
                "entity `{}` has no table name: neither `#[sea_orm(table_name = \"..\")]` nor `impl EntityName` with `fn table_name` returning a string",
                found.item.ident
            ),
        );
        return None;
    };
    let schema = args
        .string("schema_name", sink)
        .map(|(s, _)| s)
        .or_else(|| {
            entity_name
                .and_then(|i| method_body(i, "schema_name"))
                .and_then(string_of)
        });
    let schema = match schema {
        Some(s) if dialect == Dialect::Postgres => s,
        Some(_) | None => dialect.default_schema().to_owned(),
    };
    let comment = args.string("comment", sink).map(|(c, _)| c).or_else(|| {
        entity_name
            .and_then(|i| method_body(i, "comment"))
            .and_then(string_of)
    });
    let mut entity = EntityDef {
        module: module.to_owned(),
        file,
        name: QualifiedName::new(schema, table),
        loc,
        comment,
        columns: Vec::new(),
        relations: Vec::new(),
        ignored: Vec::new(),
    };
    let Some(columns) = items
        .column_enums
        .iter()
        .find(|c| same_place(c, file, module))
    else {
        sink.error(
            loc,
            DiagnosticKind::UnsupportedItem,
            format!(
                "entity `{}` has no `DeriveColumn` enum beside it",
                entity.name
            ),
        );
        return None;
    };
    let defs: Vec<(String, &Expr)> = impl_of(items, file, module, "ColumnTrait")
        .and_then(|i| method_body(i, "def"))
        .map(arms)
        .unwrap_or_default();
    // `DeriveCustomColumn` names its columns in `impl IdenStatic for Column { fn as_str }`.
    let custom_names: Vec<(String, &Expr)> = impl_of(items, file, module, "IdenStatic")
        .and_then(|i| method_body(i, "as_str"))
        .map(arms)
        .unwrap_or_default();
    for variant in &columns.item.variants {
        let ident = variant.ident.to_string();
        let vargs = sea_args(&variant.attrs, file, "a column", COLUMN_KEYS, sink);
        let custom = custom_names
            .iter()
            .find(|(v, _)| *v == ident)
            .and_then(|(_, e)| string_of(e));
        let (name, name_loc) = match (vargs.string("column_name", sink), custom) {
            (Some((name, at)), _) => (name, at),
            (None, Some(name)) => (name, Loc::new(file, variant.ident.span())),
            (None, None) => (snake_case(&ident), Loc::new(file, variant.ident.span())),
        };
        let mut column = ColumnDef {
            key: fold(&ident),
            name,
            loc: name_loc,
            ty: None,
            nullable: false,
            primary_key: false,
            auto_increment: None,
            unique: false,
            unique_key: None,
            indexed: false,
            default: None,
            comment: None,
            renamed_from: None,
            check: None,
        };
        match defs.iter().find(|(v, _)| *v == ident) {
            Some((_, def)) => column_def(def, &mut column, types, file, sink),
            None => sink.error(
                column.loc,
                DiagnosticKind::UnknownType,
                format!("column `{ident}` has no arm in `impl ColumnTrait for Column`'s `fn def`"),
            ),
        }
        entity.columns.push(column);
    }
    primary_key(items, file, module, &mut entity, sink);
    if let Some(body) =
        impl_of(items, file, module, "RelationTrait").and_then(|i| method_body(i, "def"))
    {
        for (_, arm) in arms(body) {
            entity.relations.extend(relation(arm, file, sink));
        }
    }
    Some(entity)
}

/// `ColumnType::X(..).def().null().unique()..` or `Enum::db_type().get_column_type()..def()`.
fn column_def(def: &Expr, column: &mut ColumnDef, types: &Types<'_>, file: usize, sink: &mut Sink) {
    let (root, calls) = chain(def);
    let loc = Loc::new(file, def.span());
    column.ty = match root {
        Expr::Call(c) if last_segment(&c.func).as_deref() == Some("db_type") => {
            let owner = match &*c.func {
                Expr::Path(p) if p.path.segments.len() >= 2 => p
                    .path
                    .segments
                    .iter()
                    .rev()
                    .nth(1)
                    .map(|s| s.ident.to_string()),
                _ => None,
            };
            owner.and_then(|o| types.named(&o))
        }
        other => from_expr(other),
    };
    if column.ty.is_none() {
        sink.error(
            Loc::new(file, root.span()),
            DiagnosticKind::UnknownType,
            "cannot read this column type; expected `ColumnType::..` or an active enum's `db_type()`",
        );
    }
    for (method, args) in calls {
        match method.as_str() {
            "null" | "nullable" => column.nullable = true,
            "unique" => column.unique = true,
            "indexed" => column.indexed = true,
            "default_value" | "default" => match args.first().and_then(|a| expr_sql(a)) {
                Some(sql) => column.default = Some(sql),
                None => sink.error(
                    loc,
                    DiagnosticKind::WrongValue,
                    format!("cannot read the `{method}(..)` of this column"),
                ),
            },
            "comment" => column.comment = args.first().and_then(|a| string_of(a)),
            "unique_key" => column.unique_key = args.first().and_then(|a| string_of(a)),
            "renamed_from" => column.renamed_from = args.first().and_then(|a| string_of(a)),
            _ => {}
        }
    }
}

fn primary_key(
    items: &SeaItems<'_>,
    file: usize,
    module: &str,
    entity: &mut EntityDef,
    sink: &mut Sink,
) {
    let Some(keys) = items.key_enums.iter().find(|k| same_place(k, file, module)) else {
        return;
    };
    for variant in &keys.item.variants {
        let key = fold(&variant.ident.to_string());
        match entity.columns.iter_mut().find(|c| c.key == key) {
            Some(c) => c.primary_key = true,
            None => sink.error(
                Loc::new(file, variant.ident.span()),
                DiagnosticKind::UnknownColumn,
                format!(
                    "primary key `{}` is not a variant of `Column`",
                    variant.ident
                ),
            ),
        }
    }
    let auto = impl_of(items, file, module, "PrimaryKeyTrait")
        .and_then(|i| method_body(i, "auto_increment"))
        .and_then(|e| match e {
            Expr::Lit(l) => match &l.lit {
                syn::Lit::Bool(b) => Some((b.value, Loc::new(file, b.span()))),
                _ => None,
            },
            _ => None,
        });
    if let Some(first) = entity.columns.iter_mut().find(|c| c.primary_key) {
        first.auto_increment = Some(auto.unwrap_or((false, first.loc)));
    }
}

/// `Entity::belongs_to(super::cake::Entity).from(Column::CakeId).to(super::cake::Column::Id)
/// .on_delete(ForeignKeyAction::Cascade).into()`; `has_many`/`has_one` make none.
fn relation(arm: &Expr, file: usize, sink: &mut Sink) -> Option<RelationDef> {
    let (root, calls) = chain(arm);
    let Expr::Call(call) = root else { return None };
    if last_segment(&call.func).as_deref() != Some("belongs_to") {
        return None;
    }
    let loc = Loc::new(file, arm.span());
    let target = match call.args.first() {
        Some(Expr::Path(p)) => {
            let segments: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            match segments.as_slice() {
                [one] if one == "Entity" => Target::SelfRef,
                [.., module, last] if last == "Entity" => Target::Module(module.clone()),
                [.., module] => Target::Module(module.clone()),
                [] => return None,
            }
        }
        _ => {
            sink.error(
                loc,
                DiagnosticKind::WrongValue,
                "cannot read the entity of this `belongs_to(..)`",
            );
            return None;
        }
    };
    let mut def = RelationDef {
        target,
        from: Vec::new(),
        to: Vec::new(),
        on_delete: None,
        on_update: None,
        fk_name: None,
        loc,
    };
    for (method, args) in calls {
        let arg = args.first().copied();
        match method.as_str() {
            "from" => def.from = columns(arg, file),
            "to" => def.to = columns(arg, file),
            "on_delete" => def.on_delete = arg.and_then(action),
            "on_update" => def.on_update = arg.and_then(action),
            "fk_name" => def.fk_name = arg.and_then(string_of),
            "skip_fk" => return None,
            _ => {}
        }
    }
    if def.from.is_empty() || def.to.is_empty() {
        sink.error(
            loc,
            DiagnosticKind::WrongValue,
            "a `belongs_to(..)` relation needs `.from(..)` and `.to(..)`",
        );
        return None;
    }
    Some(def)
}

fn columns(arg: Option<&Expr>, file: usize) -> Vec<(String, Loc)> {
    let one = |e: &Expr| last_segment(e).map(|s| (s, Loc::new(file, e.span())));
    match arg {
        Some(Expr::Tuple(t)) => t.elems.iter().filter_map(one).collect(),
        Some(Expr::Paren(p)) => one(&p.expr).into_iter().collect(),
        Some(e) => one(e).into_iter().collect(),
        None => Vec::new(),
    }
}

fn action(expr: &Expr) -> Option<ReferentialAction> {
    Some(match last_segment(expr)?.as_str() {
        "Cascade" => ReferentialAction::Cascade,
        "SetNull" => ReferentialAction::SetNull,
        "SetDefault" => ReferentialAction::SetDefault,
        "Restrict" => ReferentialAction::Restrict,
        "NoAction" => ReferentialAction::NoAction,
        _ => return None,
    })
}
