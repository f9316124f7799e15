//! `riskline migrate`: apply, revert or list the database migrations.

use std::process::ExitCode;

use anyhow::Context;

use crate::store::Store;

/// Arguments of `riskline migrate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    database: super::Database,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Apply every pending migration (the default).
    Run,
    /// Revert the last applied migration.
    Revert {
        /// Revert every applied migration, leaving an empty database.
        #[arg(long)]
        all: bool,
    },
    /// List the migrations, applied and pending.
    Status,
}

/// Runs `riskline migrate` (apply, revert or list migrations).
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = Store::open(&args.database.url())?;
    let url = store.url().to_string();
    match args.command.unwrap_or(Command::Run) {
        Command::Run => {
            let applied = store
                .migrate()
                .with_context(|| format!("migrating {url}"))?;
            if applied.is_empty() {
                println!("{url}: up to date, no pending migrations");
            } else {
                for name in &applied {
                    println!("applied  {name}");
                }
                println!("{url}: applied {} migration(s)", applied.len());
            }
        }
        Command::Revert { all } => {
            let reverted = store
                .revert(all)
                .with_context(|| format!("reverting migrations of {url}"))?;
            if reverted.is_empty() {
                println!("{url}: nothing to revert, no migration is applied");
            } else {
                for name in &reverted {
                    println!("reverted {name}");
                }
                println!("{url}: reverted {} migration(s)", reverted.len());
            }
        }
        Command::Status => {
            let states = store.migration_status()?;
            for state in &states {
                let mark = if state.applied { "applied" } else { "pending" };
                println!("{mark}  {}", state.name);
            }
            let pending = states.iter().filter(|s| !s.applied).count();
            println!(
                "{url} ({}): {} applied, {pending} pending",
                store.backend(),
                states.len() - pending
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
