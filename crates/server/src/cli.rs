use crate::config::Config;
use crate::startup::{open_database, shutdown_signal, Application, Options};
use clap::{Args, Parser, Subcommand};
use dingdan_app::{admin, auth, clock::SystemClock, Actor, App, Role};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// dingdan: one order platform speaking five commerce API dialects.
#[derive(Parser, Debug)]
#[command(name = "dingdan", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the data is; shared by every command.
#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// Configuration file [default: ./dingdan.toml when present]
    #[arg(long, env = "DINGDAN_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Directory of the embedded SQLite database [default: ./dingdan-data]
    #[arg(long, env = "DINGDAN_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    /// PostgreSQL URL (postgres://...); replaces the embedded database
    #[arg(long, env = "DINGDAN_DATABASE_URL", global = true)]
    database_url: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the server (migrates the database first).
    Serve {
        /// Address to listen on [default: 127.0.0.1:8080]
        #[arg(long, env = "DINGDAN_ADDR")]
        addr: Option<String>,
        /// Load the demo data set into an empty database
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Load the demo data set into an empty database and exit.
    Demo {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Bootstrap what no API endpoint creates: admins, tenants, API apps, stores, staff.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
enum AdminCommand {
    /// Create a platform admin.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long, env = "DINGDAN_ADMIN_PASSWORD")]
        password: String,
    },
    /// Issue an admin API token for an existing admin (printed once).
    Token {
        #[arg(long, default_value = "admin")]
        username: String,
    },
    /// Create a tenant (merchant).
    CreateTenant {
        #[arg(long)]
        name: String,
        /// The merchant's domain (the offline dialect's `shop` parameter)
        #[arg(long)]
        domain: String,
        #[arg(long, default_value = "Asia/Shanghai")]
        timezone: String,
    },
    /// List tenants.
    Tenants,
    /// Create an API app (access_id + secret) for the openapi and station dialects.
    CreateApp {
        /// Tenant id or domain
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        name: String,
        /// [default: generated]
        #[arg(long)]
        access_id: Option<String>,
        /// [default: generated, printed once]
        #[arg(long)]
        secret: Option<String>,
    },
    /// List API apps.
    Apps {
        /// Tenant id or domain
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Create a store (an offline pickup shop and a mall store).
    CreateStore {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        address: String,
        #[arg(long, default_value = "")]
        phone: String,
    },
    /// Create staff: role staff, manager, clerk or driver.
    CreateStaff {
        #[arg(long)]
        tenant: String,
        /// Store id
        #[arg(long)]
        store: Option<i64>,
        #[arg(long, default_value = "staff")]
        role: String,
        #[arg(long)]
        username: String,
        #[arg(long, env = "DINGDAN_STAFF_PASSWORD")]
        password: String,
    },
}

fn load_config(db: &DbArgs) -> anyhow::Result<Config> {
    let mut config = Config::load(db.config.as_deref())?;
    if let Some(dir) = &db.data_dir {
        config.database.data_dir = dir.clone();
    }
    if let Some(url) = &db.database_url {
        config.database.url = url.clone();
    }
    if let Ok(filter) = std::env::var("DINGDAN_LOG") {
        config.log.filter = filter;
    }
    if let Ok(format) = std::env::var("DINGDAN_LOG_FORMAT") {
        config.log.format = format;
    }
    Ok(config)
}

/// Logs go to standard output for `serve` and to standard error for the other commands, whose
/// standard output is their answer.
fn init_tracing(config: &Config, to_stderr: bool) {
    use tracing_subscriber::EnvFilter;
    // sqlx's own notices ("relation already exists, skipping") are noise at info.
    let directives = if config.log.filter.contains("sqlx") {
        config.log.filter.clone()
    } else {
        format!("{},sqlx=warn", config.log.filter)
    };
    let filter = EnvFilter::try_new(directives).unwrap_or_else(|_| EnvFilter::new("info"));
    if to_stderr {
        let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
        let builder = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr);
        let _ = if config.log.format == "json" { builder.json().try_init() } else { builder.try_init() };
    } else {
        let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
        let builder = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi);
        let _ = if config.log.format == "json" { builder.json().try_init() } else { builder.try_init() };
    }
}

