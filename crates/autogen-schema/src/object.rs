//! PostgreSQL objects beyond tables and enums: views, materialized views, functions,
//! procedures, triggers, policies, domains, composite types and extensions. Each is carried
//! as the server prints it (`pg_get_viewdef`, `pg_get_functiondef`, `pg_get_triggerdef`, ...)
//! with what it depends on, read from the catalog (`pg_depend`), not searched for in its text.

use serde::{Deserialize, Serialize};

use crate::{QualifiedName, quote_ident, quote_literal};

/// The kinds of [`DbObject`], in the order a plan creates them when nothing else decides:
/// what tables may use first (extensions, domains, composite types, functions), what reads
/// tables last (views, then triggers and policies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Extension,
    Domain,
    CompositeType,
    Function,
    Procedure,
    View,
    MaterializedView,
    Trigger,
    Policy,
    /// The privileges one role (or `PUBLIC`) holds on a table, view or materialized view,
    /// named by the role and on the relation as a trigger is on its table.
    Privilege,
}

impl ObjectKind {
    /// The kind as SQL names it (`MATERIALIZED VIEW`), for `DROP` and `COMMENT ON`.
    pub fn sql(self) -> &'static str {
        match self {
            ObjectKind::Extension => "EXTENSION",
            ObjectKind::Domain => "DOMAIN",
            ObjectKind::CompositeType => "TYPE",
            ObjectKind::Function => "FUNCTION",
            ObjectKind::Procedure => "PROCEDURE",
            ObjectKind::View => "VIEW",
            ObjectKind::MaterializedView => "MATERIALIZED VIEW",
            ObjectKind::Trigger => "TRIGGER",
            ObjectKind::Policy => "POLICY",
            ObjectKind::Privilege => "PRIVILEGE",
        }
    }

    /// The kind in words (`materialized view`), for keys and messages.
    pub fn word(self) -> &'static str {
        match self {
            ObjectKind::Extension => "extension",
            ObjectKind::Domain => "domain",
            ObjectKind::CompositeType => "composite type",
            ObjectKind::Function => "function",
            ObjectKind::Procedure => "procedure",
            ObjectKind::View => "view",
            ObjectKind::MaterializedView => "materialized view",
            ObjectKind::Trigger => "trigger",
            ObjectKind::Policy => "policy",
            ObjectKind::Privilege => "privilege",
        }
    }

    /// Whether objects of the kind live on a table (triggers, policies), named per table.
    pub fn on_table(self) -> bool {
        matches!(
            self,
            ObjectKind::Trigger | ObjectKind::Policy | ObjectKind::Privilege
        )
    }
}

/// One object of a [`ObjectKind`], as the server prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbObject {
    pub kind: ObjectKind,
    /// The object's own name (a function's without its arguments).
    pub name: String,
    /// A function's or procedure's identity arguments (`integer, text`): functions are
    /// overloaded, so the name alone does not say which one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
    /// The table (or view) a trigger or policy is on, in the object's schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The statements that create it, as the server prints them (a materialized view's
    /// indexes and a disabled trigger's `ALTER TABLE` included; its comment is [`Self::comment`]).
    /// A domain's first statement is `CREATE DOMAIN .. AS <type>` only: its default, `NOT
    /// NULL` and checks are [`Self::domain`], so that they can change in place.
    pub create: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// What `CREATE OR REPLACE` cannot change (a function's result and argument list with
    /// names and defaults): two versions that agree on it are replaced in place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<DomainParts>,
    /// What it needs to exist, from the catalog: an object is created after them and dropped
    /// before them, and goes and comes back when one of them is replaced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<Dependency>,
}

/// What a domain has beyond its type: the parts `ALTER DOMAIN` changes in place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainParts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_null: bool,
    /// Each check as `(name, definition)`, the definition as `pg_get_constraintdef` prints it
    /// (`CHECK (VALUE > 0)`, `NOT VALID` included), in name order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<(String, String)>,
}

/// Something an object needs, as the catalog records it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum Dependency {
    /// A table, or one of its columns.
    Table {
        table: QualifiedName,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        column: Option<String>,
    },
    /// Another object, by its [`DbObject::key`] in `schema`.
    Object {
        schema: String,
        key: String,
    },
    Enum {
        name: QualifiedName,
    },
    Sequence {
        name: QualifiedName,
    },
}

impl DbObject {
    /// The object's key in [`crate::Namespace::objects`]: its kind and identity
    /// (`function f(integer)`, `trigger t.audit`), unique within a schema.
    pub fn key(&self) -> String {
        object_key(
            self.kind,
            &self.name,
            self.arguments.as_deref(),
            self.table.as_deref(),
        )
    }

    /// How SQL names it in `schema` after its kind word: `"s"."f"(integer)`, `"audit" ON
    /// "s"."t"`, `"pgcrypto"` (an extension is named alone).
    pub fn target(&self, schema: &str) -> String {
        let qualified = QualifiedName::new(schema, &self.name).quoted();
        match self.kind {
            ObjectKind::Extension => quote_ident(&self.name),
            ObjectKind::Function | ObjectKind::Procedure => {
                format!("{qualified}({})", self.arguments.as_deref().unwrap_or(""))
            }
            ObjectKind::Trigger | ObjectKind::Policy => format!(
                "{} ON {}",
                quote_ident(&self.name),
                QualifiedName::new(schema, self.table.as_deref().unwrap_or("")).quoted()
            ),
            ObjectKind::Privilege => format!(
                "ON TABLE {} {} {}",
                QualifiedName::new(schema, self.table.as_deref().unwrap_or("")).quoted(),
                "FROM",
                grantee(&self.name)
            ),
            ObjectKind::Domain
            | ObjectKind::CompositeType
            | ObjectKind::View
            | ObjectKind::MaterializedView => qualified,
        }
    }

