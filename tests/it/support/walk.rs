//! The todo walk's harness, the same on every dialect: the real binary run in a project
//! directory against one database, one model version at a time.

use std::path::{Path, PathBuf};
use std::process::Command;

use autogen_testkit::TestDatabase;

/// What one run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A project directory (for the `migrations` folder) and the database the walk moves.
pub struct Walk<D> {
    pub dir: tempfile::TempDir,
    pub db: D,
}

pub fn fixture(version: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../fixtures/todo/v{version}.rs"))
}

impl<D: TestDatabase> Walk<D> {
    pub fn autogen(&self, version: u32, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
            .current_dir(self.dir.path())
            .env_remove("DATABASE_URL")
            .arg("--database-url")
            .arg(self.db.url())
            .arg("--models")
            .arg(fixture(version))
            .args(args)
            .output()
            .expect("the autogen binary runs");
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("utf-8 output");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: text(output.stdout),
            stderr: text(output.stderr),
        }
    }

    pub fn ok(&self, version: u32, args: &[&str]) -> String {
        let run = self.autogen(version, args);
        assert_eq!(
            run.code, 0,
            "autogen {args:?} (v{version}) failed:\n{}\n{}",
            run.stdout, run.stderr
        );
        run.stdout
    }

    pub fn migrations(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(self.dir.path().join("migrations")) {
            Ok(entries) => entries.map(|e| e.expect("entry").path()).collect(),
            Err(_) => Vec::new(),
        };
        files.sort();
        files
    }

    /// Generates, applies and checks one version; a second `-m` must find nothing.
    pub fn step(&self, version: u32, message: &str, extra: &[&str]) {
        let before = self.migrations().len();
        let mut args = vec!["-m", message];
        args.extend(extra);
        let out = self.ok(version, &args);
        assert!(out.contains("wrote "), "v{version}: {out}");
        assert_eq!(
            self.migrations().len(),
            before + 2,
            "v{version}: an up and a down file"
        );
        self.ok(version, &["upgrade"]);
        let check = self.ok(version, &["check"]);
        assert_eq!(check, "the database matches the models\n", "v{version}");
        let again = self.ok(version, &["-m", "nothing"]);
        assert_eq!(again, "No changes detected\n", "v{version}");
        assert_eq!(
            self.migrations().len(),
            before + 2,
            "v{version}: nothing written the second time"
        );
    }

    pub fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        self.db.query(sql)
    }
}

pub fn strings(rows: &[&[&str]]) -> Vec<Vec<Option<String>>> {
    rows.iter()
        .map(|r| {
            r.iter()
                .map(|v| {
                    if *v == "NULL" {
                        None
                    } else {
                        Some((*v).to_owned())
                    }
                })
                .collect()
        })
        .collect()
}

pub fn append(path: &Path, sql: &str) {
    let mut text = std::fs::read_to_string(path).expect("readable");
    text.push_str(sql);
    std::fs::write(path, text).expect("writable");
}
