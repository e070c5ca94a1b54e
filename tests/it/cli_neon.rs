//! Neon and poolers against the local server: a pooled URL is refused for the commands that
//! need a session of their own, with the direct URL's form named; DATABASE_URL_DIRECT wins over
//! DATABASE_URL; sslmode require/prefer/disable connect, verify-full says why it does not.

use std::path::Path;
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn autogen(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_autogen"));
    command
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("DATABASE_URL_DIRECT");
    for (k, v) in env {
        command.env(k, v);
    }
    let output = command
        .args(args)
        .output()
        .expect("the autogen binary runs");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("utf-8");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: text(output.stdout),
        stderr: text(output.stderr),
    }
}

fn with_param(url: &str, param: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{param}")
}

#[test]
fn pooled_url_is_refused_for_lifecycle_commands() {
    let db = autogen_testkit::postgres();
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("migrations")).expect("folder");
    let pooled = with_param(db.url(), "pgbouncer=true");
    for args in [
        &["upgrade"][..],
        &["downgrade"],
        &["stamp", "head"],
        &["resolve", "1", "--applied"],
        &["-m", "x", "--models", "models.rs"],
    ] {
        let mut all = vec!["--database-url", pooled.as_str()];
        all.extend(args);
        let run = autogen(dir.path(), &[], &all);
        assert_eq!(run.code, 2, "{args:?}: {}\n{}", run.stdout, run.stderr);
        assert!(
            run.stderr
                .contains("goes through a connection pooler (the url says pgbouncer=true)"),
            "{args:?}: {}",
            run.stderr
        );
        // The direct URL's form: the same without the marker.
        assert!(
            run.stderr
                .contains(&format!("use the direct url, {}", db.url())),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("DATABASE_URL_DIRECT"), "{}", run.stderr);
    }
    // Reading through a pooler is fine.
    let run = autogen(dir.path(), &[], &["--database-url", &pooled, "status"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
}

#[test]
fn database_url_direct_is_preferred() {
    let db = autogen_testkit::postgres();
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("migrations")).expect("folder");
    let pooled = with_param(db.url(), "pgbouncer=true");
    let run = autogen(
        dir.path(),
        &[("DATABASE_URL", &pooled), ("DATABASE_URL_DIRECT", db.url())],
        &["upgrade"],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("nothing to apply"), "{}", run.stdout);

    // Its name is configurable, like `database_url_env`.
    std::fs::write(
        dir.path().join("autogen.toml"),
        "database_url_direct_env = \"APP_DIRECT\"\n",
    )
    .expect("config");
    let run = autogen(
        dir.path(),
        &[("DATABASE_URL", &pooled), ("APP_DIRECT", db.url())],
        &["upgrade"],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let run = autogen(dir.path(), &[("DATABASE_URL", &pooled)], &["upgrade"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("APP_DIRECT"), "{}", run.stderr);
}

#[test]
fn sslmodes() {
    let db = autogen_testkit::postgres();
    let dir = tempfile::tempdir().expect("temp dir");
    for mode in ["disable", "prefer", "require"] {
        let url = with_param(db.url(), &format!("sslmode={mode}"));
        let run = autogen(dir.path(), &[], &["--database-url", &url, "inspect"]);
        assert_eq!(run.code, 0, "sslmode={mode}: {}", run.stderr);
    }
    // The local server's certificate is self-signed: verify-full refuses it, and says so.
    let url = with_param(db.url(), "sslmode=verify-full");
    let run = autogen(dir.path(), &[], &["--database-url", &url, "inspect"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("certificate"), "{}", run.stderr);
}
