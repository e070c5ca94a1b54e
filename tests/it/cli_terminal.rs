//! Colour: `--color always` paints the summary's signs and hazards and the `error:` prefix,
//! `--color never`, `NO_COLOR` under `auto`, and output that is not a terminal leave the text
//! plain, byte for byte the same words. Snapshots show the escape character as `␛`.

use std::process::Command;

use insta::assert_snapshot;

fn autogen<S: AsRef<std::ffi::OsStr>>(args: &[S], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_autogen"));
    command
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("NO_COLOR");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("autogen runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn visible(text: &str) -> String {
    text.replace('\u{1b}', "␛")
}

#[test]
fn the_summary_and_errors_are_coloured_only_when_asked_or_on_a_terminal() {
    let from = autogen_testkit::sqlite();
    let to = autogen_testkit::sqlite();
    from.execute("CREATE TABLE users (id integer PRIMARY KEY, name text, legacy text)");
    to.execute("CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL); CREATE TABLE tags (id integer PRIMARY KEY)");
    let diff = ["diff", "--from", from.url(), "--to", to.url()];
    let with = |flag: &'static str| -> Vec<String> {
        std::iter::once(flag)
            .chain(diff)
            .map(str::to_owned)
            .collect()
    };

    let (code, always, err) = autogen(&with("--color=always"), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(always.contains('\u{1b}'), "{always}");
    assert_snapshot!("summary_coloured", visible(&always));

    // The same words without the styles: `never`, `NO_COLOR` under auto, a pipe under auto.
    let plain = anstream::adapter::strip_str(&always).to_string();
    for (flag, env) in [
        ("--color=never", &[][..]),
        ("--color=auto", &[("NO_COLOR", "1")][..]),
        ("--color=auto", &[][..]),
    ] {
        let (code, out, err) = autogen(&with(flag), env);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out, plain, "{flag} {env:?}");
    }
    assert_snapshot!("summary_plain", plain);

    // An error's prefix.
    let (code, _, err) = autogen(
        &[
            "--color=always",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
            "inspect",
        ],
        &[],
    );
    assert_eq!(code, 2);
    assert!(
        visible(&err).starts_with("␛[1m␛[31merror:␛[0m "),
        "{}",
        visible(&err)
    );
    let (_, _, err) = autogen(
        &[
            "--color=never",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
            "inspect",
        ],
        &[],
    );
    assert!(
        err.starts_with("error: ") && !err.contains('\u{1b}'),
        "{err}"
    );
}

/// `check` after a `downgrade` reports the drift and says that a migration is pending, which is
/// what the drift is.
#[test]
fn check_says_when_migrations_are_pending() {
    let db = autogen_testkit::sqlite();
    let s = crate::support::scenario::Scenario::new(db.url());
    s.models("#[derive(autogen::Model)] pub struct Users { #[autogen(primary_key)] pub id: i64 }");
    s.ok(&[&["-m", "users"], &["upgrade"]]);
    s.models("#[derive(autogen::Model)] pub struct Users { #[autogen(primary_key)] pub id: i64, pub name: Option<String> }");
    s.ok(&[&["-m", "name"], &["upgrade"], &["check"]]);
    let (code, out) = s.autogen(&["check"]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("not applied"), "{out}");
    s.ok(&[&["downgrade", "-1"]]);
    let (code, out) = s.autogen(&["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("note: 1 migration of migrations is not applied to the database (autogen upgrade applies it)"),
        "{out}"
    );
}
