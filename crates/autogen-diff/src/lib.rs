//! `diff(&current, &desired, &options) -> Plan`: the ordered, reversible list of changes that
//! turns one schema into another, with every hazard named. Pure: no database, files or clock.

mod change;
mod hazard;
mod plan;

pub use change::{Change, EnumColumnUse, EnumValuePosition};
pub use hazard::{Hazard, HazardKind, hazards};
pub use plan::{Plan, RenameHint};
