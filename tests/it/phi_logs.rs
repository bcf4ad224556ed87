//! Nothing a patient wrote reaches the logs unredacted: the real binary
//! runs at TRACE with JSON logs while chats full of PHI go through it
//! (answers, routed requests, emergencies, follow-ups, refused requests and
//! errors), and every line it writes is searched for each PHI value.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::repo;

/// Values planted in the messages; none may appear in any log line. Bare
/// short numbers are left out: a port or a hash could hold them by chance.
const PHI: &[&str] = &[
    "Marisol",
    "Quintanilla",
    "Bartholomew",
    "Okonkwo-Reyes",
    "03/14/1961",
    "(312) 555-0187",
    "555-0187",
    "marisol.q61@example.com",
    "418-26-7731",
    "MRN 00593817",
    "00593817",
    "2208 W Fullerton Ave",
    "Fullerton",
    "4111 1111 1111 1111",
];

const MESSAGES: &[&str] = &[
    "Hi, this is Marisol Quintanilla, DOB 03/14/1961, MRN 00593817. How do I pay my bill online?",
    "my husband Bartholomew Okonkwo-Reyes needs a refill of his lisinopril, call him at (312) 555-0187",
    "I moved to 2208 W Fullerton Ave, Chicago IL 60647, please update my address. SSN 418-26-7731",
    "marisol quintanilla here, I have crushing chest pain and my left arm is numb",
    "charge my card 4111 1111 1111 1111 for the copay, email the receipt to marisol.q61@example.com",
];

struct Server {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    base: String,
}

impl Server {
    fn start(data_dir: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_careline"))
            .arg("serve")
            .env("RUST_LOG", "trace")
            .env("CARELINE_LOG_FORMAT", "json")
            .env("CARELINE_LISTEN", "127.0.0.1:0")
            .env("CARELINE_DATA_DIR", data_dir)
            .env("CARELINE_MODELS_DIR", repo().join("models"))
            .env("CARELINE_INTENTS_DIR", repo().join("intents"))
            .env("CARELINE_KNOWLEDGE_DIR", repo().join("knowledge"))
            .env("CARELINE_PORTAL__JWT_ALGORITHM", "HS256")
            .env("CARELINE_PORTAL__JWT_SECRET", crate::common::PORTAL_SECRET)
            .env("CARELINE_AUTH__FAILURE_DELAY_MS", "5")
            .current_dir(data_dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("careline starts");

        // Everything the process writes, on either stream.
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stdout = child.stdout.take().expect("piped");
        let stderr = child.stderr.take().expect("piped");
        for stream in [
            Box::new(stdout) as Box<dyn std::io::Read + Send>,
            Box::new(stderr),
        ] {
            let lines = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    lines.lock().unwrap().push(line);
                }
            });
        }

        let deadline = Instant::now() + Duration::from_secs(120);
        let base = loop {
            let listening = lines.lock().unwrap().iter().find_map(|line| {
                let value: Value = serde_json::from_str(line).ok()?;
                (value["message"] == "listening")
                    .then(|| value["addr"].as_str().map(str::to_owned))?
            });
            if let Some(addr) = listening {
                break format!("http://{addr}");
            }
            assert!(
                Instant::now() < deadline,
                "careline did not start listening"
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        Server { child, lines, base }
    }

    fn stop(mut self) -> Vec<String> {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        let status = self.child.wait().expect("careline exits");
        assert!(status.success(), "careline stopped with {status}");
        // The reader threads finish when the pipes close.
        std::thread::sleep(Duration::from_millis(200));
        std::mem::take(&mut *self.lines.lock().unwrap())
    }
}

