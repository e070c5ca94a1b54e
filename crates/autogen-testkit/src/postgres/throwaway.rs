//! A PostgreSQL server of the test process's own, for machines without a running service.
//!
//! It lives in a fresh temp dir (data, socket, log), listens on a free loopback port, and is
//! shared by every database of the process. Statics are never dropped, so the server is not
//! stopped by this process at all: a watchdog process does it once the test process is gone.

use std::ffi::OsString;
use std::fs;
use std::io::Write as _;
use std::net::TcpListener;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use url::Url;

/// The OS user PostgreSQL runs as when the tests run as root, which PostgreSQL refuses.
const SERVICE_USER: &str = "postgres";
/// Another process can take the free port between our probe and the server's bind.
const PORT_TRIES: usize = 3;

/// A running server, its files and the watchdog that will stop it.
#[derive(Debug)]
pub(crate) struct ThrowawayServer {
    dir: PathBuf,
    url: Url,
    _watchdog: Watchdog,
}

impl ThrowawayServer {
    /// The temp dir holding the data dir, the socket and the log.
    #[cfg_attr(not(test), expect(dead_code))]
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    #[cfg_attr(not(test), expect(dead_code))]
    pub(crate) fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// The superuser's maintenance database, over TCP.
    pub(crate) fn url(&self) -> &Url {
        &self.url
    }
}

/// The process's one throwaway server, started on first use. A failed start is remembered, so
/// that every later test reports it at once instead of paying for another initdb.
pub(crate) fn shared() -> Result<&'static ThrowawayServer, String> {
    static SERVER: OnceLock<Result<ThrowawayServer, String>> = OnceLock::new();
    SERVER
        .get_or_init(|| start(None))
        .as_ref()
        .map_err(Clone::clone)
}

/// The password every connection to [`shared_with_password`] must give.
pub const SERVER_PASSWORD: &str = "autogen-testkit-secret";

/// A second throwaway server that demands a password (SCRAM), for tests of authentication
/// failures: the local service trusts everyone, so a wrong password could not fail there.
pub(crate) fn shared_with_password() -> Result<&'static ThrowawayServer, String> {
    static SERVER: OnceLock<Result<ThrowawayServer, String>> = OnceLock::new();
    SERVER
        .get_or_init(|| start(Some(SERVER_PASSWORD)))
        .as_ref()
        .map_err(Clone::clone)
}

fn start(password: Option<&str>) -> Result<ThrowawayServer, String> {
    let bin = Binaries::find()?;
    let dir = OwnedDir::create()?;
    let run_as = RunAs::prepare(dir.path())?;
    let watchdog = Watchdog::spawn(dir, &bin, &run_as)?;
    let dir = watchdog.dir.clone();
    // On error the watchdog is dropped here, which stops and deletes whatever was started.
    let port = init_and_launch(&bin, &run_as, &dir, password)?;
    let credentials = match password {
        Some(password) => format!("{SERVICE_USER}:{password}"),
        None => SERVICE_USER.to_owned(),
    };
    let url = Url::parse(&format!(
        "postgres://{credentials}@127.0.0.1:{port}/postgres"
    ))
    .map_err(|e| format!("bad server url: {e}"))?;
    Ok(ThrowawayServer {
        dir,
        url,
        _watchdog: watchdog,
    })
}

fn init_and_launch(
    bin: &Binaries,
    run_as: &RunAs,
    dir: &Path,
    password: Option<&str>,
) -> Result<u16, String> {
    init(bin, run_as, dir, password)?;
    write_config(dir)?;
    launch(bin, run_as, dir)
}

fn init(bin: &Binaries, run_as: &RunAs, dir: &Path, password: Option<&str>) -> Result<(), String> {
    let mut initdb = run_as.command(&bin.initdb, dir);
    initdb.arg("-D").arg(dir.join("data"));
    // Trust and no sync: a throwaway cluster on loopback needs neither auth nor durability.
    initdb.args([
        "-U",
        SERVICE_USER,
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--no-locale",
        "--no-sync",
    ]);
    // After `-A trust`, so that TCP connections need the password.
    if let Some(password) = password {
        let pwfile = dir.join("pwfile");
        fs::write(&pwfile, password)
            .map_err(|e| format!("could not write {}: {e}", pwfile.display()))?;
        initdb.arg(format!("--pwfile={}", pwfile.display()));
        initdb.args(["--auth-host=scram-sha-256", "--auth-local=trust"]);
    }
    checked(&mut initdb, "initdb").map(drop)
}

