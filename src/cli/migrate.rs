//! `riskline migrate`: not built yet.

use std::process::ExitCode;

/// Arguments of `riskline migrate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_global: &super::Global, _args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`riskline migrate` is not implemented yet")
}
