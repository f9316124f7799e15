//! `riskline keys`: create, list and revoke API keys.

use std::process::ExitCode;

use anyhow::Context;

use crate::store::models::{ApiKeyRow, KeyRole};
use crate::store::{keys, Store};

/// Who CLI key changes are recorded as in the audit trail.
const CLI_ACTOR: &str = "cli";

/// Arguments of `riskline keys`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    database: super::Database,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Create a key; it is printed once (`key: ...` on the first line) and only its hash is stored.
    Create {
        /// A unique name for the key (1-64 of letters, digits, `.`, `_`, `-`, `@`).
        #[arg(long)]
        name: String,
        /// What the key may do: reader (GET), analyst (+ reviews, tags, corrections,
        /// manual events, documents), admin (+ companies, keys).
        #[arg(long, value_parser = ["reader", "analyst", "admin"])]
        role: String,
        /// The key's team: keys of one team share their watchlists.
        #[arg(long, default_value = "default")]
        team: String,
    },
    /// List keys: name, role, prefix, created, revoked, last used.
    List {
        /// Print a JSON array of `{"name", "role", "prefix", "created_at", "revoked_at",
        /// "last_used_at"}` (times in RFC 3339, UTC; null when not revoked or never used).
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key by name; servers stop accepting it within 5 seconds.
    Revoke {
        /// The key's name.
        name: String,
    },
}

/// Runs `riskline keys` (create, list or revoke).
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = Store::open_and_migrate(&args.database.url())?;
    let mut conn = store.conn()?;
    match args.command {
        Command::Create { name, role, team } => {
            if !keys::valid_name(&name) {
                anyhow::bail!(
                    "invalid key name {name:?}: use 1 to 64 of letters, digits, `.`, `_`, `-`, `@`"
                );
            }
            if !keys::valid_team(&team) {
                anyhow::bail!(
                    "invalid team {team:?}: use 1 to 64 of letters, digits, `.`, `_`, `-`, `@`"
                );
            }
            let role: KeyRole = role.parse()?;
            let (secret, row) = match keys::create(&mut conn, &name, role, CLI_ACTOR) {
                Err(crate::store::StoreError::Duplicate(_)) => {
                    anyhow::bail!("a key named {name:?} exists; choose another name or revoke it")
                }
                other => other.context("creating the key")?,
            };
            if team != "default" {
                keys::set_team(&mut conn, &name, &team, CLI_ACTOR).context("setting the team")?;
            }
            println!("key: {secret}");
            println!("name: {}", row.fields.name);
            println!("role: {}", row.fields.role);
            println!("team: {team}");
            eprintln!("Store the key now: it is not shown again.");
        }
        Command::List { json } => {
            let rows = keys::list(&mut conn).context("listing keys")?;
            if json {
                let listed: Vec<serde_json::Value> = rows.iter().map(key_json).collect();
                println!("{}", serde_json::to_string_pretty(&listed)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "{:<24} {:<8} {:<10} {:<20} {:<20} last used",
                "name", "role", "prefix", "created", "revoked"
            );
            let when =
                |t: Option<chrono::NaiveDateTime>| timestamp(t).unwrap_or_else(|| "-".into());
            for row in &rows {
                println!(
                    "{:<24} {:<8} {:<10} {:<20} {:<20} {}",
                    row.fields.name,
                    row.fields.role,
                    row.fields.prefix,
                    when(Some(row.fields.created_at)),
                    when(row.fields.revoked_at),
                    when(row.fields.last_used_at)
                );
            }
            println!("{} key(s)", rows.len());
        }
        Command::Revoke { name } => {
            if keys::revoke(&mut conn, &name, CLI_ACTOR).context("revoking the key")? {
                println!("revoked {name}");
            } else {
                anyhow::bail!("no active key named {name:?}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A stored time as `keys list` prints it (RFC 3339, UTC).
fn timestamp(t: Option<chrono::NaiveDateTime>) -> Option<String> {
    t.map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// A key as `keys list --json` prints it: never its secret nor its hash.
fn key_json(row: &ApiKeyRow) -> serde_json::Value {
    serde_json::json!({
        "name": row.fields.name,
        "role": row.fields.role,
        "prefix": row.fields.prefix,
        "created_at": timestamp(Some(row.fields.created_at)),
        "revoked_at": timestamp(row.fields.revoked_at),
        "last_used_at": timestamp(row.fields.last_used_at),
    })
}
