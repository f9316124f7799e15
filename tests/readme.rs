//! The README, walked as a newcomer would walk it: on a fresh copy of the repository
//! (its tracked files only, with no `../shared` beside it), every `sh` block runs as
//! written, in order, and every file or folder of the repository the README names exists.
//!
//! What stands in for what, and what is not run:
//!
//! - `riskline` is the binary under test, put first on `PATH` (as `cargo install --path .`
//!   would); `cargo run --release -- ARGS` runs it with ARGS, and `cargo build --release`
//!   puts it at `target/release/riskline`: building a release binary is no part of a test.
//! - `cargo install --path .` is not run (it would write into `~/.cargo/bin`), and the block
//!   going on with `riskline` finds the binary under test instead.
//! - `cargo test` is not run: it is the suite this test belongs to.
//! - A block that starts `riskline serve` is run until the server says where it listens
//!   (and, with `--demo`, prints its key); the test then asks it `/ping` and `whoami` and
//!   stops it with SIGTERM. `RISKLINE_BIND=127.0.0.1:0` picks a free port, as the README's
//!   configuration table says it may.
//! - Skipped, each with its reason printed: blocks that need `../shared` (which a clone
//!   does not have), and the PostgreSQL block (it needs a server to create a database on,
//!   and SEC on the network; `tests/sec_import.rs` covers `--from-sec` without it), and
//!   the `riskline watch` block (it follows feeds and SEC on the network;
//!   `tests/watch_*.rs` cover it with a server of their own).

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// A fenced code block of the README.
#[derive(Debug)]
struct Block {
    /// The line of its opening fence, 1-based.
    line: usize,
    /// Its info string (`sh`, or empty).
    info: String,
    /// Its text.
    code: String,
}

fn blocks(readme: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in readme.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block {
                    line: i + 1,
                    info: info.trim().to_string(),
                    code: String::new(),
                });
            }
            (Some(_), Some(_)) => found.extend(open.take()),
            (Some(block), None) => {
                block.code.push_str(line);
                block.code.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "an unclosed code block in README.md");
    found
}

/// What to do with a block.
#[derive(Debug, PartialEq)]
enum Plan {
    Run,
    Serve,
    Skip(&'static str),
}

fn plan(block: &Block) -> Plan {
    let code = &block.code;
    if code.contains("../shared") {
        Plan::Skip("it needs ../shared, which a clone does not have")
    } else if code.contains("createdb") {
        Plan::Skip("it needs a PostgreSQL server to create a database on, and SEC on the network")
    } else if code.contains("riskline watch") {
        Plan::Skip("it follows feeds and SEC on the network; tests/watch_*.rs cover `watch` with a local server")
    } else if code.trim() == "cargo test" {
        Plan::Skip("`cargo test` is the suite this test is part of")
    } else if code.lines().any(|l| l.contains(" serve")) {
        Plan::Serve
    } else {
        Plan::Run
    }
}

/// Copies the files git tracks (as they are in the work tree) into `to`: a fresh clone
/// of the work in progress.
fn fresh_copy(to: &Path) {
    let listed = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(MANIFEST_DIR)
        .output()
        .expect("git runs");
    assert!(listed.status.success(), "git ls-files failed");
    for name in listed.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = Path::new(std::str::from_utf8(name).expect("UTF-8 file names"));
        let from = Path::new(MANIFEST_DIR).join(name);
        if !from.is_file() {
            continue; // deleted in the work tree, not yet committed
        }
        let target = to.join(name);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&from, &target).unwrap();
    }
}

/// A folder of stand-ins: `riskline` (the binary under test) and `cargo` (see the top).
fn stand_ins(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let riskline = env!("CARGO_BIN_EXE_riskline");
    std::os::unix::fs::symlink(riskline, bin.join("riskline")).unwrap();
    let cargo = format!(
        r#"#!/bin/sh
# cargo as the README walk needs it; see tests/readme.rs.
case "$*" in
  "run --release -- "*) shift 3; exec riskline "$@" ;;
  "build --release")
    mkdir -p target/release && ln -sf '{riskline}' target/release/riskline
    echo "cargo build --release: the binary under test stands in" >&2 ;;
  "install --path .") echo "cargo install --path .: not run by the test" >&2 ;;
  *) echo "the README walk has no stand-in for: cargo $*" >&2; exit 1 ;;
esac
"#
    );
    let path = bin.join("cargo");
    std::fs::write(&path, cargo).unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    bin
}

/// `bash -e -o pipefail -c CODE` in the clone, with the stand-ins first on `PATH`.
fn shell(clone: &Path, bin: &Path, code: &str) -> Command {
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("bash");
    command
        .args(["-e", "-o", "pipefail", "-c", code])
        .current_dir(clone)
        .env("PATH", path)
        .env("RISKLINE_BIND", "127.0.0.1:0")
        .env_remove("DATABASE_URL")
        .env_remove("RISKLINE_LOG")
        .env_remove("RISKLINE_LOG_FORMAT")
        .env_remove("RISKLINE_SEC_USER_AGENT");
    command
}

fn run_block(clone: &Path, bin: &Path, block: &Block) {
    let out = shell(clone, bin, &block.code).output().expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "README.md line {}: the block failed ({}):\n{}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        block.line,
        out.status,
        block.code
    );
    // What the commands say they do, for those whose output says it.
    let code = &block.code;
    if code.contains("--version") {
        assert!(
            stdout.contains(concat!("riskline ", env!("CARGO_PKG_VERSION"))),
            "{stdout}"
        );
    }
    if code.contains("eval --gold") {
        assert!(
            stdout.contains("precision") && stdout.contains("f1"),
            "{stdout}"
        );
    }
    if code.contains("riskline extract") {
        assert!(stdout.contains("\"events\""), "{stdout}");
    }
    if code.contains("riskline ingest") {
        assert!(stdout.contains("documents:"), "{stdout}");
    }
    if code.contains("search chase --json") {
        assert!(stdout.contains("\"ticker\": \"JPM\""), "{stdout}");
    }
}

