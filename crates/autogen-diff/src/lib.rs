//! `diff(&current, &desired, &options) -> Plan`: the ordered, reversible list of changes that
//! turns one schema into another, with every hazard named. Pure: no database, files or clock.
//!
//! - [`diff`] compares by name (columns too: position is never a difference, new columns are
//!   appended). Renames come only from [`DiffOptions`]; a drop+add that looks like one is a
//!   [`RenameHint`]. Tables are created and dropped without their foreign keys, which are
//!   always steps of their own.
//! - The order is a petgraph DAG built from what each step creates, drops, modifies and needs
//!   (`order.rs`), sorted with a fixed tie-break. [`Plan::inverse`] is the down plan and needs
//!   no ordering of its own; it fails when the plan does not apply to its own `before`.
//! - [`hazards`]: one small function per rule, evaluated by each dialect's lowering
//!   (`autogen_render::lower`) with a [`HazardContext`] that says what the plan creates and
//!   what SQL was chosen; [`coerce`] knows which type changes widen and which PostgreSQL makes
//!   without a rewrite.
//! - [`apply`] is an in-memory model of each step, strict where PostgreSQL is strict; the
//!   tests prove every plan and its inverse on it.

mod apply;
mod backfill;
mod change;
pub mod coerce;
mod diff;
mod fold;
mod hazard;
mod options;
mod order;
mod plan;
mod refs;
mod uncompared;

#[cfg(test)]
mod tests;

pub use apply::{ApplyError, apply, apply_all, check_consistent, enum_dependents, enum_users};
pub use autogen_schema::Backfill;
pub use autogen_schema::{ColumnRename, EnumValueRename, Renames, TableRename};
pub use backfill::{apply_backfills, fills_nulls, fills_nulls_with_default};
pub use change::{Change, EnumColumnUse, EnumDependent, EnumValuePosition, SequenceRename};
pub use diff::{diff, scoped_desired};
pub use fold::spelled_as_current;
pub use hazard::{Hazard, HazardContext, HazardKind, created_tables, hazards};
pub use options::DiffOptions;
pub use plan::{Plan, RenameHint};
pub use uncompared::{Side, UncomparedDifference, uncompared_differences};
