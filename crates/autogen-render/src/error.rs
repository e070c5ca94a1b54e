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
    /// The differ's simulator refuses a change where the plan says it runs: the schema a plan
    /// starts from and its changes disagree, so no SQL (and no down plan) can be trusted.
    #[error("the plan does not apply to the schema it starts from: {reason}")]
    DoesNotApply { reason: String },
    #[error("cannot write the json report: {message}")]
    Json { message: String },
}
