//! `careline train`: retrain the router head and report its held-out figures.

use std::process::ExitCode;
use std::time::Instant;

use careline::bootstrap::{AssetPaths, load_encoder};
use careline::routing::{IntentSet, Router, TrainingOptions};

#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// Seed for the cross-validation folds.
    #[arg(long)]
    seed: Option<u64>,
    /// Full-batch training steps.
    #[arg(long)]
    epochs: Option<usize>,
    /// Only train when the stored head is missing or was trained from other
    /// intents or another encoder.
    #[arg(long, conflicts_with_all = ["seed", "epochs"])]
    if_stale: bool,
}

pub fn run(paths: &AssetPaths, args: TrainArgs) -> anyhow::Result<ExitCode> {
    let defaults = TrainingOptions::default();
    let options = TrainingOptions {
        seed: args.seed.unwrap_or(defaults.seed),
        epochs: args.epochs.unwrap_or(defaults.epochs),
        ..defaults
    };

    let encoder = load_encoder(paths)?;
    let intents = IntentSet::load(&paths.intents)?;
    if args.if_stale {
        let router = Router::load_or_train(&intents, &paths.models, &encoder)?;
        eprintln!(
            "router head is current ({} classes)",
            router.meta().classes.len()
        );
        return Ok(ExitCode::SUCCESS);
    }

    let started = Instant::now();
    let router = Router::train_and_save(&intents, &paths.models, &encoder, &options)?;
    let seconds = started.elapsed().as_secs_f64();

    let meta = router.meta();
    let cv = &meta.cross_validation;
    println!(
        "trained on {} examples, {} classes in {seconds:.1} s",
        meta.examples,
        meta.classes.len()
    );
    println!(
        "  cross-validated accuracy   {:.1}% ({} folds)",
        cv.accuracy * 100.0,
        cv.folds
    );
    println!(
        "  calibration error (ECE)    {:.3} before, {:.3} after temperature {:.2}",
        cv.ece_before, cv.ece_after, meta.temperature
    );
    println!(
        "  abstain below confidence   {:.2} (abstains on {:.1}%, {:.1}% right when answering)",
        meta.abstain_threshold,
        cv.abstention_rate * 100.0,
        cv.accuracy_when_answered * 100.0
    );
    println!(
        "  wrote {}",
        paths.models.join("router.safetensors").display()
    );
    Ok(ExitCode::SUCCESS)
}
