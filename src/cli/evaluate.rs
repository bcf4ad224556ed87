//! `careline eval`: score triage on labelled files and print a table or JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use careline::bootstrap::{AssetPaths, load_triage};
use careline::eval::{
    EvalReport, RoutingExample, UrgentExample, read_jsonl, render, score_routing, score_urgent,
};

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Routing file: `{"text", "department", "also"?}` per line.
    #[arg(long, default_value = "tests/data/routing.jsonl")]
    routing: Option<PathBuf>,
    /// Red-flag file: `{"text", "urgent"}` per line.
    #[arg(long, default_value = "tests/data/urgent.jsonl")]
    urgent: Option<PathBuf>,
    /// Skip the routing file.
    #[arg(long)]
    no_routing: bool,
    /// Skip the red-flag file.
    #[arg(long)]
    no_urgent: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// List every missed line under the table.
    #[arg(long)]
    show_errors: bool,
}

pub fn run(paths: &AssetPaths, args: EvalArgs) -> anyhow::Result<ExitCode> {
    let routing_path = args.routing.filter(|_| !args.no_routing);
    let urgent_path = args.urgent.filter(|_| !args.no_urgent);
    let routing_examples: Option<Vec<RoutingExample>> =
        routing_path.map(|p| read_jsonl(&p)).transpose()?;
    let urgent_examples: Option<Vec<UrgentExample>> =
        urgent_path.map(|p| read_jsonl(&p)).transpose()?;

    let triage = load_triage(paths)?;
    let report = EvalReport {
        routing: routing_examples
            .map(|examples| score_routing(&triage, &examples))
            .transpose()?,
        urgent: urgent_examples
            .map(|examples| score_urgent(&triage, &examples))
            .transpose()?,
    };

    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render(&report, args.show_errors));
    }
    Ok(ExitCode::SUCCESS)
}
