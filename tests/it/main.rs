//! The integration tests: one crate, so sqlx, tokio and the workspace link once instead of
//! once per file. Each module is one suite; `support` holds the database, corpus and fixture
//! helpers they share. The tests drive the real `autogen` binary (`CARGO_BIN_EXE_autogen`) and
//! real PostgreSQL, MariaDB and SQLite.

mod support;

mod backfill_playbook;
mod cli_diff;
mod cli_exclude;
mod cli_inspect;
mod cli_install;
mod cli_lifecycle;
mod cli_mysql;
mod cli_neon;
mod cli_revision;
mod cli_terminal;
mod cli_verify;
mod corpus_mysql_diff;
mod corpus_pg_diff;
mod corpus_pg_inspect;
mod corpus_sqlite_diff;
mod data_checks;
mod diff_data_survives;
mod diff_fk_cycles;
mod docs;
mod expand_contract;
mod expand_contract_kinds;
mod expand_contract_scale;
mod inspect_rust;
mod inspect_rust_dump;
mod inspect_seaorm;
mod inspect_seaorm_compiles;
mod introspect_mysql;
mod introspect_mysql_normalise;
mod introspect_normalise;
mod introspect_scale;
mod introspect_sqlite;
mod invariants;
mod lifecycle_hardening;
mod lock_safe;
mod migrate_lifecycle;
mod model_derive_check;
mod model_fixtures_read_clean;
mod models_broken;
mod models_diesel;
mod models_on_empty;
mod models_scale;
mod models_smuggled;
mod models_sources;
mod normalise_in_place;
mod pg_expressions;
mod pg_identity;
mod pg_objects;
mod pg_table_options;
mod properties;
mod quick_start_sqlite;
mod seaorm_oracle;
mod todo_walk;
mod todo_walk_mariadb;
mod todo_walk_sqlite;
