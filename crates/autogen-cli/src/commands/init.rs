#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlx's, dotenvy's and std's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use std::io::Write;
use std::path::PathBuf;

use anyhow::anyhow;

use crate::cli::GlobalArgs;
use crate::config::CONFIG_FILE;

/// The file `autogen init` writes: every key with its default, and what it means.
const TEMPLATE: &str = r#"# autogen configuration.
#
# Command-line flags win over environment variables, which win over this file, which wins over
# the defaults. Relative paths are relative to the directory of this file.

# Where the model structs live: files or directories (read recursively). Flag: --models.
models = ["src/models"]

# The migration folder, in sqlx's layout (<version>_<name>.up.sql / .down.sql), so that
# `sqlx migrate run` and `sqlx::migrate!()` read it too. Flag: --migrations.
migrations = "migrations"

# The PostgreSQL schemas to compare and inspect. Flag: --schema (repeatable).
schemas = ["public"]

# The environment variable that holds the database URL (a .env file in the working directory
# is read too, without overriding variables already set). The URL itself does not belong in
# this file: it usually carries a password. Flag: --database-url.
database_url_env = "DATABASE_URL"

# The variable that holds the direct (unpooled) URL, preferred over the one above when set:
# upgrade, downgrade, -m, stamp and resolve refuse a pooled URL (Neon's `-pooler` host,
# PgBouncer). See docs/neon.md.
# database_url_direct_env = "DATABASE_URL_DIRECT"

# An empty database of the same kind where the models' expressions are normalised instead of
# the database itself (needed only where the role may not create a schema in its own database,
# or by choice; e.g. `docker run --rm -d -p 5433:5432 -e POSTGRES_HOST_AUTH_METHOD=trust
# postgres:16`). Flag: --dev-url.
# dev_url = "postgres://postgres@localhost:5433/postgres"

# Tables another tool owns, left alone on both sides (never created, altered or dropped, not
# inspected): globs over the table's name (any schema) or, with a dot, `schema.table`.
# exclude_tables = ["spatial_ref_sys", "tmp_*", "audit.*"]

# Schemas compared besides `schemas`: every schema of the database a glob matches (PostgreSQL);
# the models' tables in schemas neither listed nor matched are left out too.
# include_schemas = ["tenant_*"]
"#;

/// Writes `--config FILE` or `./autogen.toml`; never over an existing file.
pub fn run(global: &GlobalArgs) -> anyhow::Result<u8> {
    let path = global
        .config
        .clone()
        .unwrap_or_else(|| PathBuf::from(CONFIG_FILE));
    // create_new: the check and the creation are one step, so a file made meanwhile is safe too.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => anyhow!(
                "{} already exists; autogen init never overwrites it",
                path.display()
            ),
            _ => anyhow!("cannot create {}: {e}", path.display()),
        })?;
    if let Err(e) = file
        .write_all(TEMPLATE.as_bytes())
        .and_then(|()| file.sync_all())
    {
        // Half a file would be read as configuration next time: none is better.
        let _ = std::fs::remove_file(&path);
        return Err(anyhow!("cannot write {}: {e}", path.display()));
    }
    crate::output::said(&format!("wrote {}\n", path.display()))?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::TEMPLATE;

    /// What init writes is what the settings read, with the defaults they would use anyway.
    #[test]
    fn the_template_is_a_valid_configuration() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("autogen.toml");
        std::fs::write(&path, TEMPLATE).unwrap();
        let cli = <crate::cli::Cli as clap::Parser>::try_parse_from([
            "autogen".as_ref(),
            "--config".as_ref(),
            path.as_os_str(),
            "current".as_ref(),
        ])
        .unwrap();
        let settings = crate::config::Settings::load(&cli.global).unwrap();
        assert_eq!(settings.migrations_dir, dir.path().join("migrations"));
        assert_eq!(settings.schemas, ["public"]);
        assert_eq!(settings.models, [dir.path().join("src/models")]);
    }
}
