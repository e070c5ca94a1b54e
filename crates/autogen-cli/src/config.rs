//! Settings every command works with, from four places, the first that has a value winning:
//! command-line flags, then the environment (the process's, then `./.env`, which never overrides
//! a variable already set, like sqlx-cli), then `autogen.toml`, then the defaults.
//!
//! The database URL is never read from `autogen.toml`: it usually carries a password and the file
//! is committed. The file names the environment variable that holds it (`database_url_env`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail};
use autogen_model::Source;
use serde::Deserialize;

use crate::cli::GlobalArgs;

/// The configuration file read when `--config` is not given, if it exists.
pub const CONFIG_FILE: &str = "autogen.toml";
/// The dotenv file read from the working directory.
const DOTENV_FILE: &str = ".env";
const DEFAULT_MIGRATIONS: &str = "migrations";
const DEFAULT_SCHEMA: &str = "public";
const DEFAULT_URL_ENV: &str = "DATABASE_URL";
/// The variable holding the direct (unpooled) URL, preferred when set (Neon, PgBouncer).
const DEFAULT_DIRECT_URL_ENV: &str = "DATABASE_URL_DIRECT";

/// What the commands work with, resolved once from flags, environment, file and defaults.
#[derive(Clone)]
pub struct Settings {
    /// `None` when no flag or variable gives one: only commands that need a database fail then.
    pub database_url: Option<String>,
    /// Where the models are normalised instead of the database itself (`--dev-url`, `dev_url`).
    pub dev_url: Option<String>,
    pub migrations_dir: PathBuf,
    pub schemas: Vec<String>,
    /// Model files or directories; empty when neither `--models` nor the file names any.
    pub models: Vec<PathBuf>,
    /// The same paths, each with the source it is read with (when one is given) and where the
    /// path and the source came from.
    pub model_paths: Vec<ModelPath>,
    /// `seaorm_keys` in autogen.toml: how SeaORM numbered the keys (2.x identity, 1.x serial).
    pub seaorm_keys: autogen_model::SeaOrmKeys,
    /// How plans are lowered into migrations: `lock_safe`, `lock_timeout`, `statement_timeout`
    /// in autogen.toml (PostgreSQL; see docs/postgres.md).
    pub lower: autogen_render::LowerOptions,
    /// `exclude_tables` in autogen.toml: removed from both sides of every comparison.
    pub exclude_tables: crate::exclude::TableFilter,
    /// `include_schemas` in autogen.toml: `None` when not given (then `schemas` alone).
    pub include_schemas: Option<crate::exclude::SchemaFilter>,
    /// `zero_downtime` in autogen.toml: `-m` writes column renames and type changes, columns
    /// becoming NOT NULL and table renames as expand/contract migrations (PostgreSQL;
    /// docs/zero-downtime.md).
    pub zero_downtime: bool,
    /// Where the values came from, for error messages.
    origins: Origins,
}

#[derive(Clone)]
struct Origins {
    /// The variable the URL is read from (or would be).
    url_env: String,
    /// The variable holding the direct URL, preferred over `url_env` when set.
    direct_url_env: String,
    url: Option<Origin>,
    migrations: Origin,
    /// The configuration file read, if any.
    config_file: Option<PathBuf>,
}

/// Where one setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Flag(&'static str),
    Env(String),
    DotEnv(String),
    ConfigFile { key: &'static str, file: PathBuf },
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag(flag) => write!(f, "{flag}"),
            Origin::Env(name) => write!(f, "the environment variable {name}"),
            Origin::DotEnv(name) => write!(f, "{name} in {DOTENV_FILE}"),
            Origin::ConfigFile { key, file } => write!(f, "`{key}` in {}", file.display()),
            Origin::Default => f.write_str("the default"),
        }
    }
}

/// One models path: files or a directory, read with one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelPath {
    pub path: PathBuf,
    /// Where the path came from: `--models` or `models` in autogen.toml.
    pub origin: Origin,
    /// `None`: detected from what the files hold.
    pub source: Option<(Source, Origin)>,
}

/// The command line's share of the settings.
#[derive(Debug, Default)]
pub struct Flags<'a> {
    pub config: Option<&'a Path>,
    pub database_url: Option<&'a str>,
    pub dev_url: Option<&'a str>,
    pub migrations: Option<&'a Path>,
    pub schemas: &'a [String],
    pub models: &'a [PathBuf],
    pub source: Option<&'a str>,
}

