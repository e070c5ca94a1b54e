//! What a new user meets before any database: `--version` names the commit, shell completions
//! for bash, zsh and fish and the manual page come from the same clap definition and know every
//! command.

use std::process::Command;

fn autogen(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("the autogen binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Every subcommand a user can type, read from `autogen --help`: the completions and the man
/// page must know each one.
fn subcommands() -> Vec<String> {
    let (code, help, _) = autogen(&["--help"]);
    assert_eq!(code, 0, "{help}");
    let commands = crate::support::help::subcommands(&help);
    for expected in ["inspect", "check", "upgrade", "completions", "man"] {
        assert!(commands.iter().any(|c| c == expected), "{commands:?}");
    }
    commands
}

#[test]
fn version_names_the_package_version_and_the_commit() {
    let (code, out, err) = autogen(&["--version"]);
    assert_eq!(code, 0, "{err}");
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let commit = head.unwrap_or_else(|| "unknown".to_owned());
    assert_eq!(
        out.trim(),
        format!("autogen {} ({commit})", env!("CARGO_PKG_VERSION")),
        "a binary built from a checkout names its commit"
    );
}

#[test]
fn completions_for_bash_zsh_and_fish_know_every_command() {
    let commands = subcommands();
    for (shell, marker) in [
        ("bash", "complete -F _autogen"),
        ("zsh", "#compdef autogen"),
        ("fish", "complete -c autogen"),
    ] {
        let (code, script, err) = autogen(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(
            script.contains(marker),
            "{shell}: no `{marker}` in\n{script}"
        );
        for command in &commands {
            assert!(
                script.contains(command.as_str()),
                "{shell} completions miss `{command}`"
            );
        }
        // Global flags complete after any command.
        assert!(
            script.contains("database-url"),
            "{shell}: no --database-url"
        );
    }
    // The bash script is valid bash (zsh and fish are not installed here to parse theirs).
    let (_, script, _) = autogen(&["completions", "bash"]);
    let checked = Command::new("bash")
        .args(["-n", "-c", &script])
        .output()
        .expect("bash runs");
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let (code, _, err) = autogen(&["completions", "tcsh"]);
    assert_eq!(code, 2, "an unknown shell is a usage error");
    assert!(err.contains("tcsh") && err.contains("bash"), "{err}");
}

#[test]
fn the_man_page_is_roff_naming_every_command() {
    let (code, page, err) = autogen(&["man"]);
    assert_eq!(code, 0, "{err}");
    assert!(page.contains(".TH autogen 1"), "{page}");
    assert!(page.contains(env!("CARGO_PKG_VERSION")), "{page}");
    for command in subcommands() {
        assert!(page.contains(&command), "the man page misses `{command}`");
    }
}

/// The README's install line, run as written (plus `--root` into a temp dir, `--debug` and the
/// test's own target dir so it reuses this build instead of compiling a release), then a new
/// user's first minutes on an existing database: `autogen init`, `autogen inspect --format
/// rust`, `autogen check` exits 0, with the installed binary.
#[test]
fn the_readme_install_line_then_init_inspect_and_check_on_an_existing_database() {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(workspace.join("README.md")).unwrap();
    let line = readme
        .lines()
        .find_map(|l| l.strip_prefix("$ cargo install --locked --path "))
        .expect("the README gives a `cargo install --locked --path` line");
    let path = line.split_whitespace().next().unwrap();
    // target/debug/autogen -> target
    let target = std::path::Path::new(env!("CARGO_BIN_EXE_autogen"))
        .parent()
        .and_then(|p| p.parent())
        .unwrap()
        .to_path_buf();
    let root = tempfile::tempdir().unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let installed = Command::new(cargo)
        .args([
            "install",
            "--locked",
            "--offline",
            "--debug",
            "--path",
            path,
            "--root",
        ])
        .arg(root.path())
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo runs");
    assert!(
        installed.status.success(),
        "{}",
        String::from_utf8_lossy(&installed.stderr)
    );
    let bin = root.path().join("bin/autogen");

    for db in [
        Box::new(autogen_testkit::sqlite()) as Box<dyn autogen_testkit::TestDatabase>,
        Box::new(autogen_testkit::postgres()),
    ] {
        db.execute(
            "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL UNIQUE, note text);
             CREATE TABLE posts (id integer PRIMARY KEY, user_id integer NOT NULL REFERENCES users (id),
                                 title text NOT NULL DEFAULT 'untitled');
             CREATE INDEX posts_user_id_idx ON posts (user_id);",
        );
        let project = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| {
            let out = Command::new(&bin)
                .args(args)
                .current_dir(project.path())
                .env("DATABASE_URL", db.url())
                .output()
                .expect("the installed binary runs");
            (
                out.status.code().unwrap_or(-1),
                format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ),
            )
        };
        let (code, out) = run(&["init"]);
        assert_eq!(code, 0, "{out}");
        let (code, out) = run(&["inspect", "--format", "rust", "--out", "src/models"]);
        assert_eq!(code, 0, "{out}");
        let (code, out) = run(&["check"]);
        assert_eq!(code, 0, "{}: {out}", db.url());
        assert!(out.contains("the database matches the models"), "{out}");
    }
}
