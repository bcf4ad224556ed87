//! A staff member's browser, reduced to what the API sees: the session
//! cookie, the CSRF token, JSON. Plus the authenticator app (RFC 6238,
//! written here from the RFC rather than taken from Careline) and the
//! portal that signs patient tokens.

use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{PORTAL_SECRET, TestServer, repo};

/// The password every test account ends up with.
pub const PASSWORD: &str = "a long and private passphrase";

pub struct StaffClient<'a> {
    pub server: &'a TestServer,
    http: reqwest::Client,
    cookie: Option<String>,
    pub csrf: Option<String>,
}

impl<'a> StaffClient<'a> {
    pub fn new(server: &'a TestServer) -> Self {
        Self {
            server,
            http: reqwest::Client::new(),
            cookie: None,
            csrf: None,
        }
    }

    /// Signs in; on success keeps the cookie and CSRF token.
    pub async fn sign_in(
        &mut self,
        email: &str,
        password: &str,
        code: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut body = json!({"email": email, "password": password});
        if let Some(code) = code {
            body["code"] = json!(code);
        }
        let response = self
            .http
            .post(self.server.url("/api/staff/sign-in"))
            .json(&body)
            .send()
            .await
            .expect("server answers");
        let status = response.status();
        if let Some(cookie) = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
        {
            self.cookie = cookie.split(';').next().map(str::to_owned);
        }
        let body: Value = response.json().await.expect("JSON body");
        if let Some(csrf) = body["csrf_token"].as_str() {
            self.csrf = Some(csrf.to_owned());
        }
        (status, body)
    }

    pub fn cookie(&self) -> Option<&str> {
        self.cookie.as_deref()
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let mut request = self.http.get(self.server.url(path));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        send(request).await
    }

    /// A state-changing call with the CSRF token, as the console sends it.
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send_with(reqwest::Method::POST, path, body, self.csrf.as_deref())
            .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send_with(reqwest::Method::PATCH, path, body, self.csrf.as_deref())
            .await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send_with(
            reqwest::Method::DELETE,
            path,
            json!({}),
            self.csrf.as_deref(),
        )
        .await
    }

    pub async fn send_with(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Value,
        csrf: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut request = self.http.request(method, self.server.url(path)).json(&body);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        send(request).await
    }
}

async fn send(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("server answers");
    let status = response.status();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON body: {text}"))
    };
    (status, body)
}

/// The six-digit code an authenticator app shows `steps` 30-second steps
/// from now for a base32 secret.
pub fn totp(secret_base32: &str, steps: i64) -> String {
    let key = base32_decode(secret_base32);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let counter = (now / 30 + steps) as u64;

    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).unwrap();
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let value = u32::from_be_bytes(digest[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    format!("{:06}", value % 1_000_000)
}

fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| *c != b'=') {
        let value = ALPHABET.iter().position(|a| *a == c).expect("base32") as u64;
        bits = (bits << 5) | value;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

/// A unique email for one test.
pub fn email(who: &str) -> String {
    format!("{who}.{}@example.org", uuid::Uuid::new_v4().simple())
}

/// An admin made with `careline admin create`, as a hospital makes its
/// first one.
pub fn create_admin_with_cli(server: &TestServer, email: &str, departments: &[&str]) {
    let mut command = assert_cmd::Command::cargo_bin("careline").unwrap();
    command
        .current_dir(repo())
        .env("CARELINE_DATA_DIR", &server.data_dir)
        .env("CARELINE_DATABASE_URL", server.database_url())
        .env("CARELINE_INTENTS_DIR", repo().join("intents"))
        .args([
            "admin",
            "create",
            "--email",
            email,
            "--name",
            "Ada Admin",
            "--password-stdin",
        ]);
    for department in departments {
        command.args(["--department", department]);
    }
    let output = command
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A signed-in, enrolled staff member, with the secret of their
/// authenticator and their recovery codes.
pub struct Enrolled<'a> {
    pub client: StaffClient<'a>,
    pub email: String,
    pub secret: String,
    pub recovery_codes: Vec<String>,
    pub id: String,
}

/// Signs in with the password alone and enrols TOTP with the current code.
pub async fn enrol<'a>(server: &'a TestServer, email: &str, password: &str) -> Enrolled<'a> {
    let mut client = StaffClient::new(server);
    let (status, session) = client.sign_in(email, password, None).await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["next"], "enrol");

    let (status, enrolment) = client.get("/api/staff/enrolment").await;
    assert_eq!(status, StatusCode::OK, "{enrolment}");
    let secret = enrolment["secret"].as_str().unwrap().to_owned();
    let (status, enrolled) = client
        .post("/api/staff/enrolment", json!({"code": totp(&secret, 0)}))
        .await;
    assert_eq!(status, StatusCode::OK, "{enrolled}");

    let recovery_codes = enrolled["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    Enrolled {
        id: session["account"]["id"].as_str().unwrap().to_owned(),
        client,
        email: email.to_owned(),
        secret,
        recovery_codes,
    }
}

