//! `diff(&current, &desired, &options) -> Plan`: the ordered, reversible list of changes that
//! turns one schema into another, with every hazard named. Pure: no database, files or clock.

mod apply;
mod change;
pub mod coerce;
mod diff;
mod hazard;
mod options;
mod order;
mod plan;
mod refs;

#[cfg(test)]
mod tests;

pub use apply::{ApplyError, apply, apply_all, check_consistent, enum_users};
pub use change::{Change, EnumColumnUse, EnumValuePosition};
pub use diff::diff;
pub use hazard::{Hazard, HazardContext, HazardKind, hazards, hazards_in};
pub use options::{ColumnRename, DiffOptions, EnumValueRename, TableRename};
pub use plan::{Plan, RenameHint};
