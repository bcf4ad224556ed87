//! Shared fixtures: the repository's own model, intents and test data.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use careline::bootstrap::{AssetPaths, load_triage};
use careline::triage::Triage;

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn data(name: &str) -> PathBuf {
    repo().join("tests/data").join(name)
}

pub fn assets() -> AssetPaths {
    AssetPaths::new(repo().join("models"), repo().join("intents"))
}

/// The full triage pipeline, loaded once for the whole test binary.
pub fn triage() -> &'static Triage {
    static TRIAGE: OnceLock<Triage> = OnceLock::new();
    TRIAGE.get_or_init(|| load_triage(&assets()).expect("triage loads from the repository"))
}

/// A Careline server on a free port with a fresh SQLite file and vector
/// index, started once for the whole test binary on its own runtime (so it
/// outlives each test's runtime).
pub struct TestServer {
    pub base: String,
    pub data_dir: PathBuf,
    database_url: String,
}

impl TestServer {
    /// A server some test started itself (a separate process, say).
    pub fn external(base: String, data_dir: PathBuf, database_url: String) -> Self {
        Self {
            base,
            data_dir,
            database_url,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone()
    }
}

/// The machine's PostgreSQL test database (`.ci/run` makes sure it runs).
pub const POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The shared secret the test portal signs patient tokens with (HS256).
pub const PORTAL_SECRET: &str = "test-portal-secret-of-at-least-32-bytes";

/// A schema of its own in the PostgreSQL test database, so each run
/// starts empty and migrates from scratch. Schemas left by runs more than
/// a day old are dropped on the way.
pub async fn fresh_postgres_url() -> String {
    use sqlx::{Connection, Row};

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    let mut admin = sqlx::PgConnection::connect(POSTGRES_URL)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {POSTGRES_URL} is needed: {e}"));

    let old = sqlx::query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'careline_test_%'")
        .fetch_all(&mut admin)
        .await
        .expect("schemas listed");
    for row in old {
        let name: String = row.get(0);
        let started: u64 = name
            .split('_')
            .nth(2)
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        if started + 24 * 3600 < now {
            let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {name} CASCADE"))
                .execute(&mut admin)
                .await;
        }
    }

    let schema = format!("careline_test_{now}_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut admin)
        .await
        .expect("schema is created");
    format!("{POSTGRES_URL}?options[search_path]={schema}")
}

/// The test hospital's emergency number and crisis line.
pub const EMERGENCY_NUMBER: &str = "112";
pub const CRISIS_LINE: &str = "116 123";
pub const POISON_CONTROL: &str = "01 40 05 48 48";

pub fn test_config(data_dir: &Path) -> careline::config::Config {
    careline::config::Config {
        listen: "127.0.0.1:0".parse().expect("address is valid"),
        data_dir: data_dir.to_owned(),
        models_dir: repo().join("models"),
        intents_dir: repo().join("intents"),
        knowledge_dir: repo().join("knowledge"),
        // Not the built-in 911/988, so tests see the configuration flow
        // into guidance and the page.
        hospital: careline::config::Hospital {
            emergency_number: EMERGENCY_NUMBER.to_owned(),
            crisis_line: CRISIS_LINE.to_owned(),
            poison_control: POISON_CONTROL.to_owned(),
            ..careline::config::Hospital::default()
        },
        // Failures answer quickly and one address may try often: the
        // tests exercise the lockout, not the waiting.
        auth: careline::config::AuthConfig {
            failure_delay_ms: 5,
            sign_in_per_minute: 100_000,
            ..careline::config::AuthConfig::default()
        },
        portal: careline::config::PortalConfig {
            jwt_algorithm: "HS256".to_owned(),
            jwt_secret: careline::config::SecretText::new(PORTAL_SECRET),
            ..careline::config::PortalConfig::default()
        },
        ..careline::config::Config::default()
    }
}

/// The server on an embedded SQLite file.
pub fn server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| start_server(None))
}

/// The same server on PostgreSQL, in a schema of its own.
pub fn postgres_server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let url = std::thread::spawn(|| {
            tokio::runtime::Runtime::new()
                .expect("runtime")
                .block_on(fresh_postgres_url())
        })
        .join()
        .expect("schema set-up");
        start_server(Some(url))
    })
}

fn start_server(database_url: Option<String>) -> TestServer {
    let data_dir = tempfile::tempdir().expect("temp dir").keep();
    let mut config = test_config(&data_dir);
    if let Some(url) = &database_url {
        config.database_url = url.clone();
    }
    let database_url = database_url.unwrap_or_else(|| {
        format!(
            "sqlite://{}?mode=rw",
            data_dir.join("careline.db").display()
        )
    });
    let (ready, started) = std::sync::mpsc::channel();

    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async move {
            let server = careline::http::spawn(config).await.expect("server binds");
            assert!(server.ready().await, "server start-up failed");
            ready.send(server.addr).expect("test thread waits");
            std::future::pending::<()>().await;
        });
    });

    let addr = started.recv().expect("server starts");
    TestServer {
        base: format!("http://{addr}"),
        data_dir,
        database_url,
    }
}

/// A plain pool on the server's database, for tests that move the clock
/// of stored rows (expiry) or read what no endpoint shows.
pub async fn raw_pool(server: &TestServer) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(&server.database_url())
        .await
        .expect("test database opens")
}