impl<'a> Flags<'a> {
    pub fn of(global: &'a GlobalArgs) -> Flags<'a> {
        Flags {
            config: global.config.as_deref(),
            database_url: global.database_url.as_deref(),
            dev_url: global.dev_url.as_deref(),
            migrations: global.migrations.as_deref(),
            schemas: &global.schemas,
            models: &global.models,
            source: global.source.as_deref(),
        }
    }
}

/// `autogen.toml`. Unknown keys are errors, so a typo is not silently a default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// Each entry a path (read with the top-level `source`) or `{ path, source }`.
    models: Option<Vec<ModelsEntry>>,
    /// The source of every `models` path that does not name its own.
    source: Option<String>,
    migrations: Option<PathBuf>,
    schemas: Option<Vec<String>>,
    database_url_env: Option<String>,
    /// The variable holding the direct (unpooled) URL, preferred when set (default
    /// DATABASE_URL_DIRECT).
    database_url_direct_env: Option<String>,
    /// An empty database for normalisation (a local or docker one, usually without a password).
    dev_url: Option<String>,
    seaorm_keys: Option<SeaOrmKeysValue>,
    /// PostgreSQL: lock-safe plans (default true).
    lock_safe: Option<bool>,
    /// PostgreSQL `lock_timeout` set at the top of every migration (default `"5s"`).
    lock_timeout: Option<String>,
    /// PostgreSQL `statement_timeout` set at the top of every migration (default `"0"`).
    statement_timeout: Option<String>,
    /// Tables autogen leaves alone on both sides: globs over the name or `schema.name`.
    exclude_tables: Option<Vec<String>>,
    /// Schemas compared besides `schemas`: globs over the database's schema names.
    include_schemas: Option<Vec<String>>,
    /// PostgreSQL: column renames and type changes, columns becoming NOT NULL and table
    /// renames as expand/contract migrations.
    zero_downtime: Option<bool>,
}

/// One `models` entry: `"src/models"` or `{ path = "src/entity", source = "seaorm" }`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ModelsEntry {
    Path(PathBuf),
    Table(ModelsTable),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelsTable {
    path: PathBuf,
    source: Option<String>,
}

impl ModelsEntry {
    fn path(&self) -> &Path {
        match self {
            ModelsEntry::Path(path) | ModelsEntry::Table(ModelsTable { path, .. }) => path,
        }
    }

    fn source(&self) -> Option<&str> {
        match self {
            ModelsEntry::Path(_) => None,
            ModelsEntry::Table(table) => table.source.as_deref(),
        }
    }
}

/// A string or a table, each with serde's own errors (and so the file's line): an untagged
/// enum would only say that neither matched.
impl<'de> Deserialize<'de> for ModelsEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entry;
        impl<'de> serde::de::Visitor<'de> for Entry {
            type Value = ModelsEntry;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a path, or a table `{ path = \"..\", source = \"..\" }`")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ModelsEntry, E> {
                Ok(ModelsEntry::Path(PathBuf::from(v)))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<ModelsEntry, A::Error> {
                ModelsTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(ModelsEntry::Table)
            }
        }
        deserializer.deserialize_any(Entry)
    }
}

/// `seaorm_keys = "identity" | "serial"`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum SeaOrmKeysValue {
    Identity,
    Serial,
}

/// A configuration file and where it was read from.
#[derive(Debug)]
struct Config {
    path: PathBuf,
    file: ConfigFile,
}

impl Config {
    /// A path from the file, relative to the file's directory (as Cargo and alembic do), so the
    /// same file works whatever directory autogen runs in.
    fn path_of(&self, path: &Path) -> PathBuf {
        match self.path.parent() {
            Some(dir) if path.is_relative() => dir.join(path),
            Some(_) | None => path.to_owned(),
        }
    }

    fn origin(&self, key: &'static str) -> Origin {
        Origin::ConfigFile {
            key,
            file: self.path.clone(),
        }
    }
}

impl Settings {
    /// The schemas to read at `url`: `schemas`/`--schema`, plus the database's schemas that an
    /// `include_schemas` pattern matches (one more query, only when there are patterns).
    pub async fn schemas_at(&self, url: &str) -> anyhow::Result<Vec<String>> {
        let Some(filter) = &self.include_schemas else {
            return Ok(self.schemas.clone());
        };
        let existing = autogen_introspect::schema_names(url).await?;
        Ok(filter.resolve(&self.schemas, &existing))
    }

    /// Reads `--config FILE` (or `./autogen.toml` when present), `./.env` and the process's
    /// environment, and resolves every setting.
    pub fn load(global: &GlobalArgs) -> anyhow::Result<Settings> {
        let flags = Flags::of(global);
        let config = read_config(flags.config)?;
        let dotenv = read_dotenv(Path::new(DOTENV_FILE))?;
        let settings = resolve(&flags, &process_env, &dotenv, config)?;
        for url in [&settings.database_url, &settings.dev_url]
            .into_iter()
            .flatten()
        {
            remember_secrets(url);
        }
        Ok(settings)
    }

    /// The database URL, or an error that says where it would have come from.
    pub fn database_url(&self) -> anyhow::Result<&str> {
        if let Some(url) = self.database_url.as_deref() {
            return Ok(url);
        }
        let mut message = format!(
            "no database given; pass --database-url or set {}",
            self.origins.url_env
        );
        if let Some(file) = self
            .origins
            .config_file
            .as_ref()
            .filter(|_| self.origins.url_env != DEFAULT_URL_ENV)
        {
            message.push_str(&format!(" (`database_url_env` in {})", file.display()));
        }
        Err(anyhow!(message))
    }

    /// Where the migration folder setting came from, for messages about the folder.
    /// The variable the direct URL is read from.
    pub fn direct_url_env(&self) -> &str {
        &self.origins.direct_url_env
    }

    pub fn migrations_origin(&self) -> &Origin {
        &self.origins.migrations
    }

