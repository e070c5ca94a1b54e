//! The intermediate representation at the middle of autogen.
//!
//! Everything either produces a [`Schema`] (the model reader, the introspector) or consumes
//! [`Schema`]s (the differ, the renderers). This crate does no IO and every map is ordered, so
//! the same schema always serialises and prints byte-identically.

mod authority;
pub mod ddl;
mod dialect;
mod ir;
pub mod naming;
mod object;
mod placeholder;
mod quote;
mod renames;
mod table_facts;
mod types;
pub mod url;

pub use authority::{Authority, Facts, TypeFidelity};
pub use ddl::{DdlStatement, canonical_ddl, canonical_ddl_text, create_table_ddl};
pub use dialect::Dialect;
pub use ir::*;
pub use object::{DbObject, Dependency, DomainParts, ObjectKind, grantee, object_key};
pub use placeholder::{needs_placeholder, placeholder_value};
pub use quote::{QualifiedName, quote_ident, quote_literal};
pub use renames::{Backfill, ColumnRename, EnumValueRename, Renames, TableRename};
pub use table_facts::{
    CommentTarget, Exclusion, PartitionOf, PostgresTable, PostgresTableOptions, ReplicaIdentity,
    built_partition_index_name, with_attached_as_own,
};
pub use types::{ColumnType, TypeParseError};
pub use url::{Secrets, UrlError, dialect_of_url, redact_url};
