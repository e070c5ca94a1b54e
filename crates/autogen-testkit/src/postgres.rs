use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{Connection, Executor, PgConnection};

/// A database of its own for one test, dropped when this value is.
#[derive(Debug)]
pub struct PostgresDb {
    server_url: url::Url,
    name: String,
    url: String,
}

/// Creates a fresh, empty PostgreSQL database. Panics, saying what was tried, when no server can be had.
pub fn postgres() -> PostgresDb {
    let server = std::env::var("AUTOGEN_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let server_url = url::Url::parse(&server).expect("AUTOGEN_TEST_POSTGRES_URL is not a URL");
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "autogen_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    let create = format!("CREATE DATABASE \"{name}\"");
    run_blocking(&server_url, &create).unwrap_or_else(|e| {
        panic!(
            "no PostgreSQL for tests: tried {} ({e})",
            redacted(&server_url)
        )
    });
    let mut url = server_url.clone();
    url.set_path(&format!("/{name}"));
    PostgresDb {
        server_url,
        name,
        url: url.to_string(),
    }
}

impl PostgresDb {
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs a script of one or more statements (simple query protocol), panicking on error.
    pub fn execute(&self, sql: &str) {
        let url = url::Url::parse(&self.url).expect("own url parses");
        if let Err(e) = run_blocking(&url, sql) {
            panic!("script failed on {}: {e}\n{sql}", self.name);
        }
    }

    /// Like [`PostgresDb::execute`], returning the error instead of panicking.
    pub fn try_execute(&self, sql: &str) -> Result<(), String> {
        let url = url::Url::parse(&self.url).expect("own url parses");
        run_blocking(&url, sql)
    }
}

impl Drop for PostgresDb {
    fn drop(&mut self) {
        let drop = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        let _ = run_blocking(&self.server_url, &drop);
    }
}

fn redacted(url: &url::Url) -> String {
    let mut url = url.clone();
    if url.password().is_some() {
        let _ = url.set_password(Some("***"));
    }
    url.to_string()
}

/// Runs `sql` on its own thread and runtime, so that callers inside an async test do not nest runtimes.
fn run_blocking(url: &url::Url, sql: &str) -> Result<(), String> {
    let url = url.to_string();
    let sql = sql.to_owned();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        runtime.block_on(async {
            let mut conn = PgConnection::connect(&url)
                .await
                .map_err(|e| e.to_string())?;
            // Test scripts are the test's own text, not user input.
            conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(sql.as_str())))
                .await
                .map_err(|e| e.to_string())?;
            conn.close().await.map_err(|e| e.to_string())
        })
    })
    .join()
    .map_err(|_| "the database thread panicked".to_owned())?
}
