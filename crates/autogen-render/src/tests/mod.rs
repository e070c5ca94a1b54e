mod apply;
mod cases;
mod errors;
pub(crate) mod fixtures;
mod invariants;
mod mysql;
mod postgres;
mod rebuild;
mod reports;
