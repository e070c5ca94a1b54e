/// Why a database could not be read. Messages name the object or the server, never a password.
#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    #[error("invalid database url: {reason}; expected postgres://user:password@host:port/database")]
    InvalidUrl { reason: String },
    #[error(
        "unsupported database url scheme `{scheme}`; expected postgres://, mysql:// or sqlite:"
    )]
    UnsupportedScheme { scheme: String },
    #[error("cannot reach the database server at {server}: {reason}")]
    Unreachable { server: String, reason: String },
    #[error("timed out after {seconds}s connecting to the database server at {server}")]
    ConnectTimeout { server: String, seconds: u64 },
    #[error("password authentication failed for user `{user}` at {server}")]
    Authentication { server: String, user: String },
    /// The server turned the user away for another reason than a password: an unknown role
    /// on a trusting server, no `pg_hba.conf` entry, ... (`reason` is the server's own words).
    #[error("the server at {server} refused user `{user}`: {reason}")]
    Rejected {
        server: String,
        user: String,
        reason: String,
    },
    #[error("database `{database}` does not exist on {server}")]
    UnknownDatabase { server: String, database: String },
    #[error("cannot connect to {server}: {reason}")]
    Connect { server: String, reason: String },
    #[error("schema `{name}` does not exist in database `{database}`; it has: {}", list(.available))]
    UnknownSchema {
        name: String,
        database: String,
        /// The schemas the database does have, system schemas left out.
        available: Vec<String>,
    },
    #[error("{} databases are not supported yet", .dialect.name())]
    UnsupportedDialect { dialect: autogen_schema::Dialect },
    /// An expression from the models is not one SQL expression; nothing was sent.
    #[error("{object}: {reason}")]
    Expression { object: String, reason: String },
    /// The server refused an expression while spelling it; `object` names where it sits, and
    /// `site` the table and expression slot when one was singled out (the CLI turns it into
    /// the model attribute's file:line:col).
    #[error("the database refuses {object}: {reason}")]
    Normalise {
        object: String,
        reason: String,
        site: Option<Box<(autogen_schema::QualifiedName, crate::Slot)>>,
    },
    #[error(
        "the dev database (--dev-url) is {}, the database is {}; they must be of one kind",
        .dev.name(),
        .database.name()
    )]
    DevDialect {
        dev: autogen_schema::Dialect,
        database: autogen_schema::Dialect,
    },
    #[error("reading {what} failed: {reason}")]
    Query { what: &'static str, reason: String },
    #[error("unexpected catalog content in {object}: {reason}")]
    Catalog { object: String, reason: String },
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        return "no schemas".to_owned();
    }
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl IntrospectError {
    /// Whether the error says all there is to say on its own (which server, user, database or
    /// schema), or happened while reading and wants to be called a failure to read the schema.
    pub fn is_self_explanatory(&self) -> bool {
        match self {
            IntrospectError::InvalidUrl { .. }
            | IntrospectError::UnsupportedScheme { .. }
            | IntrospectError::Unreachable { .. }
            | IntrospectError::ConnectTimeout { .. }
            | IntrospectError::Authentication { .. }
            | IntrospectError::Rejected { .. }
            | IntrospectError::UnknownDatabase { .. }
            | IntrospectError::Connect { .. }
            | IntrospectError::UnknownSchema { .. }
            | IntrospectError::UnsupportedDialect { .. }
            | IntrospectError::Expression { .. }
            | IntrospectError::Normalise { .. }
            | IntrospectError::DevDialect { .. } => true,
            IntrospectError::Query { .. } | IntrospectError::Catalog { .. } => false,
        }
    }
}