/// Runs the command line; the process's exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { addr, demo, db } => {
            let mut config = load_config(&db)?;
            if let Some(addr) = addr {
                config.server.addr = addr;
            }
            init_tracing(&config, false);
            let server = Application::build(Options { config, demo, clock: None, sms: None, wechat: None }).await?;
            server.run_until(shutdown_signal()).await
        }
        Command::Migrate { db } => {
            let config = load_config(&db)?;
            init_tracing(&config, true);
            let db = open_database(&config).await?;
            println!("database is migrated ({} migrations applied)", db.applied_migrations().await?);
            Ok(())
        }
        Command::Demo { db } => {
            let app = open_app(&db).await?;
            match dingdan_app::demo::load(&app).await? {
                Some(l) => println!(
                    "demo data loaded: tenant {} ({} SKUs, {} customers, {} orders)",
                    l.tenant_id, l.skus, l.customers, l.orders
                ),
                None => println!("the database is not empty; demo data not loaded"),
            }
            Ok(())
        }
        Command::Admin { command, db } => {
            let app = open_app(&db).await?;
            run_admin(&app, command).await
        }
    }
}

async fn open_app(db: &DbArgs) -> anyhow::Result<App> {
    let config = load_config(db)?;
    init_tracing(&config, true);
    let db = open_database(&config).await?;
    Ok(App::new(db, Arc::new(SystemClock), config.settings()))
}

/// A tenant named by id or domain.
async fn tenant_id(app: &App, tenant: &str) -> anyhow::Result<i64> {
    if let Ok(id) = tenant.parse::<i64>() {
        return Ok(id);
    }
    dingdan_store::tenants::by_domain(app.db.reader(), tenant)
        .await?
        .map(|t| t.id)
        .ok_or_else(|| anyhow::anyhow!("no tenant with domain {tenant}"))
}

async fn run_admin(app: &App, command: AdminCommand) -> anyhow::Result<()> {
    let sys = Actor::system();
    match command {
        AdminCommand::CreateAdmin { username, password } => {
            let id = admin::create_admin(app, &sys, &username, &password).await?;
            println!("admin {username} created (id {id})");
        }
        AdminCommand::Token { username } => {
            let found = dingdan_store::identities::admin_by_username(app.db.reader(), &username)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no admin named {username}"))?;
            let (token, expires_at) =
                auth::issue_token(app, auth::TokenKind::Admin, found.id, None, app.settings.session_ttl_ms).await?;
            println!("{token}");
            eprintln!("expires at {} (UTC ms); use it as `Authorization: Bearer <token>`", expires_at);
        }
        AdminCommand::CreateTenant { name, domain, timezone } => {
            let id = admin::create_tenant(app, &sys, &name, &domain, &timezone).await?;
            println!("tenant {name} created (id {id}, domain {domain})");
        }
        AdminCommand::Tenants => {
            for t in admin::list_tenants(app, &sys).await? {
                println!("{}\t{}\t{}\t{}", t.id, t.domain, t.name, t.timezone);
            }
        }
        AdminCommand::CreateApp { tenant, name, access_id, secret } => {
            let tenant_id = tenant_id(app, &tenant).await?;
            let created =
                admin::create_api_app(app, &sys, tenant_id, &name, access_id.as_deref(), secret.as_deref()).await?;
            println!("access_id: {}\nsecret:    {}", created.access_id, created.secret);
            eprintln!("the secret is not stored in clear: keep it now");
        }
        AdminCommand::Apps { tenant } => {
            let tenant_id = match tenant {
                Some(t) => Some(tenant_id(app, &t).await?),
                None => None,
            };
            for a in admin::list_api_apps(app, &sys, tenant_id).await? {
                println!("{}\t{}\t{}\t{}", a.id, a.tenant_id, a.access_id, a.name);
            }
        }
        AdminCommand::CreateStore { tenant, name, address, phone } => {
            let tenant_id = tenant_id(app, &tenant).await?;
            let id = admin::create_store(app, &sys, tenant_id, &name, &address, &phone).await?;
            println!("store {name} created (id {id})");
        }
        AdminCommand::CreateStaff { tenant, store, role, username, password } => {
            let tenant_id = tenant_id(app, &tenant).await?;
            let role = Role::parse(&role).ok_or_else(|| anyhow::anyhow!("unknown role {role}"))?;
            let s = admin::NewStaff {
                tenant_id,
                store_id: store,
                role,
                username: &username,
                password: &password,
                display_name: "",
                phone: "",
            };
            let id = admin::create_staff(app, &sys, &s).await?;
            println!("{} {username} created (id {id})", role.as_str());
        }
    }
    Ok(())
}