/// A fresh admin, signed in and enrolled.
pub async fn admin<'a>(server: &'a TestServer, departments: &[&str]) -> Enrolled<'a> {
    let email = email("admin");
    create_admin_with_cli(server, &email, departments);
    enrol(server, &email, PASSWORD).await
}

/// A staff member an admin created: temporary password, enrolment, own
/// password; ready to work.
pub async fn staff<'a>(
    admin: &StaffClient<'_>,
    server: &'a TestServer,
    departments: &[&str],
) -> Enrolled<'a> {
    let email = email("staff");
    let (status, issued) = admin
        .post(
            "/api/staff/admin/accounts",
            json!({"email": email, "name": "Sam Staff", "role": "staff", "departments": departments}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let temporary = issued["temporary_password"].as_str().unwrap();

    let member = enrol(server, &email, temporary).await;
    let (status, changed) = member
        .client
        .post(
            "/api/staff/password",
            json!({"current_password": temporary, "new_password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["next"], "ready");
    member
}

/// A patient token as the portal would sign it, valid for `lifetime_secs`
/// from `issued_offset_secs` relative to now.
/// An admin's reset of another account: a temporary password and a fresh
/// enrolment.
pub async fn reset_account(admin: &StaffClient<'_>, account_id: &str) -> (StatusCode, Value) {
    admin
        .post(
            &format!("/api/staff/admin/accounts/{account_id}/reset"),
            json!({}),
        )
        .await
}

pub fn portal_token(subject: &str, issued_offset_secs: i64, lifetime_secs: i64) -> String {
    portal_token_signed(subject, issued_offset_secs, lifetime_secs, PORTAL_SECRET)
}

pub fn portal_token_signed(
    subject: &str,
    issued_offset_secs: i64,
    lifetime_secs: i64,
    secret: &str,
) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let iat = now + issued_offset_secs;
    let claims =
        json!({"sub": subject, "iat": iat, "exp": iat + lifetime_secs, "name": "Maria Lopez"});
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()).unwrap(),
    )
    .unwrap()
}

/// A patient message through the chat API, as the widget sends it.
pub async fn patient_says(server: &TestServer, portal: Option<&str>, message: &str) -> Value {
    let mut request = reqwest::Client::new()
        .post(server.url("/api/chat"))
        .json(&json!({"message": message}));
    if let Some(token) = portal {
        request = request.header("x-portal-token", token);
    }
    let (status, reply) = send(request).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    reply
}

/// The transcript as the patient's widget polls it.
pub async fn patient_transcript(
    server: &TestServer,
    conversation_id: &str,
    conversation_token: Option<&str>,
    portal: Option<&str>,
    after: i64,
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new().get(server.url(&format!(
        "/api/conversations/{conversation_id}?after={after}"
    )));
    if let Some(token) = conversation_token {
        request = request.bearer_auth(token);
    }
    if let Some(token) = portal {
        request = request.header("x-portal-token", token);
    }
    send(request).await
}

/// Runs a scenario once on SQLite and once on PostgreSQL.
macro_rules! on_both_databases {
    ($scenario:ident) => {
        mod $scenario {
            #[tokio::test]
            async fn on_sqlite() {
                super::$scenario(crate::common::server()).await;
            }

            #[tokio::test]
            async fn on_postgres() {
                super::$scenario(crate::common::postgres_server()).await;
            }
        }
    };
}
pub(crate) use on_both_databases;
