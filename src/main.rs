//! `wijkmakers`: the command line of the platform. Every command explains itself with `--help`.

use std::io::BufRead;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use wijkmakers::auth::Role;
use wijkmakers::choice::Choice;
use wijkmakers::config::{Config, LogFormat};
use wijkmakers::{Application, Background, accounts, demo, mail, open_database};

#[derive(Parser)]
#[command(name = "wijkmakers", version, about = "The platform of the Wijkmakers Academie (Groningen)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the platform on BIND (default 127.0.0.1:8080), with the mail worker and the reminder scheduler
    Serve {
        /// Fill an empty database with demo accounts and a demo programme, and print the logins
        /// (also with DEMO=true)
        #[arg(long, env = "DEMO", value_parser = clap::builder::BoolishValueParser::new(), default_value_t = false)]
        demo: bool,
        /// Do not deliver email from this process (run `wijkmakers outbox run` elsewhere)
        #[arg(long)]
        no_mail_worker: bool,
    },
    /// Create the database if it is missing and apply the migrations
    Migrate,
    /// Manage accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Fill an empty database with demo accounts and a realistic programme of courses
    Demo,
    /// The email outbox
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Write a report for partners and funders, to standard output or --output
    Export(ExportArgs),
}

/// What `wijkmakers export` writes.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportWhat {
    /// One row per participant × session
    Sessions,
    /// One row per participant × course
    Participation,
    /// Key figures per group
    Summary,
}

#[derive(Args)]
struct ExportArgs {
    #[arg(value_enum)]
    what: ExportWhat,
    /// First session date (inclusive), YYYY-MM-DD
    #[arg(long)]
    from: String,
    /// Last session date (inclusive), YYYY-MM-DD
    #[arg(long)]
    to: String,
    /// csv, csv-nl (Dutch Excel), xlsx or json
    #[arg(long, default_value = "csv")]
    format: String,
    /// A theme's slug
    #[arg(long)]
    theme: Option<String>,
    /// A course's id
    #[arg(long)]
    course: Option<String>,
    /// A wijk or dorp of the sessions
    #[arg(long)]
    wijk: Option<String>,
    /// bewoner, vrijwilliger, professional or student
    #[arg(long)]
    participant_kind: Option<String>,
    /// The participants' organisation
    #[arg(long)]
    organisation: Option<String>,
    /// Leave out name, email and organisation; pseudonymous ids per --purpose
    #[arg(long)]
    anonymise: bool,
    /// What the pseudonymous export is for (required with --anonymise)
    #[arg(long)]
    purpose: Option<String>,
    /// Write to this file instead of standard output
    #[arg(long)]
    output: Option<std::path::PathBuf>,
    /// For `summary`: theme, wijk, participant_kind, course or month
    #[arg(long, default_value = "theme")]
    group_by: String,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a verified account with a role
    Add(UserAdd),
    /// Change the role of an account
    Role {
        #[arg(long)]
        email: String,
        /// participant, trainer, coordinator or admin
        #[arg(long)]
        role: String,
    },
}

#[derive(Args)]
struct UserAdd {
    #[arg(long)]
    email: String,
    #[arg(long)]
    name: String,
    /// participant, trainer, coordinator or admin
    #[arg(long, default_value = "participant")]
    role: String,
    /// Read the password from the first line of standard input
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Subcommand)]
enum OutboxCommand {
    /// Deliver email until stopped (Ctrl-C or SIGTERM)
    Run,
    /// Print how many messages are pending, sending, sent and failed
    Status,
}

/// Log lines go to stderr from a thread of their own (tracing-appender), written in batches
/// instead of a write per line from the worker that served the request (issue 20: the
/// catalogue served 7% more; all its logging together costs about a quarter). No line is
/// dropped: a full queue holds the workers back. Dropping the guard writes what is queued;
/// a process killed with SIGKILL loses the lines of its last moment.
fn init_tracing(format: LogFormat) -> tracing_appender::non_blocking::WorkerGuard {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .buffered_lines_limit(8_192) // its queue is allocated whole: 128,000 lines took 4 MiB
        .thread_name("log")
        .finish(std::io::BufWriter::new(std::io::stderr()));
    // one line per request when its span closes: method, route, status, request id, duration
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(writer);
    match format {
        LogFormat::Json => builder.json().flatten_event(true).init(),
        LogFormat::Text => builder.init(),
    }
    guard
}

