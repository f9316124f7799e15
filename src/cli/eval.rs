//! `riskline eval`: not built yet.

use std::process::ExitCode;

/// Arguments of `riskline eval`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_global: &super::Global, _args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`riskline eval` is not implemented yet")
}
