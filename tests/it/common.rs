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
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn database_url(&self) -> String {
        format!(
            "sqlite://{}?mode=rw",
            self.data_dir.join("careline.db").display()
        )
    }
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
        ..careline::config::Config::default()
    }
}

pub fn server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let data_dir = tempfile::tempdir().expect("temp dir").keep();
        let config = test_config(&data_dir);
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
        }
    })
}