/// Settings go in the config file, not on pg_ctl's `-o`, which a shell would split at spaces.
fn write_config(dir: &Path) -> Result<(), String> {
    let socket_dir = dir.to_string_lossy().replace('\'', "''");
    let settings = format!(
        "\n# autogen-testkit: a throwaway server, speed over durability\n\
         listen_addresses = '127.0.0.1'\n\
         unix_socket_directories = '{socket_dir}'\n\
         fsync = off\n\
         synchronous_commit = off\n\
         full_page_writes = off\n"
    );
    let path = dir.join("data").join("postgresql.conf");
    fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut file| file.write_all(settings.as_bytes()))
        .map_err(|e| format!("could not write {}: {e}", path.display()))
}

/// Starts the server on a free port, trying a few ports in case one is taken from under us.
fn launch(bin: &Binaries, run_as: &RunAs, dir: &Path) -> Result<u16, String> {
    let log = dir.join("server.log");
    let mut last_error = String::new();
    for _ in 0..PORT_TRIES {
        let port = free_port()?;
        let mut pg_ctl = run_as.command(&bin.pg_ctl, dir);
        pg_ctl
            .arg("start")
            .arg("-D")
            .arg(dir.join("data"))
            .arg("-l")
            .arg(&log);
        pg_ctl.args(["-w", "-t", "60", "-s", "-o", &format!("-p {port}")]);
        match checked(&mut pg_ctl, "pg_ctl start") {
            Ok(_) => return Ok(port),
            Err(e) => last_error = format!("{e}\n{}", log_tail(&log)),
        }
        if !last_error.contains("already in use") {
            break;
        }
    }
    Err(last_error)
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("could not find a free port: {e}"))
}

fn log_tail(log: &Path) -> String {
    let text = fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(10)..].join("\n")
}

/// Runs a command to completion; an error carries its output, which is where the cause is.
fn checked(command: &mut Command, what: &str) -> Result<Output, String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run {what}: {e}"))?;
    if output.status.success() {
        return Ok(output);
    }
    Err(format!(
        "{what} failed ({}): {}{}",
        output.status,
        String::from_utf8_lossy(&output.stderr).trim(),
        String::from_utf8_lossy(&output.stdout).trim()
    ))
}

/// The two programs a throwaway server needs, from one directory so their versions match.
#[derive(Debug)]
struct Binaries {
    initdb: PathBuf,
    pg_ctl: PathBuf,
}

impl Binaries {
    fn find() -> Result<Self, String> {
        let path_dirs = std::env::var_os("PATH").unwrap_or_default();
        let from_path = std::env::split_paths(&path_dirs).find_map(|dir| Self::in_dir(&dir));
        if let Some(found) = from_path {
            return Ok(found);
        }
        let bindir = pg_config_bindir()
            .map_err(|e| format!("initdb and pg_ctl are not on PATH, and {e}"))?;
        Self::in_dir(&bindir).ok_or_else(|| {
            format!(
                "initdb and pg_ctl are neither on PATH nor in {} (pg_config --bindir)",
                bindir.display()
            )
        })
    }

    fn in_dir(dir: &Path) -> Option<Self> {
        let initdb = dir.join("initdb");
        let pg_ctl = dir.join("pg_ctl");
        (is_executable(&initdb) && is_executable(&pg_ctl)).then_some(Self { initdb, pg_ctl })
    }
}

