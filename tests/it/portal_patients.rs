//! Patients signed in through the portal: the signed token is checked on
//! every call, a patient's conversations follow them across devices, and
//! no one else's are theirs to read.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::TestServer;
use crate::staff_client::{
    on_both_databases, patient_says, patient_transcript, portal_token, portal_token_signed,
};

async fn chat_with(server: &TestServer, portal: &str, body: Value) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(server.url("/api/chat"))
        .header("x-portal-token", portal)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn bad_portal_tokens_are_refused_with_401(server: &TestServer) {
    let subject = format!("patient-{}", uuid::Uuid::new_v4());
    let valid = portal_token(&subject, 0, 600);
    let mut tampered = valid.clone();
    tampered.insert(valid.find('.').unwrap() + 3, 'x');
    let cases = [
        (portal_token(&subject, -3_600, 600), "portal_token_expired"),
        (
            portal_token(&subject, 0, 7 * 24 * 3_600),
            "portal_token_expired",
        ),
        (tampered, "portal_token_invalid"),
        (
            portal_token_signed(&subject, 0, 600, "another portal's secret of 32 bytes+"),
            "portal_token_invalid",
        ),
        ("not.a.jwt".to_owned(), "portal_token_invalid"),
    ];

    for (token, code) in cases {
        let (status, body) = chat_with(
            server,
            &token,
            json!({"message": "can i pay my bill online"}),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{code}: {body}");
        assert_eq!(body["error"]["code"], code);
    }

    // Nothing was stored for any of them.
    let (status, listed) = list(server, &valid).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed["conversations"], json!([]));
}
on_both_databases!(bad_portal_tokens_are_refused_with_401);

async fn list(server: &TestServer, portal: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .get(server.url("/api/my/conversations"))
        .header("x-portal-token", portal)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn a_signed_in_patient_continues_from_another_device(server: &TestServer) {
    let subject = format!("patient-{}", uuid::Uuid::new_v4());
    let laptop = portal_token(&subject, 0, 600);
    let first = patient_says(
        server,
        Some(&laptop),
        "I was charged twice for my visit last week, please fix it",
    )
    .await;
    let conversation_id = first["conversation_id"].as_str().unwrap();

    // On the phone: a fresh portal token, no conversation token.
    let phone = portal_token(&subject, 0, 600);
    let (status, listed) = list(server, &phone).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        listed["conversations"][0]["conversation_id"],
        conversation_id
    );
    assert_eq!(listed["conversations"][0]["open_inquiries"], 1);

    let (status, transcript) =
        patient_transcript(server, conversation_id, None, Some(&phone), 0).await;
    assert_eq!(status, StatusCode::OK, "{transcript}");
    assert_eq!(transcript["messages"].as_array().unwrap().len(), 2);
    let (status, reply) = chat_with(
        server,
        &phone,
        json!({"conversation_id": conversation_id, "message": "it was the visit on the 3rd"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(reply["conversation_id"], conversation_id);
    assert_eq!(reply["conversation_token"], Value::Null);
}
on_both_databases!(a_signed_in_patient_continues_from_another_device);

async fn a_patient_cannot_read_another_patients_conversation(server: &TestServer) {
    let alice = portal_token(&format!("alice-{}", uuid::Uuid::new_v4()), 0, 600);
    let bob = portal_token(&format!("bob-{}", uuid::Uuid::new_v4()), 0, 600);
    let hers = patient_says(
        server,
        Some(&alice),
        "I was charged twice for my visit last week, please fix it",
    )
    .await;
    let id = hers["conversation_id"].as_str().unwrap();

    let (status, body) = patient_transcript(server, id, None, Some(&bob), 0).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["error"]["code"], "conversation_not_found");
    let (status, _) = chat_with(
        server,
        &bob,
        json!({"conversation_id": id, "message": "hello"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, listed) = list(server, &bob).await;
    assert_eq!(listed["conversations"], json!([]));

    // An anonymous visitor with no token gets nothing either.
    let (status, _) = patient_transcript(server, id, None, None, 0).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
on_both_databases!(a_patient_cannot_read_another_patients_conversation);

#[tokio::test]
async fn listing_conversations_needs_a_portal_token() {
    let response = reqwest::Client::new()
        .get(crate::common::server().url("/api/my/conversations"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