    /// Where the database URL came from, if one was given.
    pub fn database_url_origin(&self) -> Option<&Origin> {
        self.origins.url.as_ref()
    }
}

/// Never the URL's password, even in a debug print.
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field(
                "database_url",
                &self.database_url.as_deref().map(redacted_url),
            )
            .field("dev_url", &self.dev_url.as_deref().map(redacted_url))
            .field("migrations_dir", &self.migrations_dir)
            .field("schemas", &self.schemas)
            .field("models", &self.models)
            .finish_non_exhaustive()
    }
}

/// The URL with its password replaced ([`autogen_schema::redact_url`], the one redaction); an
/// unparsable one is not shown at all.
pub fn redacted_url(url: &str) -> String {
    autogen_schema::redact_url(url)
}

/// The passwords of every URL the run has seen (flags, environment, `.env`): whatever prints
/// to the terminal goes through [`scrub`].
static SECRETS: std::sync::Mutex<autogen_schema::Secrets> =
    std::sync::Mutex::new(autogen_schema::Secrets::EMPTY);

/// Adds the password of `url` (as typed and decoded) to what [`scrub`] hides.
pub fn remember_secrets(url: &str) {
    if let Ok(mut secrets) = SECRETS.lock() {
        secrets.add_url(url);
    }
}

/// `text` without any password the run has seen, nor any URL's password: the one redaction
/// ([`autogen_schema::Secrets::scrub`]) every message to the terminal goes through.
pub fn scrub(text: &str) -> String {
    match SECRETS.lock() {
        Ok(secrets) => secrets.scrub(text),
        Err(_) => autogen_schema::url::redact_urls_in(text),
    }
}

/// The variable `name` of the process; `None` when unset or empty (as clap treats it).
fn process_env(name: &str) -> Option<String> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(|v| v.to_string_lossy().into_owned())
}

/// Every setting from its first source. `env` is the process's environment, `dotenv` the
/// variables of `.env`.
fn resolve(
    flags: &Flags<'_>,
    env: &dyn Fn(&str) -> Option<String>,
    dotenv: &BTreeMap<String, String>,
    config: Option<Config>,
) -> anyhow::Result<Settings> {
    let file = config.as_ref().map(|c| &c.file);
    let url_env = file
        .and_then(|f| f.database_url_env.clone())
        .unwrap_or_else(|| DEFAULT_URL_ENV.to_owned());
    let direct_url_env = file
        .and_then(|f| f.database_url_direct_env.clone())
        .unwrap_or_else(|| DEFAULT_DIRECT_URL_ENV.to_owned());
    let direct = env(&direct_url_env)
        .map(|url| (url, Origin::Env(direct_url_env.clone())))
        .or_else(|| {
            dotenv
                .get(&direct_url_env)
                .filter(|v| !v.is_empty())
                .map(|url| (url.clone(), Origin::DotEnv(direct_url_env.clone())))
        });
    let (database_url, url_origin) = match (flags.database_url, direct) {
        (Some(url), _) => (Some(url.to_owned()), Some(Origin::Flag("--database-url"))),
        // The direct URL wins over the (usually pooled) one the application uses.
        (None, Some((url, origin))) => (Some(url), Some(origin)),
        (None, None) => match env(&url_env) {
            Some(url) => (Some(url), Some(Origin::Env(url_env.clone()))),
            None => match dotenv.get(&url_env).filter(|v| !v.is_empty()) {
                Some(url) => (Some(url.clone()), Some(Origin::DotEnv(url_env.clone()))),
                None => (None, None),
            },
        },
    };

    let (migrations_dir, migrations_origin) = match (flags.migrations, &config) {
        (Some(dir), _) => (dir.to_owned(), Origin::Flag("--migrations")),
        (None, Some(c)) if c.file.migrations.is_some() => (
            c.path_of(c.file.migrations.as_deref().expect("checked")),
            c.origin("migrations"),
        ),
        (None, Some(_) | None) => (PathBuf::from(DEFAULT_MIGRATIONS), Origin::Default),
    };

    if flags.schemas.iter().any(|s| s.trim().is_empty()) {
        bail!("--schema needs a schema name; an empty one was given");
    }
    let schemas = if !flags.schemas.is_empty() {
        flags.schemas.to_vec()
    } else {
        file.and_then(|f| f.schemas.clone())
            .unwrap_or_else(|| vec![DEFAULT_SCHEMA.to_owned()])
    };

    let model_paths = model_paths(flags, config.as_ref())?;
    let models = model_paths.iter().map(|m| m.path.clone()).collect();

    let dev_url = match flags.dev_url {
        Some(url) => Some(url.to_owned()),
        None => file.and_then(|f| f.dev_url.clone()),
    };

    let seaorm_keys = match file.and_then(|f| f.seaorm_keys) {
        Some(SeaOrmKeysValue::Serial) => autogen_model::SeaOrmKeys::Serial,
        Some(SeaOrmKeysValue::Identity) | None => autogen_model::SeaOrmKeys::Identity,
    };

    let mut lower = autogen_render::LowerOptions::default();
    if let Some(file) = file {
        if let Some(lock_safe) = file.lock_safe {
            lower.lock_safe = lock_safe;
        }
        for (key, value, slot) in [
            ("lock_timeout", &file.lock_timeout, &mut lower.lock_timeout),
            (
                "statement_timeout",
                &file.statement_timeout,
                &mut lower.statement_timeout,
            ),
        ] {
            if let Some(value) = value {
                if !is_duration(value) {
                    bail!(
                        "`{key}` in {}: expected a PostgreSQL duration such as \"5s\", \"500ms\", \"2min\" or \"0\" (no limit), got {value:?}",
                        config
                            .as_ref()
                            .map_or_else(String::new, |c| c.path.display().to_string())
                    );
                }
                *slot = Some(value.trim().to_owned());
            }
        }
    }

    let exclude_tables = match file.and_then(|f| f.exclude_tables.as_deref()) {
        Some(patterns) => crate::exclude::TableFilter::parse(patterns).map_err(|e| {
            anyhow!(
                "`exclude_tables` in {}: {e}",
                config
                    .as_ref()
                    .map_or_else(String::new, |c| c.path.display().to_string())
            )
        })?,
        None => crate::exclude::TableFilter::default(),
    };

    let include_schemas = match file.and_then(|f| f.include_schemas.as_deref()) {
        Some(patterns) => Some(crate::exclude::SchemaFilter::parse(patterns).map_err(|e| {
            anyhow!(
                "`include_schemas` in {}: {e}",
                config
                    .as_ref()
                    .map_or_else(String::new, |c| c.path.display().to_string())
            )
        })?),
        None => None,
    };

    Ok(Settings {
        database_url,
        dev_url,
        migrations_dir,
        schemas,
        include_schemas,
        models,
        model_paths,
        seaorm_keys,
        lower,
        exclude_tables,
        zero_downtime: file.and_then(|f| f.zero_downtime).unwrap_or(false),
        origins: Origins {
            url_env,
            direct_url_env,
            url: url_origin,
            migrations: migrations_origin,
            config_file: config.map(|c| c.path),
        },
    })
}

