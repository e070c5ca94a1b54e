mod apply;
mod cases;
mod errors;
pub(crate) mod fixtures;
mod invariants;
mod postgres;
mod rebuild;
mod reports;
mod sqlite;