fn main() -> ExitCode {
    tune_malloc();
    match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(start()),
        Err(error) => {
            eprintln!("wijkmakers: cannot start the async runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

/// glibc's malloc, set before any thread runs (issue 20). By default it raises the size from
/// which a block gets a mapping of its own to the largest block freed so far (up to 32 MiB):
/// after the first login, each argon2 run's 19 MiB came from the arena of the thread that ran
/// it and stayed there, and a login storm left the server at 600 MiB. With the threshold
/// fixed, blocks of 1 MiB and more are mapped one by one and given back when freed. At most
/// one arena per core (instead of eight) keeps the many blocking threads from spreading free
/// memory over more arenas than can be busy at once. An operator's `MALLOC_ARENA_MAX` or
/// `MALLOC_MMAP_THRESHOLD_` wins.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    const BIG_BLOCK: libc::c_int = 1 << 20;
    let arenas = std::thread::available_parallelism().map_or(2, |n| n.get()).min(64) as libc::c_int;
    // SAFETY: mallopt only changes malloc's parameters; no other thread runs yet
    unsafe {
        if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
            libc::mallopt(libc::M_MMAP_THRESHOLD, BIG_BLOCK);
        }
        if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}

async fn start() -> ExitCode {
    let cli = Cli::parse();
    let _ = dotenvy::dotenv();
    let format = match std::env::var("LOG_FORMAT").as_deref() {
        Ok("json") => LogFormat::Json,
        _ => LogFormat::Text,
    };
    let log = init_tracing(format);
    let result = run(cli.command).await;
    drop(log); // the last lines before the error below
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let message = format!("{error:#}").replace('\n', " ");
            eprintln!("wijkmakers: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse_role(text: &str) -> anyhow::Result<Role> {
    Role::parse(text)
        .ok_or_else(|| anyhow::anyhow!("--role must be participant, trainer, coordinator or admin, not `{text}`"))
}

async fn run(command: Command) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    match command {
        Command::Serve { demo: with_demo, no_mail_worker } => {
            let db = open_database(&config).await?;
            if with_demo {
                print_demo(demo::run(&db, &config).await?);
            }
            let background = Background { mail_worker: !no_mail_worker, ..Background::default() };
            let url = config.base().to_owned();
            let app = Application::with_db(config, db, background)?;
            println!("Wijkmakers Academie is running: open {url}");
            app.run_until_stopped().await
        }
        Command::Migrate => {
            open_database(&config).await?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::User(UserCommand::Add(add)) => {
            let role = parse_role(&add.role)?;
            let password = if add.password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                line.trim_end_matches(['\n', '\r']).to_owned()
            } else {
                anyhow::bail!("give the password on standard input with --password-stdin");
            };
            let db = open_database(&config).await?;
            let email = add.email.clone();
            db.run(move |conn| accounts::service::add_verified_user(conn, &add.email, &add.name, role, &password))
                .await
                .map_err(|e| anyhow::anyhow!(accounts::service::describe_error(&e)))?;
            println!("Account {email} added with role {}.", role.as_str());
            Ok(())
        }
        Command::User(UserCommand::Role { email, role }) => {
            let role = parse_role(&role)?;
            let db = open_database(&config).await?;
            let shown = email.clone();
            db.run(move |conn| accounts::service::set_role_by_email(conn, &email, role))
                .await
                .map_err(|e| anyhow::anyhow!(accounts::service::describe_error(&e)))?;
            println!("{shown} now has role {}.", role.as_str());
            Ok(())
        }
        Command::Demo => {
            let db = open_database(&config).await?;
            print_demo(demo::run(&db, &config).await?);
            Ok(())
        }
        Command::Outbox(OutboxCommand::Run) => {
            let db = open_database(&config).await?;
            let worker = mail::worker::Worker::from_config(db, &config)?;
            let (stop, stopped) = tokio::sync::watch::channel(false);
            let task = tokio::spawn(worker.run(stopped));
            shutdown_signal().await;
            let _ = stop.send(true);
            task.await?;
            Ok(())
        }
        Command::Outbox(OutboxCommand::Status) => {
            let db = open_database(&config).await?;
            let counts = db.run(|conn| Ok(mail::service::counts(conn)?)).await?;
            for (status, n) in counts {
                println!("{:<8} {n}", status.as_str());
            }
            Ok(())
        }
        Command::Export(args) => export(&config, args).await,
    }
}

/// `wijkmakers export`: the same tables as the API, run as the operator of the server.
async fn export(config: &Config, args: ExportArgs) -> anyhow::Result<()> {
    use wijkmakers::reports::{model::ReportQuery, service};
    let what = match args.what {
        ExportWhat::Sessions => service::Export::Sessions,
        ExportWhat::Participation => service::Export::Participation,
        ExportWhat::Summary => {
            let group_by = wijkmakers::choice::Choice::parse(&args.group_by)
                .ok_or_else(|| anyhow::anyhow!("--group-by: choose theme, wijk, participant_kind, course or month"))?;
            service::Export::Summary(group_by)
        }
    };
    let query = ReportQuery {
        from: Some(args.from),
        to: Some(args.to),
        theme: args.theme,
        course: args.course,
        wijk: args.wijk,
        participant_kind: args.participant_kind,
        organisation: args.organisation,
        format: Some(args.format),
        anonymise: Some(args.anonymise.to_string()),
        purpose: args.purpose,
    };
    let report = query.parse().map_err(|e| anyhow::anyhow!(describe_report_error(&e)))?;
    let db = open_database(config).await?;
    let out: Box<dyn std::io::Write + Send> = match &args.output {
        Some(path) => Box::new(std::fs::File::create(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?),
        None => Box::new(std::io::stdout()),
    };
    let bar = std::io::IsTerminal::is_terminal(&std::io::stderr()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} rows written ({elapsed})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let mut sink = FileSink { out: std::io::BufWriter::new(out), bar: bar.clone(), failed: None };
    let secret = config.secret_key.clone();
    let (rows, failed) = db
        .run(move |conn| {
            let rows =
                service::export_as_operator(conn, what, &secret, &report, wijkmakers::i18n::Locale::Nl, &mut sink)?;
            let flushed = std::io::Write::flush(&mut sink.out).err();
            Ok((rows, sink.failed.or(flushed)))
        })
        .await
        .map_err(|e| anyhow::anyhow!(describe_report_error(&e)))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(error) = failed {
        anyhow::bail!("could not write the export: {error}");
    }
    if let Some(path) = args.output {
        eprintln!("{rows} rows written to {}.", path.display());
    }
    Ok(())
}

/// An export's faults as the command line names them: `--to: before-from`.
fn describe_report_error(error: &wijkmakers::error::AppError) -> String {
    match error {
        wijkmakers::error::AppError::Validation(fields) => {
            fields.iter().map(|f| format!("--{}: {}", f.field.replace('_', "-"), f.code)).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

/// Writes an export to a file or standard output; stops at the first write error.
struct FileSink {
    out: std::io::BufWriter<Box<dyn std::io::Write + Send>>,
    bar: Option<indicatif::ProgressBar>,
    failed: Option<std::io::Error>,
}

impl wijkmakers::reports::service::Sink for FileSink {
    fn send(&mut self, bytes: Vec<u8>) -> bool {
        if self.failed.is_some() {
            return false;
        }
        match std::io::Write::write_all(&mut self.out, &bytes) {
            Ok(()) => true,
            Err(error) => {
                self.failed = Some(error);
                false
            }
        }
    }

    fn progress(&mut self, rows: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(rows as u64);
        }
    }
}

fn print_demo(outcome: demo::DemoOutcome) {
    match outcome {
        demo::DemoOutcome::Created(logins) => {
            println!("Demo data added. Log in with:");
            for login in logins {
                println!("  {:<12} {:<36} {}", login.role.as_str(), login.email, login.password);
            }
        }
        demo::DemoOutcome::AlreadyHasUsers => {
            println!("The database already has accounts: no demo data added.");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("signal handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