/// The status of `GET url`, with an API key if given.
fn get(url: &str, key: Option<&str>) -> u16 {
    let mut request = ureq::get(url);
    if let Some(key) = key {
        request = request.set("Authorization", &format!("Bearer {key}"));
    }
    match request.call() {
        Ok(response) => response.status(),
        Err(ureq::Error::Status(code, _)) => code,
        Err(err) => panic!("GET {url}: {err}"),
    }
}

fn serve_block(clone: &Path, bin: &Path, block: &Block) {
    let mut child = shell(clone, bin, &block.code)
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("bash runs");
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let next = || {
        lines
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("README.md line {}: serve said nothing", block.line))
    };
    let first = next();
    let base = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("README.md line {}: first line {first:?}", block.line))
        .to_string();
    assert_eq!(get(&format!("{base}/ping"), None), 200);
    if block.code.contains("--demo") {
        let key = loop {
            let line = next();
            if let Some(key) = line.strip_prefix("analyst key: ") {
                break key.trim().to_string();
            }
        };
        assert_eq!(get(&format!("{base}/api/v1/whoami"), Some(&key)), 200);
    }
    let group = i32::try_from(child.id()).unwrap();
    // SAFETY: a signal to the process group this test started (bash and its server).
    assert_eq!(unsafe { libc::kill(-group, libc::SIGTERM) }, 0);
    let status = child.wait().unwrap();
    assert!(
        status.success() || status.code().is_none(),
        "README.md line {}: {status}",
        block.line
    );
}

/// The repository paths the README names (in inline code and link targets).
fn named_paths(readme: &str) -> Vec<String> {
    const ROOTS: &[&str] = &[
        "fixtures/",
        "docs/",
        "src/",
        "scripts/",
        "tests/",
        "web/",
        "migrations/",
        "benches/",
        ".ci/",
    ];
    let mut texts: Vec<&str> = readme.split('`').skip(1).step_by(2).collect();
    texts.extend(
        readme
            .split("](")
            .skip(1)
            .filter_map(|rest| rest.split(')').next()),
    );
    let mut paths: Vec<String> = texts
        .iter()
        .flat_map(|t| t.split_whitespace())
        .map(|word| word.trim_end_matches(['.', ',', ';', ':', ')']))
        .filter(|word| ROOTS.iter().any(|root| word.starts_with(root)))
        .map(str::to_string)
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Whether `path` (which may end in `*.ext`) names something in `clone`.
fn exists(clone: &Path, path: &str) -> bool {
    match path.rsplit_once("/*") {
        Some((dir, suffix)) => std::fs::read_dir(clone.join(dir)).is_ok_and(|mut entries| {
            entries.any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().ends_with(suffix)))
        }),
        None => clone.join(path).exists(),
    }
}

#[test]
fn every_readme_command_runs_as_written_on_a_fresh_clone() {
    let readme = std::fs::read_to_string(Path::new(MANIFEST_DIR).join("README.md")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let clone = tmp.path().join("riskline");
    fresh_copy(&clone);
    assert!(
        !clone.join("../shared").exists(),
        "the copy has no ../shared beside it"
    );
    let bin = stand_ins(tmp.path());

    let missing: Vec<String> = named_paths(&readme)
        .into_iter()
        .filter(|p| !exists(&clone, p))
        .collect();
    assert!(
        missing.is_empty(),
        "README.md names what a clone lacks: {missing:?}"
    );

    let all = blocks(&readme);
    let (mut ran, mut served) = (0, 0);
    for block in &all {
        if block.info != "sh" {
            // Diagrams and listings: no command may hide in them.
            let command = block
                .code
                .lines()
                .find(|l| l.starts_with("riskline ") || l.starts_with("cargo "));
            assert!(
                command.is_none(),
                "README.md line {}: a command in a block not marked sh: {command:?}",
                block.line
            );
            continue;
        }
        match plan(block) {
            Plan::Skip(why) => {
                eprintln!(
                    "skipped README.md line {}: {why}:\n{}",
                    block.line, block.code
                );
            }
            Plan::Run => {
                eprintln!("running README.md line {}", block.line);
                run_block(&clone, &bin, block);
                ran += 1;
            }
            Plan::Serve => {
                eprintln!("serving README.md line {}", block.line);
                serve_block(&clone, &bin, block);
                served += 1;
            }
        }
    }
    assert!(served >= 1, "the quick start serves");
    assert!(ran >= 3, "{ran} blocks ran");
    assert!(
        clone.join("riskline.db").is_file(),
        "the commands made ./riskline.db, as the README says"
    );
}

#[test]
fn blocks_and_plans_are_read_as_meant() {
    let readme = "text\n```sh\ncargo test\n```\n```\nraw -> events\n```\n```sh\nriskline serve --demo\n```\n";
    let found = blocks(readme);
    assert_eq!(found.len(), 3);
    assert_eq!((found[0].line, found[0].info.as_str()), (2, "sh"));
    assert_eq!(found[1].info, "");
    assert!(matches!(plan(&found[0]), Plan::Skip(_)));
    assert_eq!(plan(&found[2]), Plan::Serve);
    let paths = named_paths("see `docs/api.md`, [x](docs/backup.md) and `riskline eval --gold fixtures/extract/*.jsonl`.");
    assert_eq!(
        paths,
        ["docs/api.md", "docs/backup.md", "fixtures/extract/*.jsonl"]
    );
}
