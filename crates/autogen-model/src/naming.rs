//! The model reader's naming diagnostics. The rules themselves (PostgreSQL's 63 bytes and the
//! names it gives what the models leave unnamed) are `autogen_schema::naming`.

use autogen_schema::Dialect;
pub(crate) use autogen_schema::naming::{NAMEDATALEN, Taken, index_column_names, name_addition};

use crate::diagnostics::{DiagnosticKind, Loc, Sink};

/// An error for a name PostgreSQL would truncate: the model and the database would never agree.
pub(crate) fn check_length(name: &str, loc: Loc, dialect: Dialect, sink: &mut Sink) -> bool {
    if dialect == Dialect::Postgres && name.len() >= NAMEDATALEN {
        sink.error(
            loc,
            DiagnosticKind::NameTooLong,
            format!(
                "`{name}` is {} bytes long; PostgreSQL keeps {} and would truncate it",
                name.len(),
                NAMEDATALEN - 1
            ),
        );
        return false;
    }
    true
}

/// `schema = ".."` is only meaningful on PostgreSQL; elsewhere the IR has one namespace.
pub(crate) fn schema_allowed(dialect: Dialect, loc: Loc, sink: &mut Sink) -> bool {
    if dialect != Dialect::Postgres {
        sink.error(
            loc,
            DiagnosticKind::WrongValue,
            format!(
                "`schema` is for PostgreSQL; a {} database has one namespace",
                dialect.name()
            ),
        );
        return false;
    }
    true
}
