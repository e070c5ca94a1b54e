use std::path::PathBuf;

use autogen_migrate::{DowngradeTarget, UpgradeTarget};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "autogen",
    // The version and the commit it was built from (`build.rs`), so a bug report says which.
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("AUTOGEN_COMMIT"), ")"),
    about = "Schema-diff migration autogeneration for Rust projects"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// `autogen -m MSG [--empty] [--dry-run] [--allow-data-loss]` is `autogen revision ..`
    #[command(flatten)]
    pub revision: ShortRevisionArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// Database URL (default: the environment variable `database_url_env` in autogen.toml
    /// names, DATABASE_URL unless it says otherwise; `.env` is read too)
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// An empty database of the same kind where the models' expressions are normalised instead
    /// of the database itself (default: `dev_url` in autogen.toml; without either, the database
    /// itself, in a transaction that is rolled back)
    #[arg(long, global = true, value_name = "URL")]
    pub dev_url: Option<String>,
    /// Schema (namespace) to work on; repeatable (default: public)
    #[arg(long = "schema", global = true, value_name = "NAME")]
    pub schemas: Vec<String>,
    /// Configuration file (default: ./autogen.toml when present)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Migration folder, in sqlx's layout (default: `migrations` in autogen.toml, else ./migrations)
    #[arg(long, global = true, value_name = "DIR")]
    pub migrations: Option<PathBuf>,
    /// Model files or directories (read recursively); repeatable (default: `models` in autogen.toml)
    #[arg(long, global = true, value_name = "PATH")]
    pub models: Vec<PathBuf>,
    /// What the models are: native autogen models, SeaORM entities or a Diesel schema.rs
    /// (default: `source` in autogen.toml, else detected from the files)
    #[arg(long, global = true, value_name = "SOURCE", value_parser = ["autogen", "seaorm", "diesel"])]
    pub source: Option<String>,
    /// Also print, on stderr, each connection (server, user, database) and each statement as it
    /// runs, with its timing
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Print nothing but errors and what the command was asked for (a schema, a diff, SQL, a
    /// history); `check` and `status` answer with their exit code alone
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Colour on the terminal: auto (when the output is a terminal and NO_COLOR is not set),
    /// always, never
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl GlobalArgs {
    pub fn verbosity(&self) -> crate::output::Verbosity {
        use crate::output::Verbosity;
        match (self.quiet, self.verbose) {
            (true, _) => Verbosity::Quiet,
            (false, true) => Verbosity::Verbose,
            (false, false) => Verbosity::Normal,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the live database schema
    ///
    /// `--format rust --out DIR` writes native model files instead (one file per table,
    /// enums in enums.rs, a mod.rs listing them) that `autogen check --models DIR` finds equal
    /// to the database; `--format seaorm --out DIR` writes SeaORM entities the way
    /// `sea-orm-cli generate entity` lays them out (one module per table,
    /// sea_orm_active_enums.rs, prelude.rs, mod.rs) that `autogen check --models DIR --source
    /// seaorm` finds equal; what the models cannot say is listed on stderr
    Inspect {
        #[arg(long, value_enum, default_value_t = InspectFormat::Sql)]
        format: InspectFormat,
        /// The folder `--format rust` or `--format seaorm` writes the files into (created when
        /// missing)
        #[arg(
            long,
            value_name = "DIR",
            required_if_eq_any([("format", "rust"), ("format", "seaorm")])
        )]
        out: Option<PathBuf>,
        /// Overwrite model files that already exist in the --out folder
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// Show what it takes to move the database to the models (or one database to another)
    Diff(DiffArgs),
    /// Write a reviewed, reversible migration that moves the database to the models
    Revision(RevisionArgs),
    /// Exit 0 when the database matches the models, 1 with the differences when it drifted
    Check,
    /// Write the contract pair of an expand migration (`-m --expand-contract`) once the
    /// application it was made for is deployed; refuses while rows are out of step
    Contract(ContractArgs),
    /// Apply pending migrations: all of them (head), up to a version, or the next N (+N)
    Upgrade(UpgradeArgs),
    /// Revert applied migrations: the last N (-N), down to a version, or all of them (base)
    Downgrade(DowngradeArgs),
    /// List every migration with its state: applied (when), pending, changed or missing
    History,
    /// Print the latest applied migration, or `base`
    Current,
    /// Say what is pending; exit 0 at head, 1 with pending migrations (or one in progress), 2
    /// when the folder and the database disagree, a migration is out of order, or the folder
    /// has two heads
    Status,
    /// Record migrations as applied (up to VERSION, or head) or not (after it, or base)
    /// without running them, like `alembic stamp`; recorded in _autogen_audit
    Stamp(StampArgs),
    /// Settle a migration recorded as failed, after finishing (--applied) or undoing
    /// (--rolled-back) it by hand, like `prisma migrate resolve`; recorded in _autogen_audit
    Resolve(ResolveArgs),
    /// Write a commented autogen.toml (never over an existing one)
    Init,
    /// Replay the migration folder on an empty database (--dev-url / `dev_url`, or one
    /// --create-db makes): each migration up, down, up again, the schema compared after each
    /// down; at the end the schema must equal the models. Exit 0 ok, 1 a migration that does
    /// not round-trip or an end that differs from the models, 2 an error
    Verify(VerifyArgs),
    /// Print a shell completion script: `autogen completions bash > /etc/bash_completion.d/autogen`
    /// (zsh: into a directory of `$fpath` as `_autogen`; fish: `~/.config/fish/completions/autogen.fish`)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `autogen man > autogen.1; man ./autogen.1`
    Man,
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Without --dev-url: create a database on the server of --database-url for the replay,
    /// dropped at the end (also after an error)
    #[arg(long)]
    pub create_db: bool,
}

/// The revision flags at the top level, for the `autogen -m MSG` shorthand.
#[derive(Debug, Default, clap::Args)]
pub struct ShortRevisionArgs {
    /// Write a migration: what it does (the shorthand for `autogen revision -m MSG`)
    #[arg(short = 'm', long = "message", value_name = "MSG")]
    pub message: Option<String>,
    /// With -m: write an empty pair of files for a hand-written (data) migration
    #[arg(long)]
    pub empty: bool,
    /// With -m: print what would be written and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// With -m: allow changes that destroy data
    #[arg(long)]
    pub allow_data_loss: bool,
    /// With -m: do not count the rows a change would fail on (for huge tables)
    #[arg(long)]
    pub skip_data_checks: bool,
    /// With -m (PostgreSQL): a column rename or type change, a column becoming NOT NULL or a
    /// table rename in two phases, expand now and `autogen contract` after the deploy
    /// (docs/zero-downtime.md)
    #[arg(long)]
    pub expand_contract: bool,
}

#[derive(Debug, Default, clap::Args)]
pub struct RevisionArgs {
    /// What the migration does; it names the files
    #[arg(short = 'm', long = "message", value_name = "MSG")]
    pub message: String,
    /// Write an empty pair of files for a hand-written (data) migration
    #[arg(long)]
    pub empty: bool,
    /// Print what would be written and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Allow changes that destroy data (drop table or column, narrowing types, removed enum values)
    #[arg(long)]
    pub allow_data_loss: bool,
    /// Do not count the rows that a new NOT NULL, UNIQUE, CHECK, foreign key, narrower type or
    /// removed enum label would fail on (each check is one query bounded by a timeout; skip
    /// them for huge tables)
    #[arg(long)]
    pub skip_data_checks: bool,
    /// PostgreSQL: make a column rename or type change, a column becoming NOT NULL or a table
    /// rename in two phases: this writes the expand pair (the new column beside the old, kept
    /// in step by a trigger, filled in batches; a NOT VALID check, a trigger filling NULLs, a
    /// batched backfill, the check validated; the table renamed with an updatable view under
    /// its old name); `autogen contract` writes the contract pair after the deploy (also
    /// `zero_downtime = true` in autogen.toml; docs/zero-downtime.md)
    #[arg(long)]
    pub expand_contract: bool,
}

#[derive(Debug, clap::Args)]
pub struct ContractArgs {
    /// What the migration does (default: the expand migration's message)
    #[arg(short = 'm', long = "message", value_name = "MSG")]
    pub message: Option<String>,
    /// Print what would be written and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, clap::Args)]
pub struct UpgradeArgs {
    /// head, a migration version, or +N for the next N pending migrations
    #[arg(default_value = "head", value_name = "TARGET")]
    pub target: UpgradeTarget,
    /// Print the SQL the upgrade would run (each migration in BEGIN/COMMIT) instead of running
    /// it; with a database, only what is pending there
    #[arg(long)]
    pub sql: bool,
    /// Apply pending migrations older than the newest applied one (written on another branch)
    #[arg(long)]
    pub allow_out_of_order: bool,
}

#[derive(Debug, clap::Args)]
pub struct StampArgs {
    /// head, base, or a migration version
    #[arg(value_name = "TARGET")]
    pub target: autogen_migrate::StampTarget,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("resolution").required(true).args(["applied", "rolled_back"])))]
pub struct ResolveArgs {
    /// The failed migration's version
    #[arg(value_name = "VERSION")]
    pub version: i64,
    /// It was finished by hand: record it as applied
    #[arg(long)]
    pub applied: bool,
    /// It was undone by hand: remove its record, so it is pending again
    #[arg(long)]
    pub rolled_back: bool,
}

#[derive(Debug, clap::Args)]
pub struct DowngradeArgs {
    /// -N for the last N applied migrations, a version to go back to, or base for all
    #[arg(
        default_value = "-1",
        value_name = "TARGET",
        allow_hyphen_values = true
    )]
    pub target: DowngradeTarget,
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The current side: a database to compare instead of --database-url (needs --to)
    #[arg(long, value_name = "URL")]
    pub from: Option<String>,
    /// The desired side: a database to compare instead of the models (needs --from)
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,
    #[arg(long, value_enum, default_value_t = DiffFormat::Summary)]
    pub format: DiffFormat,
    /// Exit 1 when there are differences, 0 when there are none (2 stays an error)
    #[arg(long)]
    pub exit_code: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// The changes in plain words, with their hazards
    Summary,
    /// Executable SQL that moves the current schema to the desired one
    Up,
    /// Executable SQL that moves it back
    Down,
    /// Up and down, labelled, as a migration pair would hold them
    Sql,
    /// A unified diff of the canonical DDL of each changed object
    Schema,
    /// The plan: changes, inverse, hazards and statements
    Json,
    /// A summary for a pull request
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    /// Canonical DDL that recreates the schema
    Sql,
    /// The schema IR as JSON
    Json,
    /// Native `#[derive(autogen::Model)]` model files, written into --out
    Rust,
    /// SeaORM entities (SeaORM 1.x's `DeriveEntityModel` format, which 2.x compiles too),
    /// written into --out
    Seaorm,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap checks the definitions only when a command line is parsed: check them all here.
    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
