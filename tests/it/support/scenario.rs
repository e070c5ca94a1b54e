//! A model file and the real binary on one database: the scenarios of the "applies on a
//! populated table" tests, one per change that real data breaks, on each dialect.

use std::process::Command;

pub struct Scenario {
    pub dir: tempfile::TempDir,
    url: String,
}

impl Scenario {
    /// A temp directory with `models/` and `migrations/`, against `url`.
    pub fn new(url: &str) -> Scenario {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("models")).expect("models dir");
        Scenario {
            dir,
            url: url.to_owned(),
        }
    }

    /// Replaces the model file with `text`.
    pub fn models(&self, text: &str) {
        std::fs::write(self.dir.path().join("models/models.rs"), text).expect("model written");
    }

    /// `autogen ARGS` on the scenario's database, models and migrations: exit code, and stdout
    /// followed by stderr.
    pub fn autogen(&self, args: &[&str]) -> (i32, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_autogen"))
            .current_dir(self.dir.path())
            .args(["--database-url", &self.url, "--models", "models"])
            .args(["--migrations", "migrations"])
            .args(args)
            .output()
            .expect("autogen runs");
        (
            out.status.code().unwrap_or(-1),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    }

    /// Runs each command in turn; each must exit 0.
    pub fn ok(&self, commands: &[&[&str]]) {
        for args in commands {
            let (code, out) = self.autogen(args);
            assert_eq!(code, 0, "autogen {args:?}:\n{out}");
        }
    }

    /// A second `-m` finds nothing: the database reads back as the models say.
    pub fn settled(&self) {
        let (code, out) = self.autogen(&["-m", "again"]);
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("No changes detected"), "{out}");
    }
}
