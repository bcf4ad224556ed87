//! Calls to the test server's chat API, shared by the HTTP test files.

use reqwest::StatusCode;
use serde_json::{Value, json};

use careline::store::Database;

use crate::common::server;

pub async fn post(body: Value) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(server().url("/api/chat"))
        .json(&body)
        .send()
        .await
        .expect("server answers");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

pub async fn post_raw(body: &str, content_type: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(server().url("/api/chat"))
        .header("content-type", content_type)
        .body(body.to_owned())
        .send()
        .await
        .expect("server answers");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

/// Sends a message in a conversation (or starts one) and expects 200.
pub async fn say(conversation: Option<&Value>, message: &str) -> Value {
    let mut body = json!({"message": message});
    if let Some(previous) = conversation {
        body["conversation_id"] = previous["conversation_id"].clone();
        body["conversation_token"] = previous["conversation_token"].clone();
    }
    let (status, reply) = post(body).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    reply
}

pub async fn choose(conversation: &Value, choice: &str) -> (StatusCode, Value) {
    post(json!({
        "conversation_id": conversation["conversation_id"],
        "conversation_token": conversation["conversation_token"],
        "choice": choice,
    }))
    .await
}

pub async fn transcript(id: &Value, token: Option<&str>) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new().get(server().url(&format!(
        "/api/conversations/{}",
        id.as_str().expect("id is a string")
    )));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("server answers");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

pub async fn database() -> Database {
    Database::connect(&server().database_url())
        .await
        .expect("test database opens")
}

/// The inquiries raised in a reply's conversation, oldest first.
pub async fn inquiries_of(reply: &Value) -> Vec<careline::store::InquiryRecord> {
    let id = reply["conversation_id"].as_str().expect("conversation_id");
    database()
        .await
        .inquiries_of(id)
        .await
        .expect("inquiries load")
}

pub fn choices(reply: &Value) -> Vec<String> {
    reply["suggestions"]
        .as_array()
        .expect("suggestions is a list")
        .iter()
        .map(|s| s["choice"].as_str().expect("choice").to_owned())
        .collect()
}
