//! Start-up, shutdown and restart of a whole server on its own data
//! directory: nothing in flight is lost, and a restart picks up where the
//! last run stopped without re-embedding unchanged knowledge.

use reqwest::StatusCode;
use serde_json::{Value, json};

use careline::http::spawn;
use careline::store::{Database, Table};

use crate::common::test_config;

/// `None` when the connection was refused: a stopping server may turn new
/// connections away, and those requests store nothing.
async fn try_post(base: &str, body: Value) -> Option<(StatusCode, Value)> {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/chat"))
        .json(&body)
        .send()
        .await
        .ok()?;
    let status = response.status();
    Some((
        status,
        response.json().await.expect("a response is whole JSON"),
    ))
}

async fn post(base: &str, body: Value) -> (StatusCode, Value) {
    try_post(base, body).await.expect("server answers")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_requests_in_flight_and_a_restart_resumes() {
    let data_dir = tempfile::tempdir().unwrap();
    let config = test_config(data_dir.path());

    // A first run: requests in flight when the stop is asked for.
    let server = spawn(config.clone()).await.unwrap();
    assert!(server.ready().await);
    let base = format!("http://{}", server.addr);
    let in_flight: Vec<_> = (0..12)
        .map(|i| {
            let base = base.clone();
            tokio::spawn(async move {
                let message = format!("how do i reset my portal password ({i})");
                try_post(&base, json!({ "message": message })).await
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    server.stop().await.expect("clean stop");

    let mut answered = Vec::new();
    for request in in_flight {
        if let Some((status, reply)) = request.await.expect("request task") {
            assert_eq!(status, StatusCode::OK, "{reply}");
            answered.push(reply);
        }
    }
    assert!(
        !answered.is_empty(),
        "requests sent before the stop are answered"
    );

    // Every answered request is stored in full; nothing half-way.
    let database_url = format!(
        "sqlite://{}?mode=rw",
        data_dir.path().join("careline.db").display()
    );
    let db = Database::connect(&database_url).await.unwrap();
    let conversations = db.count(Table::Conversations).await.unwrap();
    let messages = db.count(Table::Messages).await.unwrap();
    assert_eq!(conversations, answered.len() as i64);
    assert_eq!(messages, 2 * conversations);
    db.close().await;

    // A second run on the same data: the conversation goes on.
    let server = spawn(config).await.unwrap();
    assert!(server.ready().await);
    let base = format!("http://{}", server.addr);
    let first = &answered[0];
    let (status, reply) = post(
        &base,
        json!({
            "conversation_id": first["conversation_id"],
            "conversation_token": first["conversation_token"],
            "message": "thanks",
        }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(reply["conversation_id"], first["conversation_id"]);
    server.stop().await.expect("clean stop");
}
