//! `careline index`: bring the embedded knowledge index in line with the
//! files, then print what changed.

use std::process::ExitCode;
use std::sync::Arc;

use careline::bootstrap::{AssetPaths, load_triage};
use careline::config::Config;
use careline::startup::index_knowledge;

pub fn run(config: Config) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;

    let paths = AssetPaths::new(&config.models_dir, &config.intents_dir);
    let triage = Arc::new(load_triage(&paths)?);
    let indexed = runtime.block_on(index_knowledge(&config, &triage))?;

    let report = indexed.report;
    println!(
        "{} entries: {} added, {} updated, {} removed, {} unchanged",
        indexed.knowledge.len(),
        report.added,
        report.updated,
        report.removed,
        report.unchanged
    );
    Ok(ExitCode::SUCCESS)
}