/// A PostgreSQL duration setting: a number, optionally followed by a unit.
fn is_duration(value: &str) -> bool {
    let value = value.trim();
    let digits = value.chars().take_while(char::is_ascii_digit).count();
    let unit = value[digits..].trim();
    digits > 0 && ["", "us", "ms", "s", "min", "h", "d"].contains(&unit)
}

/// The models paths with their sources: `--source` for every path, else the entry's own
/// `source`, else the file's top-level `source`, else none (detected from the files).
fn model_paths(flags: &Flags<'_>, config: Option<&Config>) -> anyhow::Result<Vec<ModelPath>> {
    let flag_source = flags
        .source
        .map(|name| Source::parse(name).map_err(|e| anyhow!("--source: {e}")))
        .transpose()?
        .map(|source| (source, Origin::Flag("--source")));
    let file_source = config.and_then(|c| {
        let source = c.file.source.as_deref()?;
        // Checked by `parse_config`.
        let source = Source::parse(source).ok()?;
        Some((source, c.origin("source")))
    });
    if !flags.models.is_empty() {
        return Ok(flags
            .models
            .iter()
            .map(|path| ModelPath {
                path: path.clone(),
                origin: Origin::Flag("--models"),
                source: flag_source.clone().or_else(|| file_source.clone()),
            })
            .collect());
    }
    let Some(c) = config else {
        return Ok(Vec::new());
    };
    Ok(c.file
        .models
        .iter()
        .flatten()
        .map(|entry| {
            let own = entry
                .source()
                .and_then(|name| Source::parse(name).ok())
                .map(|source| (source, c.origin("models")));
            ModelPath {
                path: c.path_of(entry.path()),
                origin: c.origin("models"),
                source: flag_source.clone().or(own).or_else(|| file_source.clone()),
            }
        })
        .collect())
}

/// `--config FILE`, which must exist, or `./autogen.toml` if it exists.
fn read_config(flag: Option<&Path>) -> anyhow::Result<Option<Config>> {
    let path = match flag {
        Some(path) => path.to_owned(),
        None => {
            let default = PathBuf::from(CONFIG_FILE);
            if !default.is_file() {
                return Ok(None);
            }
            default
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        let origin = if flag.is_some() { "--config " } else { "" };
        anyhow!("cannot read {origin}{}: {}", path.display(), io_reason(&e))
    })?;
    let file = parse_config(&text, &path)?;
    Ok(Some(Config { path, file }))
}

#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlx's, dotenvy's and std's std::io::ErrorKind, not ours: a wildcard is the intent"
)]
fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        _ => error.to_string(),
    }
}

