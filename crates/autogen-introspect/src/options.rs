//! What to read and what came back, the same for every dialect.

use autogen_schema::Schema;

/// What to read, whatever the dialect.
#[derive(Debug, Clone)]
pub struct IntrospectOptions {
    /// The schemas (namespaces) to read.
    pub schemas: Vec<String>,
    pub missing_schema: MissingSchema,
    /// Also read the objects of kinds autogen does not compare yet (PostgreSQL views, functions,
    /// triggers, ...) into `Namespace::uncompared`: one more catalog query, for comparing two
    /// databases (`diff --from/--to`) and `inspect`. Off where the models are compared (they
    /// cannot declare those kinds) and in the normaliser's read-back: `check` does not pay for it.
    pub uncompared: bool,
}

/// What a requested schema that the database lacks means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingSchema {
    /// An error: `inspect` of a schema that does not exist.
    Error,
    /// Simply absent from the result: the side of a diff that a plan must create it on.
    Absent,
}

impl Default for IntrospectOptions {
    fn default() -> IntrospectOptions {
        IntrospectOptions {
            schemas: vec!["public".to_owned()],
            missing_schema: MissingSchema::Error,
            uncompared: false,
        }
    }
}

/// A schema as read, with the number of statements it took (which must not depend on its size).
#[derive(Debug, Clone)]
pub struct Introspection {
    pub schema: Schema,
    pub statements: usize,
}
