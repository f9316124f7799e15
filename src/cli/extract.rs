//! `riskline extract`: not built yet.

use std::process::ExitCode;

/// Arguments of `riskline extract`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_global: &super::Global, _args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`riskline extract` is not implemented yet")
}
