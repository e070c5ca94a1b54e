use autogen_schema::Dialect;

/// Why a plan could not be turned into SQL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("rendering migrations for {} is not supported yet", .dialect.name())]
    UnsupportedDialect { dialect: Dialect },
    /// The change is well-formed but the dialect has no way to express it.
    #[error("cannot render `{change}` for {}: {reason}", .dialect.name())]
    Unrepresentable {
        change: String,
        dialect: Dialect,
        reason: String,
    },
    #[error("cannot write the json report: {message}")]
    Json { message: String },
}