async fn post(client: &reqwest::Client, base: &str, body: String) -> (u16, Value) {
    let response = client
        .post(format!("{base}/api/chat"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("server answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_log_line_of_a_chat_session_carries_phi() {
    let data_dir = tempfile::tempdir().unwrap();
    let server = Server::start(data_dir.path());
    let client = reqwest::Client::new();

    let deadline = Instant::now() + Duration::from_secs(180);
    while client
        .get(format!("{}/readyz", server.base))
        .send()
        .await
        .map_or(true, |r| !r.status().is_success())
    {
        assert!(Instant::now() < deadline, "careline did not become ready");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Each message as its own conversation, then follow-ups in the first.
    let mut first = None;
    for message in MESSAGES {
        let (status, reply) = post(
            &client,
            &server.base,
            json!({ "message": message }).to_string(),
        )
        .await;
        assert_eq!(status, 200, "{reply}");
        first.get_or_insert(reply);
    }
    let first = first.unwrap();
    for message in [
        "and my bill too, Marisol Quintanilla",
        "talk to a person please, (312) 555-0187",
    ] {
        let body = json!({
            "conversation_id": first["conversation_id"],
            "conversation_token": first["conversation_token"],
            "message": message,
        });
        let (status, reply) = post(&client, &server.base, body.to_string()).await;
        assert_eq!(status, 200, "{reply}");
    }

    // Refused requests and errors: too long, malformed, wrong token,
    // an unknown choice, a transcript without its token.
    let long = format!("{} {}", MESSAGES[0], "x".repeat(5000));
    let refused = [
        json!({ "message": long }).to_string(),
        format!("{{\"message\": \"{}\"", MESSAGES[1]),
        json!({ "conversation_id": first["conversation_id"], "conversation_token": "wrong", "message": MESSAGES[2] }).to_string(),
        json!({ "conversation_id": first["conversation_id"], "conversation_token": first["conversation_token"], "choice": MESSAGES[3] }).to_string(),
        json!({ "message": 418_267_731, "note": MESSAGES[4] }).to_string(),
    ];
    for body in refused {
        let (status, reply) = post(&client, &server.base, body).await;
        assert!((400..500).contains(&status), "{status} {reply}");
        for phi in PHI {
            assert!(
                !reply.to_string().contains(phi),
                "error body holds `{phi}`: {reply}"
            );
        }
    }
    let response = client
        .get(format!(
            "{}/api/conversations/{}",
            server.base,
            first["conversation_id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);

    // Staff answer with PHI in replies, notes and a transfer reason; a
    // portal-signed patient writes too. None of it, and none of the
    // staff's secrets, may be logged.
    let secrets = staff_work(&server, data_dir.path(), &first).await;

    let lines = server.stop();

    // The run logged at every level and logged the decisions, with the
    // message in its redacted form.
    let decisions: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("chat decision"))
        .collect();
    assert_eq!(
        decisions.len(),
        MESSAGES.len() + 3,
        "one decision line per answered message (two follow-ups, one signed-in patient)"
    );
    assert!(
        decisions
            .iter()
            .any(|l| l.contains("[NAME]") && l.contains("[DATE]")),
        "{decisions:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("\"level\":\"TRACE\"") || l.contains("\"level\":\"DEBUG\""))
    );

    let lower: Vec<String> = lines.iter().map(|l| l.to_lowercase()).collect();
    for phi in PHI {
        let needle = phi.to_lowercase();
        let leaks: Vec<&String> = lower
            .iter()
            .filter(|l| l.contains(&needle))
            .take(3)
            .collect();
        assert!(leaks.is_empty(), "`{phi}` reached the logs: {leaks:?}");
    }
    for secret in &secrets {
        assert!(
            !lines.iter().any(|l| l.contains(secret.as_str())),
            "a staff secret reached the logs"
        );
    }
    assert!(
        lines.iter().any(|l| l.contains("staff replied")),
        "the staff work was logged"
    );
}

/// Signs an admin in, answers the first inquiry with PHI in every field a
/// person types, and returns the secrets that went over the wire.
async fn staff_work(server: &Server, data_dir: &std::path::Path, first: &Value) -> Vec<String> {
    use crate::staff_client::{PASSWORD, admin, patient_says, portal_token};

    let database_url = format!(
        "sqlite://{}?mode=rw",
        data_dir.join("careline.db").display()
    );
    let target =
        crate::common::TestServer::external(server.base.clone(), data_dir.to_owned(), database_url);
    let admin = admin(
        &target,
        &[
            "billing",
            "clinical",
            "records",
            "pharmacy",
            "scheduling",
            "tech_support",
            "general",
        ],
    )
    .await;
    let portal = portal_token("mrn-00593817", 0, 600);
    patient_says(&target, Some(&portal), MESSAGES[1]).await;

    let (status, queue) = admin.client.get("/api/staff/queue").await;
    assert_eq!(status, 200, "{queue}");
    let inquiry = queue["inquiries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["conversation_id"] == first["conversation_id"])
        .expect("the first conversation's inquiry")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = |action: &str| format!("/api/staff/inquiries/{inquiry}/{action}");
    for (action, body) in [
        (
            "reply",
            json!({"text": format!("Hello {}, we called (312) 555-0187 about it.", "Marisol Quintanilla")}),
        ),
        (
            "notes",
            json!({"text": "Verified DOB 03/14/1961 and MRN 00593817 by phone."}),
        ),
        (
            "transfer",
            json!({"department": "records", "reason": "address change to 2208 W Fullerton Ave"}),
        ),
    ] {
        let (status, reply) = admin.client.post(&path(action), body).await;
        assert!(status.is_success(), "{action}: {reply}");
    }
    let (status, _) = admin
        .client
        .post(
            "/api/staff/sign-in",
            json!({"email": admin.email, "password": "wrong wrong wrong"}),
        )
        .await;
    assert_eq!(status, 401);

    let mut secrets = vec![
        admin.email.clone(),
        PASSWORD.to_owned(),
        admin.secret.clone(),
        portal,
        admin.client.csrf.clone().unwrap(),
        admin
            .client
            .cookie()
            .unwrap()
            .split('=')
            .nth(1)
            .unwrap()
            .to_owned(),
    ];
    secrets.extend(admin.recovery_codes.iter().cloned());
    secrets
}