/// Parses and checks the file's content; errors name the file, the line and the key.
fn parse_config(text: &str, path: &Path) -> anyhow::Result<ConfigFile> {
    let file = path.display();
    // The one key people try that is refused on purpose gets its reason, not "unknown field".
    if let Ok(table) = toml::from_str::<toml::Table>(text)
        && table.contains_key("database_url")
    {
        bail!(
            "`database_url` in {file} is not read: a URL there would put its password in a \
             committed file; set `database_url_env` to the name of the environment variable \
             that holds it (default DATABASE_URL)"
        );
    }
    let config: ConfigFile = toml::from_str(text).map_err(|e| {
        let at = e.span().map(|span| located(text, span.start));
        match at {
            Some((line, Some(key))) => {
                anyhow!("invalid {file} (line {line}, `{key}`): {}", e.message())
            }
            Some((line, None)) => anyhow!("invalid {file} (line {line}): {}", e.message()),
            None => anyhow!("invalid {file}: {}", e.message()),
        }
    })?;
    for (key, name, example) in [
        (
            "database_url_env",
            &config.database_url_env,
            DEFAULT_URL_ENV,
        ),
        (
            "database_url_direct_env",
            &config.database_url_direct_env,
            DEFAULT_DIRECT_URL_ENV,
        ),
    ] {
        if let Some(name) = name
            && (name.is_empty() || name.contains(['=', '\0']) || name.trim() != name)
        {
            bail!(
                "invalid {file}: `{key}` must be the name of an environment variable, \
                 such as {example}"
            );
        }
    }
    if let Some(schemas) = &config.schemas {
        if schemas.is_empty() {
            bail!("invalid {file}: `schemas` is empty; name at least one schema, such as public");
        }
        if schemas.iter().any(String::is_empty) {
            bail!("invalid {file}: `schemas` has an empty name");
        }
    }
    if let Some(source) = &config.source {
        Source::parse(source).map_err(|e| anyhow!("invalid {file}: `source`: {e}"))?;
    }
    for (n, entry) in config.models.iter().flatten().enumerate() {
        if let Some(source) = entry.source() {
            Source::parse(source)
                .map_err(|e| anyhow!("invalid {file}: `models` entry {}: {e}", n + 1))?;
        }
        if entry.path().as_os_str().is_empty() {
            bail!("invalid {file}: `models` entry {} has an empty path", n + 1);
        }
    }
    if config
        .dev_url
        .as_deref()
        .is_some_and(|u| u.trim().is_empty())
    {
        bail!(
            "invalid {file}: `dev_url` is empty; give the URL of an empty database, or leave it out"
        );
    }
    if config.migrations.as_deref() == Some(Path::new("")) {
        bail!("invalid {file}: `migrations` is empty; name the migration folder");
    }
    Ok(config)
}

/// The 1-based line of byte `at` in `text`, and the key assigned on that line, if any.
fn located(text: &str, at: usize) -> (usize, Option<String>) {
    let at = at.min(text.len());
    let line = text[..at].matches('\n').count() + 1;
    let line_text = text.lines().nth(line - 1).unwrap_or("");
    let key = line_text
        .split_once('=')
        .map(|(key, _)| key.trim().trim_matches('"').to_owned())
        .filter(|key| !key.is_empty() && !key.starts_with('#'));
    (line, key)
}

/// The variables of a dotenv file; none when it does not exist. A malformed line is an error
/// that gives its number, never its content (it may hold a password).
fn read_dotenv(path: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let iter = match dotenvy::from_path_iter(path) {
        Ok(iter) => iter,
        Err(dotenvy::Error::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(BTreeMap::new());
        }
        Err(e) => return Err(dotenv_error(path, &e)),
    };
    let mut vars = BTreeMap::new();
    for item in iter {
        let (key, value) = item.map_err(|e| dotenv_error(path, &e))?;
        vars.insert(key, value);
    }
    Ok(vars)
}

#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlx's, dotenvy's and std's dotenvy::Error, not ours: a wildcard is the intent"
)]
fn dotenv_error(path: &Path, error: &dotenvy::Error) -> anyhow::Error {
    let file = path.display();
    match error {
        dotenvy::Error::LineParse(line, _) => {
            let number = std::fs::read_to_string(path).ok().and_then(|text| {
                text.lines()
                    .position(|l| l == line || l.contains(line.as_str()))
            });
            match number {
                Some(at) => anyhow!("cannot read {file}: line {} is not NAME=value", at + 1),
                None => anyhow!("cannot read {file}: a line is not NAME=value"),
            }
        }
        dotenvy::Error::Io(e) => anyhow!("cannot read {file}: {e}"),
        // dotenvy's own message names a variable, never a value.
        other => anyhow!("cannot read {file}: {other}"),
    }
}

