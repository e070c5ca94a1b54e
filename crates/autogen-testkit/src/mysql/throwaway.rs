//! A MariaDB server of the test process's own, for machines without a running service.
//!
//! It lives in a fresh temp dir (data, socket, log), listens on a free loopback port with grant
//! tables off (anyone may connect as `root`), and is shared by every database of the process.
//! A watchdog shell starts `mariadbd` and holds a pipe that only this process writes to; when the
//! process exits, however it exits, the pipe closes and the shell stops the server and deletes
//! the dir.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use url::Url;

/// The OS user `mariadbd` runs as when the tests run as root.
const SERVICE_USER: &str = "mysql";
const START_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub(crate) struct ThrowawayServer {
    url: Url,
    _watchdog: Watchdog,
}

impl ThrowawayServer {
    /// The server, as `root`, with no database selected.
    pub(crate) fn url(&self) -> &Url {
        &self.url
    }
}

/// The process's one throwaway server, started on first use; a failed start is remembered.
pub(crate) fn shared() -> Result<&'static ThrowawayServer, String> {
    static SERVER: OnceLock<Result<ThrowawayServer, String>> = OnceLock::new();
    SERVER.get_or_init(start).as_ref().map_err(Clone::clone)
}

fn start() -> Result<ThrowawayServer, String> {
    let install_db = find("mariadb-install-db")?;
    let mariadbd = find("mariadbd")?;
    let dir = make_dir()?;
    let as_root = fs::metadata(&dir)
        .map_err(|e| format!("could not stat {}: {e}", dir.display()))?
        .uid()
        == 0;
    let mut user_args = Vec::new();
    if as_root {
        let (uid, gid) = (id("-u")?, id("-g")?);
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid))
            .map_err(|e| format!("could not give {} to {SERVICE_USER}: {e}", dir.display()))?;
        user_args.push(format!("--user={SERVICE_USER}"));
    }
    let data = dir.join("data");
    let output = Command::new(&install_db)
        .arg("--no-defaults")
        .arg(format!("--datadir={}", data.display()))
        .args(["--skip-test-db", "--auth-root-authentication-method=normal"])
        .args(&user_args)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run mariadb-install-db: {e}"))?;
    if !output.status.success() {
        let _ = fs::remove_dir_all(&dir);
        return Err(format!(
            "mariadb-install-db failed ({}): {}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim(),
            String::from_utf8_lossy(&output.stdout).trim()
        ));
    }
    let port = free_port()?;
    let mut server = vec![
        mariadbd.display().to_string(),
        "--no-defaults".to_owned(),
        format!("--datadir={}", data.display()),
        format!("--socket={}", dir.join("mariadbd.sock").display()),
        format!("--pid-file={}", dir.join("mariadbd.pid").display()),
        format!("--log-error={}", dir.join("server.log").display()),
        "--bind-address=127.0.0.1".to_owned(),
        format!("--port={port}"),
        "--skip-grant-tables".to_owned(),
        "--innodb-flush-log-at-trx-commit=0".to_owned(),
        "--character-set-server=utf8mb4".to_owned(),
        "--collation-server=utf8mb4_general_ci".to_owned(),
    ];
    server.extend(user_args);
    let watchdog = Watchdog::spawn(&dir, &server)?;
    let deadline = Instant::now() + START_TIMEOUT;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            let log = fs::read_to_string(dir.join("server.log")).unwrap_or_default();
            return Err(format!(
                "mariadbd did not listen on port {port} within {}s:\n{log}",
                START_TIMEOUT.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let url = Url::parse(&format!("mysql://root@127.0.0.1:{port}/"))
        .map_err(|e| format!("bad server url: {e}"))?;
    Ok(ThrowawayServer {
        url,
        _watchdog: watchdog,
    })
}

fn find(program: &str) -> Result<PathBuf, String> {
    let path_dirs = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&path_dirs).collect();
    dirs.extend(["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"].map(PathBuf::from));
    dirs.into_iter()
        .map(|dir| dir.join(program))
        .find(|path| {
            fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
        .ok_or_else(|| format!("{program} is not on PATH nor in /usr/sbin"))
}

fn make_dir() -> Result<PathBuf, String> {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "autogen-testkit-mariadb-{}-{nanos}",
        std::process::id()
    ));
    fs::create_dir(&dir).map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))
        .map_err(|e| format!("could not restrict {}: {e}", dir.display()))?;
    Ok(dir)
}

fn id(flag: &str) -> Result<u32, String> {
    let output = Command::new("id")
        .args([flag, SERVICE_USER])
        .output()
        .map_err(|e| format!("could not run id: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.trim().parse().map_err(|_| {
        format!(
            "running as root, mariadbd needs the {SERVICE_USER} OS user, which id does not know"
        )
    })
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("could not find a free port: {e}"))
}

/// The shell that runs the server and stops it, then deletes its dir, when our pipe closes.
#[derive(Debug)]
struct Watchdog {
    child: Child,
}

const WATCHDOG_SCRIPT: &str = r#"
dir=$1; shift
trap '' HUP INT
"$@" >/dev/null 2>&1 </dev/null &
pid=$!
cat >/dev/null
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rm -rf "$dir"
"#;

impl Watchdog {
    fn spawn(dir: &Path, server: &[String]) -> Result<Self, String> {
        let child = Command::new("sh")
            .args(["-c", WATCHDOG_SCRIPT, "autogen-testkit-watchdog"])
            .arg(dir)
            .args(server)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("could not start the watchdog shell: {e}"))?;
        Ok(Self { child })
    }
}

impl Drop for Watchdog {
    /// Only a failed start gets here (the shared server lives in a static): clean up right away.
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}