fn pg_config_bindir() -> Result<PathBuf, String> {
    let output = checked(
        Command::new("pg_config").arg("--bindir"),
        "pg_config --bindir",
    )?;
    let bindir = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if bindir.is_empty() {
        return Err("pg_config --bindir printed nothing".to_owned());
    }
    Ok(PathBuf::from(bindir))
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Who runs the server's programs: us, or the service user when we are root.
#[derive(Debug)]
enum RunAs {
    Me,
    /// A command prefix that switches to the service user, e.g. `runuser -u postgres --`.
    User(Vec<OsString>),
}

impl RunAs {
    /// Decides who runs the server and, when it is not us, hands `dir` over to that user.
    fn prepare(dir: &Path) -> Result<Self, String> {
        // The dir we just made is owned by our effective uid: no libc call (and no unsafe) needed.
        let euid = fs::metadata(dir)
            .map_err(|e| format!("could not stat {}: {e}", dir.display()))?
            .uid();
        if euid != 0 {
            return Ok(Self::Me);
        }
        let (uid, gid) = service_user_ids()?;
        std::os::unix::fs::chown(dir, Some(uid), Some(gid))
            .map_err(|e| format!("could not give {} to {SERVICE_USER}: {e}", dir.display()))?;
        Ok(Self::User(switch_user_prefix(uid, gid)?))
    }

    /// A command for `program`, run from `dir` because the service user may not enter our cwd.
    fn command(&self, program: &Path, dir: &Path) -> Command {
        let mut command = match self {
            Self::Me => Command::new(program),
            Self::User(prefix) => {
                let mut command = Command::new(&prefix[0]);
                command.args(&prefix[1..]).arg(program);
                command
            }
        };
        command.current_dir(dir);
        command
    }

    /// The same, as arguments for the watchdog script.
    fn argv(&self, program: &Path) -> Vec<OsString> {
        let mut argv = match self {
            Self::Me => Vec::new(),
            Self::User(prefix) => prefix.clone(),
        };
        argv.push(program.into());
        argv
    }
}

fn service_user_ids() -> Result<(u32, u32), String> {
    let id = |flag: &str| -> Result<u32, String> {
        let output = checked(Command::new("id").args([flag, SERVICE_USER]), "id").map_err(|e| {
            format!("running as root, PostgreSQL needs the {SERVICE_USER} OS user: {e}")
        })?;
        let text = String::from_utf8_lossy(&output.stdout);
        text.trim()
            .parse()
            .map_err(|e| format!("id {flag} {SERVICE_USER} printed {text:?}: {e}"))
    };
    Ok((id("-u")?, id("-g")?))
}

fn switch_user_prefix(uid: u32, gid: u32) -> Result<Vec<OsString>, String> {
    if which("runuser") {
        return Ok(["runuser", "-u", SERVICE_USER, "--"]
            .map(OsString::from)
            .to_vec());
    }
    if which("setpriv") {
        let args = [
            "setpriv".to_owned(),
            format!("--reuid={uid}"),
            format!("--regid={gid}"),
            "--init-groups".to_owned(),
        ];
        return Ok(args.map(OsString::from).to_vec());
    }
    Err(format!(
        "running as root, PostgreSQL must run as {SERVICE_USER}, but neither runuser nor setpriv is on PATH"
    ))
}

fn which(program: &str) -> bool {
    let path_dirs = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path_dirs).any(|dir| is_executable(&dir.join(program)))
}

/// A fresh temp dir that removes itself unless handed on.
#[derive(Debug)]
struct OwnedDir(Option<PathBuf>);

impl OwnedDir {
    fn create() -> Result<Self, String> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!("autogen-testkit-pg-{}-{nanos}", std::process::id());
        let dir = std::env::temp_dir().join(name);
        // create_dir, not create_dir_all: a dir that already exists is someone else's.
        fs::create_dir(&dir).map_err(|e| format!("could not create {}: {e}", dir.display()))?;
        let owned = Self(Some(dir));
        // The data dir inside gets 0700 from initdb anyway; this keeps the log and socket private too.
        fs::set_permissions(owned.path(), fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("could not restrict {}: {e}", owned.path().display()))?;
        Ok(owned)
    }

    fn path(&self) -> &Path {
        self.0
            .as_deref()
            .expect("an OwnedDir has its path until handed on")
    }

    fn hand_on(mut self) -> PathBuf {
        self.0.take().expect("an OwnedDir is handed on once")
    }
}

impl Drop for OwnedDir {
    fn drop(&mut self) {
        if let Some(dir) = self.0.take() {
            let _ = fs::remove_dir_all(dir);
        }
    }
}

/// Stops the server and deletes its dir once the test process is gone, however it went.
///
/// The watchdog is a shell whose stdin is a pipe that only this process writes to (and never
/// does). The kernel closes that pipe when this process exits, panics, aborts or is killed, and
/// the shell, blocked reading it, goes on to `pg_ctl stop -m immediate` and `rm -rf`. That needs
/// no polling and cannot be fooled by a reused pid.
#[derive(Debug)]
struct Watchdog {
    dir: PathBuf,
    child: Child,
}

const WATCHDOG_SCRIPT: &str = r#"
dir=$1; shift
trap '' HUP INT
cat >/dev/null
"$@" >/dev/null 2>&1
rm -rf "$dir"
"#;

impl Watchdog {
    /// Takes over `dir`: from here on, the watchdog deletes it.
    fn spawn(dir: OwnedDir, bin: &Binaries, run_as: &RunAs) -> Result<Self, String> {
        let mut stop = run_as.argv(&bin.pg_ctl);
        stop.extend(["stop", "-m", "immediate", "-s", "-D"].map(OsString::from));
        stop.push(dir.path().join("data").into());
        let child = Command::new("sh")
            .args(["-c", WATCHDOG_SCRIPT, "autogen-testkit-watchdog"])
            .arg(dir.path())
            .args(stop)
            .stdin(Stdio::piped())
            // Inherited output pipes would keep a test runner waiting for them to close.
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group: a Ctrl-C or a runner's group kill must not take it down first.
            .process_group(0)
            .spawn()
            .map_err(|e| format!("could not start the watchdog shell: {e}"))?;
        Ok(Self {
            dir: dir.hand_on(),
            child,
        })
    }
}

impl Drop for Watchdog {
    /// Only a failed start gets here (the shared server lives in a static): clean up right away.
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}
