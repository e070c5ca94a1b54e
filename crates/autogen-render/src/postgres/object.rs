//! PostgreSQL's objects beyond tables (`DbObject`): created from the server's own text,
//! dropped by kind and identity, replaced in place where `DbObject::replaces_in_place` says.

use autogen_schema::{DbObject, DomainParts, ObjectKind};

/// The statements that create `object` in `schema`, its comment included. A function's body
/// is not checked when it is created (`check_function_bodies`, as `pg_dump` does): a SQL
/// function may read a table or call a function the same migration creates later.
pub(super) fn create(schema: &str, object: &DbObject) -> Vec<String> {
    let mut out = Vec::new();
    match object.kind {
        ObjectKind::Domain => {
            let base = object.create.first().cloned().unwrap_or_default();
            out.push(domain_create(&base, object.domain.as_ref()));
            out.extend(object.create.iter().skip(1).cloned());
        }
        ObjectKind::Function | ObjectKind::Procedure => {
            out.push("SET LOCAL check_function_bodies = off".to_owned());
            out.extend(object.create.iter().cloned());
        }
        ObjectKind::Extension
        | ObjectKind::CompositeType
        | ObjectKind::View
        | ObjectKind::MaterializedView
        | ObjectKind::Trigger
        | ObjectKind::Policy
        | ObjectKind::Privilege => out.extend(object.create.iter().cloned()),
    }
    if let Some(comment) = &object.comment {
        out.push(object.comment_statement(schema, Some(comment)));
    }
    out
}

pub(super) fn drop(schema: &str, object: &DbObject) -> Vec<String> {
    vec![match object.kind {
        ObjectKind::Privilege => format!("REVOKE ALL {}", object.target(schema)),
        ObjectKind::Extension
        | ObjectKind::Domain
        | ObjectKind::CompositeType
        | ObjectKind::Function
        | ObjectKind::Procedure
        | ObjectKind::View
        | ObjectKind::MaterializedView
        | ObjectKind::Trigger
        | ObjectKind::Policy => format!("DROP {} {}", object.kind.sql(), object.target(schema)),
    }]
}

/// `to` in place of `from` (`DbObject::replaces_in_place` holds): `CREATE OR REPLACE` for a
/// function, `ALTER DOMAIN` for a domain's parts, and the comment where it changes.
pub(super) fn alter(schema: &str, from: &DbObject, to: &DbObject) -> Vec<String> {
    let mut out = Vec::new();
    match to.kind {
        ObjectKind::Function | ObjectKind::Procedure if from.create != to.create => {
            out.push("SET LOCAL check_function_bodies = off".to_owned());
            out.extend(to.create.iter().cloned());
        }
        ObjectKind::Domain => {
            let none = DomainParts::default();
            let (was, want) = (
                from.domain.as_ref().unwrap_or(&none),
                to.domain.as_ref().unwrap_or(&none),
            );
            out.extend(domain_alter(&to.target(schema), was, want));
        }
        ObjectKind::Function
        | ObjectKind::Procedure
        | ObjectKind::Extension
        | ObjectKind::CompositeType
        | ObjectKind::View
        | ObjectKind::MaterializedView
        | ObjectKind::Trigger
        | ObjectKind::Policy
        | ObjectKind::Privilege => {}
    }
    if from.comment != to.comment {
        out.push(to.comment_statement(schema, to.comment.as_deref()));
    }
    out
}

/// `CREATE DOMAIN .. AS <type>` with the domain's default, `NOT NULL` and checks.
fn domain_create(base: &str, parts: Option<&DomainParts>) -> String {
    let mut out = base.to_owned();
    let Some(parts) = parts else {
        return out;
    };
    if let Some(default) = &parts.default {
        out.push_str(&format!(" DEFAULT {default}"));
    }
    if parts.not_null {
        out.push_str(" NOT NULL");
    }
    for (name, definition) in &parts.checks {
        out.push_str(&format!(
            " CONSTRAINT {} {definition}",
            autogen_schema::quote_ident(name)
        ));
    }
    out
}

/// The `ALTER DOMAIN` statements that turn `was` into `want`: checks that go first, then the
/// default and `NOT NULL`, then checks that come.
fn domain_alter(target: &str, was: &DomainParts, want: &DomainParts) -> Vec<String> {
    let mut out = Vec::new();
    for (name, definition) in &was.checks {
        if !want
            .checks
            .iter()
            .any(|(n, d)| n == name && d == definition)
        {
            out.push(format!(
                "ALTER DOMAIN {target} DROP CONSTRAINT {}",
                autogen_schema::quote_ident(name)
            ));
        }
    }
    if was.default != want.default {
        out.push(match &want.default {
            Some(default) => format!("ALTER DOMAIN {target} SET DEFAULT {default}"),
            None => format!("ALTER DOMAIN {target} DROP DEFAULT"),
        });
    }
    if was.not_null != want.not_null {
        let verb = if want.not_null { "SET" } else { "DROP" };
        out.push(format!("ALTER DOMAIN {target} {verb} NOT NULL"));
    }
    for (name, definition) in &want.checks {
        if !was.checks.iter().any(|(n, d)| n == name && d == definition) {
            out.push(format!(
                "ALTER DOMAIN {target} ADD CONSTRAINT {} {definition}",
                autogen_schema::quote_ident(name)
            ));
        }
    }
    out
}
