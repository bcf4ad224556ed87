//! `careline admin`: the first admin account, and a way back in when the
//! only admin has lost their authenticator.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};

use careline::auth::{NewStaff, Role, SealingKey, StaffAuth, normalize_email};
use careline::config::Config;
use careline::routing::IntentSet;
use careline::store::Database;

#[derive(Debug, Clone, Args)]
pub struct AdminArgs {
    #[command(subcommand)]
    action: AdminAction,
}

#[derive(Debug, Clone, Subcommand)]
enum AdminAction {
    /// Create an admin account with a password you choose; it enrols its
    /// authenticator at the first sign-in.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// A department whose queue the admin works (repeatable).
        #[arg(long = "department")]
        departments: Vec<String>,
        /// Every department in the intents (a trial, or a small practice).
        #[arg(long, conflicts_with = "departments")]
        all_departments: bool,
        /// Read the password from the first line of stdin instead of
        /// asking for it.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give an account a temporary password and clear its authenticator,
    /// so it enrols again at the next sign-in.
    Reset {
        #[arg(long)]
        email: String,
    },
}

pub fn run(config: Config, args: AdminArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("data directory {}", config.data_dir.display()))?;
        let database = Database::connect(&config.database_url()).await?;
        let key = SealingKey::load_or_create(&config.secret_key_path())?;
        let intents = IntentSet::load(&config.intents_dir)?;
        let every_department: Vec<String> =
            intents.departments.iter().map(|d| d.id.clone()).collect();
        let staff = StaffAuth::new(
            database.clone(),
            key,
            config.auth.clone(),
            config.totp_issuer(),
            every_department.clone(),
        );

        let outcome = match args.action {
            AdminAction::Create {
                email,
                name,
                departments,
                all_departments,
                password_stdin,
            } => {
                let password = read_password(password_stdin)?;
                let new = NewStaff {
                    email,
                    name,
                    role: Role::Admin,
                    departments: if all_departments {
                        every_department
                    } else {
                        departments
                    },
                };
                let account = staff.create_account_with_password(new, &password).await?;
                println!(
                    "Admin {} created. Sign in at /staff/ and set up your authenticator app.",
                    account.email
                );
                Ok(ExitCode::SUCCESS)
            }
            AdminAction::Reset { email } => {
                let account = database
                    .account_by_email(&normalize_email(&email))
                    .await?
                    .context("no account has this email")?;
                let (account, password) = staff.reset_account(&account.id).await?;
                println!("Temporary password for {}: {password}", account.email);
                println!("It works once; the next sign-in enrols the authenticator again.");
                Ok(ExitCode::SUCCESS)
            }
        };
        database.close().await;
        outcome
    })
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    if !std::io::stdin().is_terminal() {
        bail!("no terminal to ask for the password on; pass --password-stdin");
    }
    let password = rpassword::prompt_password("Password (12 characters or more): ")?;
    let again = rpassword::prompt_password("The same password again: ")?;
    if password != again {
        bail!("the two passwords differ");
    }
    Ok(password)
}
