//! The `riskline` command line: a thin layer over the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use riskline::cli;

/// riskline tracks lawsuits, regulatory actions and service halts of listed companies.
///
/// It reads news articles, SEC filings, press releases and court documents, finds the
/// events they report, links each to the tickers of the companies involved, stores them
/// in a database (SQLite by default, PostgreSQL for deployments) and serves per-company
/// risk timelines over a REST API and a web page.
#[derive(Debug, Parser)]
#[command(name = "riskline", version, about, long_about)]
struct Cli {
    #[command(flatten)]
    global: cli::Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run, revert or list database migrations.
    Migrate(cli::migrate::Args),
    /// Import, list, show and search the company registry.
    Companies(cli::companies::Args),
    /// Extract events from one document (or a JSONL batch) and print them as JSON; no database.
    Extract(cli::extract::Args),
    /// Ingest documents: files, directories, `-` (stdin), JSONL batches, RSS/Atom feeds.
    Ingest(cli::ingest::Args),
    /// Score the extractor against a labelled gold file (precision, recall, F1).
    Eval(cli::eval::Args),
    /// Serve the REST API and the web page.
    Serve(cli::serve::Args),
    /// Create, list and revoke API keys.
    Keys(cli::keys::Args),
    /// Add, list and remove the live sources `watch` polls (feeds, EDGAR filings).
    Sources(cli::sources::Args),
    /// Poll the live sources and ingest what is new (`--once` for one pass).
    Watch(cli::watch::Args),
    /// Send webhook deliveries of watchlists (what `serve` does beside the API).
    Deliver(cli::deliver::Args),
    /// Write every event matching filters as JSON Lines on stdout.
    Export(cli::export::Args),
    /// Copy the database into a file, consistently while others write (SQLite; pg_dump on PostgreSQL).
    Backup(cli::backup::BackupArgs),
    /// Check a backup and copy it into the database (SQLite).
    Restore(cli::backup::RestoreArgs),
    /// Write a large synthetic database for the API benchmark (see docs/benchmarks-api.md).
    #[command(hide = true)]
    Bench(cli::bench::Args),
}

fn main() -> ExitCode {
    // Rust starts programs with SIGPIPE ignored, so that printing to a closed pipe
    // (`riskline companies list | head -1`) is an error, on which `println!` panics. A
    // command-line tool should rather end quietly, as the default disposition makes it
    // do. Restored before parsing, as clap prints help too; `serve` then ignores it
    // again, since a client closing its connection must not end the server.
    sigpipe::restore_default();
    let cli = Cli::parse();
    if matches!(cli.command, Command::Serve(_)) {
        sigpipe::ignore();
    }
    cli::init_tracing(&cli.global);
    // Every command that writes events keeps their timeline items as the API lists them.
    riskline::api::item::install();
    let result = match cli.command {
        Command::Migrate(args) => cli::migrate::run(args),
        Command::Companies(args) => cli::companies::run(args),
        Command::Extract(args) => cli::extract::run(args),
        Command::Ingest(args) => cli::ingest::run(args),
        Command::Eval(args) => cli::eval::run(args),
        Command::Serve(args) => cli::serve::run(args),
        Command::Keys(args) => cli::keys::run(args),
        Command::Sources(args) => cli::sources::run(args),
        Command::Watch(args) => cli::watch::run(args),
        Command::Deliver(args) => cli::deliver::run(args),
        Command::Export(args) => cli::export::run(args),
        Command::Backup(args) => cli::backup::run_backup(args),
        Command::Restore(args) => cli::backup::run_restore(args),
        Command::Bench(args) => cli::bench::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The disposition of SIGPIPE (a no-op where there are no signals).
mod sigpipe {
    /// Lets a write to a closed pipe end the process quietly, as in most Unix tools.
    pub fn restore_default() {
        #[cfg(unix)]
        set(libc::SIG_DFL);
    }

    /// Turns a write to a closed pipe or socket into an error of that write.
    pub fn ignore() {
        #[cfg(unix)]
        set(libc::SIG_IGN);
    }

    #[cfg(unix)]
    fn set(handler: libc::sighandler_t) {
        // SAFETY: called from the main thread before any other thread starts; setting
        // SIGPIPE to the default or ignored disposition installs no Rust code.
        unsafe {
            libc::signal(libc::SIGPIPE, handler);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
