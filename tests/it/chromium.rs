//! Headless Chromium over chromedriver for the browser tests, one browser
//! at a time: the browser tests of this binary run in parallel, and two
//! Chromiums at once make both flaky on a two-core machine.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tokio::sync::{Mutex, MutexGuard};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long chromedriver may take to start.
const START_WAIT: Duration = Duration::from_secs(20);

/// Held by the test whose Chromium runs; the next one waits for it.
static TURN: Mutex<()> = Mutex::const_new(());

/// One headless Chromium session. The browser's turn ends when this is
/// dropped, after `close`.
pub struct Chromium {
    pub client: Client,
    driver: Chromedriver,
    // Declared last, so it is released after chromedriver is stopped.
    _turn: MutexGuard<'static, ()>,
}

impl Chromium {
    /// Waits for any other test's Chromium to finish, then starts one with
    /// a window of `width` by `height` pixels.
    pub async fn start(width: u32, height: u32) -> Self {
        let turn = TURN.lock().await;
        let driver = Chromedriver::start().await;
        let Value::Object(capabilities) = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-dev-shm-usage",
                    format!("--window-size={width},{height}"),
                ],
            },
            // Keeps the console, CSP violations included, for console_errors.
            "goog:loggingPrefs": {"browser": "ALL"},
        }) else {
            unreachable!("capabilities are a JSON object")
        };

        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|error| panic!("Chromium did not start: {error}"));
        Chromium {
            client,
            driver,
            _turn: turn,
        }
    }

    /// Ends the session (Chromium quits), stops chromedriver, then lets
    /// the next test's browser start.
    pub async fn close(self) {
        let Chromium {
            client,
            driver,
            _turn,
        } = self;
        if let Err(error) = client.close().await {
            eprintln!("closing the browser session failed: {error}");
        }
        drop(driver);
    }

    /// SEVERE browser log entries (errors, failed loads, CSP violations)
    /// since the previous call, read through chromedriver's log endpoint.
    pub async fn console_errors(&self) -> Vec<String> {
        let session = self.client.session_id().await.expect("session id");
        let session = session.expect("a session is open");
        let url = format!("{}/session/{session}/se/log", self.driver.url);

        let response = reqwest::Client::new()
            .post(url)
            .json(&json!({"type": "browser"}))
            .send()
            .await
            .expect("chromedriver answers");
        let log: Value = response.json().await.expect("JSON log");

        let entries = log["value"].as_array().expect("log entries");
        entries
            .iter()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    }
}

/// A chromedriver process on a free local port, killed on drop.
struct Chromedriver {
    process: Child,
    url: String,
}

impl Chromedriver {
    async fn start() -> Self {
        for binary in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(binary).exists(),
                "{binary} is missing: the browser tests need Chromium and \
                 chromedriver; run `apt-get install chromium chromium-driver`"
            );
        }

        let port = free_port();
        let process = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut driver = Chromedriver {
            process,
            url: format!("http://127.0.0.1:{port}"),
        };

        driver.wait_until_ready().await;
        driver
    }

    async fn wait_until_ready(&mut self) {
        let status_url = format!("{}/status", self.url);
        let deadline = Instant::now() + START_WAIT;
        loop {
            if let Ok(Some(exit)) = self.process.try_wait() {
                panic!("chromedriver stopped during start-up ({exit})");
            }
            if let Ok(response) = reqwest::get(&status_url).await
                && let Ok(status) = response.json::<Value>().await
                && status["value"]["ready"] == true
            {
                return;
            }
            assert!(Instant::now() < deadline, "chromedriver not ready");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // Already gone is fine: only a running driver needs stopping.
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("bound address").port()
}