/// The settings needed to open the migration folder, with its origin in the error.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "one origin differs; the others are handled alike"
)]
pub fn folder_context(settings: &Settings) -> String {
    format!(
        "migration folder {} ({})",
        settings.migrations_dir.display(),
        match settings.migrations_origin() {
            Origin::Default =>
                "the default; choose another with --migrations or `migrations` in autogen.toml"
                    .to_owned(),
            origin => format!("from {origin}"),
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(path: &str, text: &str) -> Option<Config> {
        Some(Config {
            path: PathBuf::from(path),
            file: parse_config(text, Path::new(path)).unwrap(),
        })
    }

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: BTreeMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| vars.get(name).cloned()
    }

    fn dotenv(vars: &[(&str, &str)]) -> BTreeMap<String, String> {
        vars.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    const FULL: &str = r#"
models = ["src/models", "/abs/models.rs"]
migrations = "db/migrations"
schemas = ["app", "public"]
database_url_env = "APP_DATABASE_URL"
"#;

    #[test]
    fn the_direct_url_wins_over_the_pooled_one() {
        let vars = [
            ("DATABASE_URL", "postgres://pooled"),
            ("DATABASE_URL_DIRECT", "postgres://direct"),
        ];
        let s = resolve(&Flags::default(), &env(&vars), &dotenv(&[]), None).unwrap();
        assert_eq!(s.database_url.as_deref(), Some("postgres://direct"));
        // In .env too, and under the name autogen.toml gives.
        let file = config("autogen.toml", "database_url_direct_env = \"D\"\n");
        let s = resolve(
            &Flags::default(),
            &env(&[("DATABASE_URL", "postgres://pooled")]),
            &dotenv(&[("D", "postgres://direct")]),
            file,
        )
        .unwrap();
        assert_eq!(s.database_url.as_deref(), Some("postgres://direct"));
        assert_eq!(s.direct_url_env(), "D");
        // A flag still wins.
        let flags = Flags {
            database_url: Some("postgres://flag"),
            ..Flags::default()
        };
        let s = resolve(&flags, &env(&vars), &dotenv(&[]), None).unwrap();
        assert_eq!(s.database_url.as_deref(), Some("postgres://flag"));
    }

    #[test]
    fn defaults_without_anything() {
        let s = resolve(&Flags::default(), &env(&[]), &dotenv(&[]), None).unwrap();
        assert_eq!(s.database_url, None);
        assert_eq!(s.migrations_dir, PathBuf::from("migrations"));
        assert_eq!(s.schemas, ["public"]);
        assert!(s.models.is_empty());
        assert_eq!(s.migrations_origin(), &Origin::Default);
        assert_eq!(
            s.database_url().unwrap_err().to_string(),
            "no database given; pass --database-url or set DATABASE_URL"
        );
    }

    #[test]
    fn seaorm_keys_comes_from_the_file_and_defaults_to_identity() {
        let keys = |text: &str| {
            resolve(
                &Flags::default(),
                &env(&[]),
                &dotenv(&[]),
                config("autogen.toml", text),
            )
            .map(|s| s.seaorm_keys)
        };
        assert_eq!(keys("").unwrap(), autogen_model::SeaOrmKeys::Identity);
        assert_eq!(
            keys("seaorm_keys = \"serial\"\n").unwrap(),
            autogen_model::SeaOrmKeys::Serial
        );
        assert_eq!(
            keys("seaorm_keys = \"identity\"\n").unwrap(),
            autogen_model::SeaOrmKeys::Identity
        );
        let error = parse_config("seaorm_keys = \"bigserial\"\n", Path::new("autogen.toml"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("seaorm_keys"), "{error}");
        assert!(
            error.contains("identity") && error.contains("serial"),
            "{error}"
        );
    }

    #[test]
    fn the_file_beats_the_defaults_and_its_paths_are_relative_to_it() {
        let s = resolve(
            &Flags::default(),
            &env(&[]),
            &dotenv(&[]),
            config("proj/autogen.toml", FULL),
        )
        .unwrap();
        assert_eq!(s.migrations_dir, PathBuf::from("proj/db/migrations"));
        assert_eq!(s.schemas, ["app", "public"]);
        assert_eq!(
            s.models,
            [
                PathBuf::from("proj/src/models"),
                PathBuf::from("/abs/models.rs")
            ]
        );
        assert_eq!(
            s.migrations_origin().to_string(),
            "`migrations` in proj/autogen.toml"
        );
        // The default file sits in the working directory: its paths read as written.
        let s = resolve(
            &Flags::default(),
            &env(&[]),
            &dotenv(&[]),
            config("autogen.toml", FULL),
        )
        .unwrap();
        assert_eq!(s.migrations_dir, PathBuf::from("db/migrations"));
    }

    #[test]
    fn lock_safe_settings() {
        let resolve_text = |text: &str| {
            resolve(
                &Flags::default(),
                &env(&[]),
                &dotenv(&[]),
                config("autogen.toml", text),
            )
        };
        let defaults = resolve_text("").unwrap().lower;
        assert_eq!(defaults, autogen_render::LowerOptions::default());
        assert!(defaults.lock_safe);
        let set = resolve_text(
            "lock_safe = false\nlock_timeout = \"500ms\"\nstatement_timeout = \"2min\"\n",
        )
        .unwrap()
        .lower;
        assert!(!set.lock_safe);
        assert_eq!(set.lock_timeout.as_deref(), Some("500ms"));
        assert_eq!(set.statement_timeout.as_deref(), Some("2min"));
        let error = resolve_text("lock_timeout = \"soon\"\n")
            .expect_err("refused")
            .to_string();
        assert!(error.contains("`lock_timeout`"), "{error}");
        assert!(error.contains("\"5s\""), "{error}");
    }

    #[test]
    fn flags_beat_the_file() {
        let schemas = ["other".to_owned()];
        let models = [PathBuf::from("m.rs")];
        let flags = Flags {
            migrations: Some(Path::new("flag/migrations")),
            schemas: &schemas,
            models: &models,
            database_url: Some("postgres://flag/db"),
            ..Flags::default()
        };
        let s = resolve(
            &flags,
            &env(&[("APP_DATABASE_URL", "postgres://env/db")]),
            &dotenv(&[("APP_DATABASE_URL", "postgres://dotenv/db")]),
            config("proj/autogen.toml", FULL),
        )
        .unwrap();
        assert_eq!(s.migrations_dir, PathBuf::from("flag/migrations"));
        assert_eq!(s.schemas, ["other"]);
        assert_eq!(s.models, [PathBuf::from("m.rs")]);
        assert_eq!(s.database_url.as_deref(), Some("postgres://flag/db"));
        assert_eq!(
            s.database_url_origin(),
            Some(&Origin::Flag("--database-url"))
        );
        assert_eq!(s.migrations_origin(), &Origin::Flag("--migrations"));
    }

    #[test]
    fn the_environment_beats_dotenv_which_beats_nothing() {
        let both = resolve(
            &Flags::default(),
            &env(&[("DATABASE_URL", "postgres://env/db")]),
            &dotenv(&[("DATABASE_URL", "postgres://dotenv/db")]),
            None,
        )
        .unwrap();
        assert_eq!(both.database_url.as_deref(), Some("postgres://env/db"));
        assert_eq!(
            both.database_url_origin(),
            Some(&Origin::Env("DATABASE_URL".to_owned()))
        );
        let dotenv_only = resolve(
            &Flags::default(),
            &env(&[]),
            &dotenv(&[("DATABASE_URL", "postgres://dotenv/db")]),
            None,
        )
        .unwrap();
        assert_eq!(
            dotenv_only.database_url.as_deref(),
            Some("postgres://dotenv/db")
        );
        assert_eq!(
            dotenv_only.database_url_origin().unwrap().to_string(),
            "DATABASE_URL in .env"
        );
    }

    #[test]
    fn the_file_names_the_variable_and_database_url_is_then_not_read() {
        let s = resolve(
            &Flags::default(),
            &env(&[
                ("DATABASE_URL", "postgres://wrong/db"),
                ("APP_DATABASE_URL", "postgres://right/db"),
            ]),
            &dotenv(&[]),
            config("autogen.toml", FULL),
        )
        .unwrap();
        assert_eq!(s.database_url.as_deref(), Some("postgres://right/db"));

        let missing = resolve(
            &Flags::default(),
            &env(&[("DATABASE_URL", "postgres://wrong/db")]),
            &dotenv(&[]),
            config("autogen.toml", FULL),
        )
        .unwrap();
        assert_eq!(
            missing.database_url().unwrap_err().to_string(),
            "no database given; pass --database-url or set APP_DATABASE_URL \
             (`database_url_env` in autogen.toml)"
        );
    }

    #[test]
    fn config_errors_name_the_file_the_line_and_the_key() {
        let error = |text: &str| {
            parse_config(text, Path::new("conf/autogen.toml"))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error("migrations = \"m\"\nmodles = [\"src\"]\n"),
            "invalid conf/autogen.toml (line 2, `modles`): unknown field `modles`, expected one \
             of `models`, `source`, `migrations`, `schemas`, `database_url_env`, \
             `database_url_direct_env`, `dev_url`, `seaorm_keys`, `lock_safe`, `lock_timeout`, \
             `statement_timeout`, `exclude_tables`, `include_schemas`, `zero_downtime`"
        );
        assert_eq!(
            error("schemas = \"public\"\n"),
            "invalid conf/autogen.toml (line 1, `schemas`): invalid type: string \"public\", \
             expected a sequence"
        );
        assert!(
            error("schemas = [\n").starts_with("invalid conf/autogen.toml (line "),
            "{}",
            error("schemas = [\n")
        );
        assert_eq!(
            error("schemas = []"),
            "invalid conf/autogen.toml: `schemas` is empty; name at least one schema, such as public"
        );
        assert!(error("database_url_env = \"\"").contains("`database_url_env` must be the name"));
        let refused = error("database_url = \"postgres://u:s3cret@h/db\"");
        assert!(
            refused.starts_with("`database_url` in conf/autogen.toml is not read"),
            "{refused}"
        );
        assert!(!refused.contains("s3cret"), "{refused}");
    }

    #[test]
    fn models_paths_carry_their_source() {
        let text = r#"
source = "seaorm"
models = ["src/entity", { path = "src/models", source = "autogen" }, { path = "schema.rs" }]
"#;
        let s = resolve(
            &Flags::default(),
            &env(&[]),
            &dotenv(&[]),
            config("proj/autogen.toml", text),
        )
        .unwrap();
        let paths: Vec<(String, Option<String>)> = s
            .model_paths
            .iter()
            .map(|m| {
                (
                    m.path.display().to_string(),
                    m.source
                        .as_ref()
                        .map(|(source, origin)| format!("{source} from {origin}")),
                )
            })
            .collect();
        assert_eq!(
            paths,
            [
                (
                    "proj/src/entity".to_owned(),
                    Some("seaorm from `source` in proj/autogen.toml".to_owned())
                ),
                (
                    "proj/src/models".to_owned(),
                    Some("autogen from `models` in proj/autogen.toml".to_owned())
                ),
                (
                    "proj/schema.rs".to_owned(),
                    Some("seaorm from `source` in proj/autogen.toml".to_owned())
                ),
            ]
        );
        assert_eq!(
            s.model_paths[0].origin.to_string(),
            "`models` in proj/autogen.toml"
        );
        // `--source` wins over the file for every path; `--models` paths are the flag's.
        let models = [PathBuf::from("m")];
        let flags = Flags {
            models: &models,
            source: Some("diesel"),
            ..Flags::default()
        };
        let s = resolve(
            &flags,
            &env(&[]),
            &dotenv(&[]),
            config("autogen.toml", text),
        )
        .unwrap();
        assert_eq!(
            s.model_paths,
            [ModelPath {
                path: PathBuf::from("m"),
                origin: Origin::Flag("--models"),
                source: Some((Source::Diesel, Origin::Flag("--source"))),
            }]
        );
        // Nothing said: detected later.
        let s = resolve(
            &Flags::default(),
            &env(&[]),
            &dotenv(&[]),
            config("autogen.toml", "models = [\"m\"]"),
        )
        .unwrap();
        assert_eq!(s.model_paths[0].source, None);
    }

    #[test]
    fn models_entries_and_sources_are_checked() {
        let error = |text: &str| {
            parse_config(text, Path::new("autogen.toml"))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error("source = \"sea-orm\""),
            "invalid autogen.toml: `source`: unknown model source `sea-orm`; expected one of: autogen, seaorm, diesel"
        );
        assert_eq!(
            error("models = [\"a\", { path = \"b\", source = \"django\" }]"),
            "invalid autogen.toml: `models` entry 2: unknown model source `django`; expected one of: autogen, seaorm, diesel"
        );
        let unknown = error("models = [{ path = \"b\", sorce = \"seaorm\" }]");
        assert!(
            unknown.contains("unknown field `sorce`, expected `path` or `source`"),
            "{unknown}"
        );
        let missing = error("models = [{ source = \"seaorm\" }]");
        assert!(missing.contains("missing field `path`"), "{missing}");
        let number = error("models = [3]");
        assert!(number.contains("expected a path, or a table"), "{number}");
    }

    #[test]
    fn an_explicit_config_file_must_exist_and_the_default_one_may_not() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        let error = read_config(Some(&missing)).unwrap_err().to_string();
        assert_eq!(
            error,
            format!("cannot read --config {}: no such file", missing.display())
        );
        let present = dir.path().join("a.toml");
        std::fs::write(&present, "migrations = \"m\"\n").unwrap();
        let config = read_config(Some(&present)).unwrap().unwrap();
        assert_eq!(config.path_of(Path::new("m")), dir.path().join("m"));
    }

    #[test]
    fn dotenv_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        assert!(
            read_dotenv(&path).unwrap().is_empty(),
            "a missing .env is no error"
        );
        std::fs::write(
            &path,
            "# comment\nDATABASE_URL=postgres://u:p@h/db\nexport OTHER='x y'\n",
        )
        .unwrap();
        let vars = read_dotenv(&path).unwrap();
        assert_eq!(vars["DATABASE_URL"], "postgres://u:p@h/db");
        assert_eq!(vars["OTHER"], "x y");
        std::fs::write(&path, "A=1\nDATABASE_URL postgres://u:s3cret@h/db\n").unwrap();
        let error = read_dotenv(&path).unwrap_err().to_string();
        assert_eq!(
            error,
            format!("cannot read {}: line 2 is not NAME=value", path.display())
        );
    }

    #[test]
    fn the_dev_url_comes_from_the_flag_else_the_file() {
        let from_file = resolve(
            &Flags::default(),
            &env(&[]),
            &dotenv(&[]),
            config(
                "autogen.toml",
                "dev_url = \"postgres://dev@localhost:5433/dev\"\n",
            ),
        )
        .unwrap();
        assert_eq!(
            from_file.dev_url.as_deref(),
            Some("postgres://dev@localhost:5433/dev")
        );
        let flagged = resolve(
            &Flags {
                dev_url: Some("postgres://u:s3cret@flag/dev"),
                ..Flags::default()
            },
            &env(&[]),
            &dotenv(&[]),
            config(
                "autogen.toml",
                "dev_url = \"postgres://dev@localhost:5433/dev\"\n",
            ),
        )
        .unwrap();
        assert_eq!(
            flagged.dev_url.as_deref(),
            Some("postgres://u:s3cret@flag/dev")
        );
        let debug = format!("{flagged:?}");
        assert!(!debug.contains("s3cret"), "{debug}");
        let none = resolve(&Flags::default(), &env(&[]), &dotenv(&[]), None).unwrap();
        assert_eq!(none.dev_url, None);
    }

    #[test]
    fn debug_output_hides_the_password() {
        let s = resolve(
            &Flags {
                database_url: Some("postgres://user:s3cret@host/db"),
                ..Flags::default()
            },
            &env(&[]),
            &dotenv(&[]),
            None,
        )
        .unwrap();
        let debug = format!("{s:?}");
        assert!(!debug.contains("s3cret"), "{debug}");
        assert!(debug.contains("postgres://user:***@host/db"), "{debug}");
        assert_eq!(redacted_url("not a url s3cret"), "<url not shown>");
    }
}
