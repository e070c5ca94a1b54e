mod apply;
mod cases;
mod errors;
pub(crate) mod fixtures;
mod postgres;
mod rebuild;
mod reports;
