//! The real binary on MariaDB: `inspect` prints MySQL DDL, and connection errors name the
//! server, user or database, never the password.

use std::process::Command;

fn autogen(url: &str, args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .arg("--database-url")
        .arg(url)
        .args(args)
        .output()
        .expect("the autogen binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn inspect_prints_mysql_ddl() {
    let db = autogen_testkit::mariadb();
    db.execute(
        "CREATE TABLE `odd ``name` (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, \
         state enum('on','off') NOT NULL DEFAULT 'on', body text, KEY body_idx (body(12)))",
    );
    let (code, stdout, stderr) = autogen(db.url(), &["inspect", "--format", "sql"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "CREATE TABLE `odd ``name` (\n    \
         `id` int NOT NULL AUTO_INCREMENT,\n    \
         `state` enum('on','off') NOT NULL DEFAULT 'on',\n    \
         `body` text,\n    \
         PRIMARY KEY (`id`)\n);\n\n\
         CREATE INDEX `body_idx` ON `odd ``name` (`body`(12));\n"
    );
}

#[test]
fn connection_errors_never_show_the_password() {
    let db = autogen_testkit::mariadb();
    let mut url = url::Url::parse(db.url()).expect("a url");
    let server = format!(
        "{}:{}",
        url.host_str().expect("a host"),
        url.port().unwrap_or(3306)
    );
    let user = url.username().to_owned();
    url.set_password(Some("s3cret-wrong")).expect("a password");
    let wrong_password = url.to_string();
    let mut missing = url::Url::parse(db.url()).expect("a url");
    missing.set_path("/autogen_no_such_database");
    let cases = [
        (
            wrong_password,
            format!("error: password authentication failed for user `{user}` at {server}"),
        ),
        (
            missing.to_string(),
            format!("error: database `autogen_no_such_database` does not exist on {server}"),
        ),
        (
            "mysql://u:s3cret-wrong@127.0.0.1:1/x".to_owned(),
            "error: cannot reach the database server at 127.0.0.1:1: connection refused".to_owned(),
        ),
    ];
    for (url, expected) in cases {
        let (code, stdout, stderr) = autogen(&url, &["inspect"]);
        assert_eq!(code, 2, "{stdout}{stderr}");
        assert_eq!(stderr.trim_end(), expected);
        assert!(!stdout.contains("s3cret") && !stderr.contains("s3cret"));
    }
}
