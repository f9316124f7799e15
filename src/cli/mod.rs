//! Subcommands of the `riskline` binary. Each module holds its clap arguments and a `run`
//! function; the work itself lives in `extract`, `store`, `ingest` and `api`.

pub mod backup;
pub mod bench;
pub mod bench_scale;
pub mod build_registry;
pub mod companies;
pub mod eval;
pub mod extract;
pub mod ingest;
pub mod keys;
pub mod migrate;
pub mod serve;

/// Options shared by every subcommand.
#[derive(Debug, Clone, clap::Args)]
pub struct Global {
    /// Database to use: a file path or `sqlite://PATH` for SQLite (default `./riskline.db`),
    /// `postgres://user@host/db` for PostgreSQL.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Log filter (e.g. `info`, `riskline=debug`); logs go to stderr.
    #[arg(long, env = "RISKLINE_LOG", default_value = "warn", global = true)]
    pub log: String,
}

impl Global {
    /// The database URL, with the embedded default when none is given.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| crate::store::DEFAULT_DATABASE.to_string())
    }
}

/// Starts logging to stderr with the given filter.
pub fn init_tracing(global: &Global) {
    let filter = tracing_subscriber::EnvFilter::try_new(&global.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
