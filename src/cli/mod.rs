//! Subcommands of the `riskline` binary. Each module holds its clap arguments and a `run`
//! function; the work itself lives in `extract`, `store`, `ingest` and `api`.

pub mod backup;
pub mod bench;
pub mod bench_extract;
pub mod bench_scale;
pub mod build_registry;
pub mod companies;
pub mod deliver;
pub mod eval;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod keys;
pub mod migrate;
pub mod sec;
pub mod serve;
pub mod sources;
pub mod watch;

/// Options shared by every subcommand.
#[derive(Debug, Clone, clap::Args)]
pub struct Global {
    /// Log filter (e.g. `info`, `riskline=debug`); logs go to stderr.
    #[arg(long, env = "RISKLINE_LOG", default_value = "warn", global = true)]
    pub log: String,
    /// How log lines are written: `text` for people (coloured only when stderr is a
    /// terminal and NO_COLOR is unset) or `json`, one object per line for log shippers.
    #[arg(
        long,
        env = "RISKLINE_LOG_FORMAT",
        value_enum,
        default_value = "text",
        ignore_case = true,
        global = true
    )]
    pub log_format: LogFormat,
}

/// The format of log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// `TIME LEVEL target: message key=value ...`, one line per event.
    Text,
    /// `{"timestamp", "level", "target", "message", fields...}`, one object per line.
    Json,
}

/// The database option, of the commands that use a database (`extract` and `eval` do not).
#[derive(Debug, Clone, clap::Args)]
pub struct Database {
    /// Database to use: a file path or `sqlite://PATH` for SQLite (default `./riskline.db`),
    /// `postgres://user@host/db` for PostgreSQL.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
}

impl Database {
    /// The database URL, with the embedded default when none is given.
    pub fn url(&self) -> String {
        self.database_url
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| crate::store::DEFAULT_DATABASE.to_string())
    }
}

/// Starts logging to stderr with the given filter and format. Colours only reach a
/// terminal: logs redirected to a file or a pipe are plain text.
pub fn init_tracing(global: &Global) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_new(&global.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match global.log_format {
        LogFormat::Text => {
            let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            builder.with_ansi(colour).try_init()
        }
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .try_init(),
    };
}