    /// `COMMENT ON <kind> <target> IS ..` setting the comment to `comment` (`NULL` removes it).
    pub fn comment_statement(&self, schema: &str, comment: Option<&str>) -> String {
        format!(
            "COMMENT ON {} {} IS {}",
            self.kind.sql(),
            self.target(schema),
            comment.map_or_else(|| "NULL".to_owned(), quote_literal)
        )
    }

    /// Whether `to` can replace `self` where it stands, without a drop (so without touching
    /// what depends on it): only its comment differs, or a function keeps its signature
    /// (`CREATE OR REPLACE`), or a domain its type (`ALTER DOMAIN`), or an extension its name.
    pub fn replaces_in_place(&self, to: &DbObject) -> bool {
        if self.kind != to.kind {
            return false;
        }
        match self.kind {
            ObjectKind::Function | ObjectKind::Procedure => self.signature == to.signature,
            ObjectKind::Domain | ObjectKind::Extension => self.create == to.create,
            ObjectKind::CompositeType
            | ObjectKind::View
            | ObjectKind::MaterializedView
            | ObjectKind::Trigger
            | ObjectKind::Policy
            | ObjectKind::Privilege => self.create == to.create && self.domain == to.domain,
        }
    }

    /// Whether the two say the same object (dependencies aside: they follow from the text).
    pub fn same_as(&self, other: &DbObject) -> bool {
        self.kind == other.kind
            && self.create == other.create
            && self.comment == other.comment
            && self.domain == other.domain
            && self.signature == other.signature
    }

    /// The objects of `schema` this one names among its dependencies, by key.
    pub fn object_dependencies<'a>(&'a self, schema: &'a str) -> impl Iterator<Item = &'a str> {
        self.depends_on.iter().filter_map(move |d| match d {
            Dependency::Object { schema: s, key } if s == schema => Some(key.as_str()),
            Dependency::Object { .. }
            | Dependency::Table { .. }
            | Dependency::Enum { .. }
            | Dependency::Sequence { .. } => None,
        })
    }
}

/// A role as `GRANT`/`REVOKE` name it: `PUBLIC` bare, any other quoted.
pub fn grantee(role: &str) -> String {
    if role == "PUBLIC" {
        role.to_owned()
    } else {
        quote_ident(role)
    }
}

/// The key of an object of `kind` (see [`DbObject::key`]).
pub fn object_key(
    kind: ObjectKind,
    name: &str,
    arguments: Option<&str>,
    table: Option<&str>,
) -> String {
    match (arguments, table) {
        (Some(args), _) => format!("{} {name}({args})", kind.word()),
        (None, Some(table)) => format!("{} {table}.{name}", kind.word()),
        (None, None) => format!("{} {name}", kind.word()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn function(signature: &str, body: &str) -> DbObject {
        DbObject {
            kind: ObjectKind::Function,
            name: "f".into(),
            arguments: Some("integer".into()),
            table: None,
            create: vec![body.into()],
            comment: None,
            signature: Some(signature.into()),
            domain: None,
            depends_on: Vec::new(),
        }
    }

    #[test]
    fn a_function_is_replaced_in_place_only_while_its_signature_stays() {
        let a = function(
            "integer x integer",
            "CREATE OR REPLACE FUNCTION .. RETURN x",
        );
        let b = function(
            "integer x integer",
            "CREATE OR REPLACE FUNCTION .. RETURN x + 1",
        );
        let c = function("bigint x integer", "CREATE OR REPLACE FUNCTION .. RETURN x");
        assert!(a.replaces_in_place(&b));
        assert!(!a.replaces_in_place(&c));
        assert_eq!(a.key(), "function f(integer)");
        assert_eq!(a.target("s"), "\"s\".\"f\"(integer)");
    }

    #[test]
    fn a_trigger_is_named_on_its_table() {
        let trigger = DbObject {
            kind: ObjectKind::Trigger,
            name: "audit".into(),
            arguments: None,
            table: Some("t".into()),
            create: vec!["CREATE TRIGGER audit ..".into()],
            comment: None,
            signature: None,
            domain: None,
            depends_on: Vec::new(),
        };
        assert_eq!(trigger.key(), "trigger t.audit");
        assert_eq!(
            trigger.comment_statement("public", Some("it's")),
            "COMMENT ON TRIGGER \"audit\" ON \"public\".\"t\" IS 'it''s'"
        );
        let mut other = trigger.clone();
        other.create = vec!["CREATE TRIGGER audit AFTER ..".into()];
        assert!(!trigger.replaces_in_place(&other));
        other.create = trigger.create.clone();
        other.comment = Some("x".into());
        assert!(trigger.replaces_in_place(&other));
    }
}
