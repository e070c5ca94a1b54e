#![allow(dead_code)]
pub mod corpus;
pub mod expand;
pub mod help;
pub mod mysql;
pub mod pg;
pub mod scale;
pub mod scenario;
pub mod walk;
