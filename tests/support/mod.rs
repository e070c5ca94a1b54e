#![allow(dead_code)]
pub mod corpus;
pub mod mysql;
pub mod pg;
pub mod walk;
