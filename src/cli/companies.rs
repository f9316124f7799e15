//! `riskline companies`: not built yet.

use std::process::ExitCode;

/// Arguments of `riskline companies`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_global: &super::Global, _args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`riskline companies` is not implemented yet")
}
