//! The `careline` command line.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // 1. Threading, before any thread exists.
    #[expect(unsafe_code, reason = "sets the environment before any thread exists")]
    // SAFETY: nothing has spawned a thread yet.
    unsafe {
        careline::model::configure_threads()
    };

    // 2. Arguments.
    let args = cli::Cli::parse();

    // 3. Logs go to stderr so stdout stays clean JSONL.
    cli::init_logging(args.log_format);

    // 4. The command.
    match cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("careline: {error:#}");
            ExitCode::FAILURE
        }
    }
}
