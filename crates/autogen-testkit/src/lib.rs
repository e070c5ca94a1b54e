//! Fresh databases for tests: each test gets its own, created on demand and dropped at the end.
//!
//! A database that cannot be had is a failed test with a message saying what was tried, never a
//! silent skip.

mod postgres;

pub use postgres::{PostgresDb, postgres};
