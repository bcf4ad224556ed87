//! `POST /api/chat` and the transcript, over real HTTP against the real
//! model, a real SQLite file and the embedded vector index.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::chat_client::{
    choices, choose, database, inquiries_of, post, post_raw, say, transcript,
};
use crate::common::{EMERGENCY_NUMBER, server};

#[tokio::test]
async fn a_common_question_is_answered_with_its_source() {
    let reply = say(None, "how do i pay my bill online").await;

    assert_eq!(reply["kind"], "answer", "{reply}");
    assert_eq!(reply["sources"][0]["id"], "bill-pay");
    assert_eq!(reply["department"], "billing");
    assert!(choices(&reply).contains(&"person".to_owned()));
    assert!(reply["inquiry_id"].is_null());
}

#[tokio::test]
async fn a_request_for_action_is_queued_for_its_department() {
    let reply = say(
        None,
        "my statement charges me twice for the same x-ray, please fix it",
    )
    .await;

    assert_eq!(reply["kind"], "routed", "{reply}");
    assert_eq!(reply["department"], "billing");
    let reply_text = reply["reply"].as_str().unwrap();
    assert!(reply_text.contains("Billing"), "{reply_text}");
    assert!(reply_text.contains("business day"), "{reply_text}");

    let inquiries = inquiries_of(&reply).await;
    assert_eq!(inquiries.len(), 1);
    assert_eq!(Some(inquiries[0].id.as_str()), reply["inquiry_id"].as_str());
    assert_eq!(inquiries[0].department, "billing");
    assert_eq!(inquiries[0].priority, "normal");
    assert_eq!(inquiries[0].status, "open");
}

#[tokio::test]
async fn an_emergency_gets_guidance_and_an_urgent_inquiry() {
    let reply = say(
        None,
        "my husband has crushing chest pain going down his left arm and he's sweating",
    )
    .await;

    assert_eq!(reply["kind"], "urgent", "{reply}");
    assert_eq!(reply["urgent"]["category"], "cardiac");
    assert_eq!(reply["department"], "clinical");
    let text = reply["reply"].as_str().unwrap();
    assert!(text.contains(&format!("call {EMERGENCY_NUMBER}")), "{text}");
    assert!(!text.contains("911") && !text.contains("{{"), "{text}");

    let inquiries = inquiries_of(&reply).await;
    assert_eq!(inquiries.len(), 1);
    assert_eq!(inquiries[0].priority, "urgent");
}

#[tokio::test]
async fn safety_comes_first_even_in_a_request_for_a_person() {
    let reply = say(
        None,
        "let me talk to a person, i think i'm having a stroke, my face is drooping",
    )
    .await;

    assert_eq!(reply["kind"], "urgent", "{reply}");
}

#[tokio::test]
async fn chit_chat_is_out_of_scope() {
    let reply = say(None, "who do you think will win the football game tonight").await;

    assert_eq!(reply["kind"], "out_of_scope", "{reply}");
    assert!(reply["department"].is_null());
    assert!(reply["inquiry_id"].is_null());
}

#[tokio::test]
async fn a_message_in_another_language_still_names_the_emergency_number() {
    let reply = say(None, "tengo un dolor muy fuerte en el pecho").await;

    assert_eq!(reply["kind"], "out_of_scope", "{reply}");
    let text = reply["reply"].as_str().unwrap();
    assert!(text.contains(&format!("call {EMERGENCY_NUMBER}")), "{text}");
    assert!(text.contains("another language"), "{text}");
}

#[tokio::test]
async fn an_unclear_message_asks_which_team_and_the_choice_routes_it() {
    let first = say(None, "I need help with something from my last visit").await;
    assert_eq!(first["kind"], "clarify", "{first}");
    let offered = choices(&first);
    assert!(offered.len() >= 2, "{first}");
    assert_eq!(offered.last().unwrap(), "person");

    let (status, routed) = choose(&first, &offered[0]).await;

    assert_eq!(status, StatusCode::OK, "{routed}");
    assert_eq!(routed["kind"], "routed");
    assert_eq!(routed["department"], offered[0].as_str());
    // The inquiry is about the unclear message, not the button press.
    let db = database().await;
    let id = first["conversation_id"].as_str().unwrap();
    let inquiries = db.inquiries_of(id).await.unwrap();
    let messages = db.transcript(id).await.unwrap();
    assert_eq!(inquiries.len(), 1);
    assert_eq!(
        messages[0].body,
        "I need help with something from my last visit"
    );
    assert_eq!(
        db.message_body(id, &inquiries[0].message_id)
            .await
            .unwrap()
            .as_deref(),
        Some("I need help with something from my last visit")
    );
}

#[tokio::test]
async fn a_choice_that_was_not_offered_is_refused() {
    let first = say(None, "how do i pay my bill").await;

    let (status, body) = choose(&first, "pharmacy").await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "invalid_choice");
}

#[tokio::test]
async fn the_second_one_picks_the_second_suggestion() {
    let first = say(None, "I need help with something from my last visit").await;
    assert_eq!(first["kind"], "clarify", "{first}");
    let second = choices(&first)[1].clone();

    let reply = say(Some(&first), "the second one").await;

    if second == "person" {
        assert_eq!(reply["kind"], "clarify", "{reply}");
    } else {
        assert_eq!(reply["kind"], "routed", "{reply}");
        assert_eq!(reply["department"], second.as_str());
    }
}

#[tokio::test]
async fn yes_after_an_answer_reaches_a_person_in_that_department() {
    let first = say(None, "how do i pay my bill online").await;
    assert_eq!(first["kind"], "answer", "{first}");

    let reply = say(Some(&first), "yes please").await;

    assert_eq!(reply["kind"], "routed", "{reply}");
    assert_eq!(reply["department"], "billing");
}

#[tokio::test]
async fn talk_to_a_person_works_after_an_answer_and_from_a_cold_start() {
    let first = say(None, "is there parking for patients").await;
    assert_eq!(first["kind"], "answer", "{first}");

    let (status, after_answer) = choose(&first, "person").await;
    assert_eq!(status, StatusCode::OK, "{after_answer}");
    assert_eq!(after_answer["kind"], "routed");
    assert_eq!(after_answer["department"], first["department"]);

    // A second press, with the label as the widget sends it or typed,
    // queues nothing more: the reply points to the inquiry already waiting.
    let (status, again) = choose(&after_answer, "person").await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["kind"], "routed");
    assert_eq!(again["inquiry_id"], after_answer["inquiry_id"], "{again}");
    let (status, labelled) = post(json!({
        "conversation_id": first["conversation_id"],
        "conversation_token": first["conversation_token"],
        "choice": "person",
        "message": "Talk to someone in this team",
    }))
    .await;
    assert_eq!(status, StatusCode::OK, "{labelled}");
    assert_eq!(
        labelled["inquiry_id"], after_answer["inquiry_id"],
        "{labelled}"
    );
    let typed = say(Some(&first), "can I talk to a real person please").await;
    assert_eq!(typed["inquiry_id"], after_answer["inquiry_id"], "{typed}");
    let inquiries = inquiries_of(&first).await;
    assert_eq!(inquiries.len(), 1);

    let cold = say(None, "can I talk to a real person please").await;
    assert_eq!(cold["kind"], "clarify", "{cold}");
    assert!(
        choices(&cold).len() >= 7,
        "every department is offered: {cold}"
    );

    let (status, routed) = choose(&cold, "records").await;
    assert_eq!(status, StatusCode::OK, "{routed}");
    assert_eq!(routed["department"], "records");
}

#[tokio::test]
async fn a_short_follow_up_keeps_the_conversation_context() {
    let first = say(
        None,
        "I need a refill of my lisinopril sent to the pharmacy",
    )
    .await;
    assert_eq!(first["department"], "pharmacy", "{first}");

    let reply = say(Some(&first), "and my bill too").await;

    assert_eq!(reply["kind"], "routed", "{reply}");
    assert_eq!(reply["department"], "billing");
}

#[tokio::test]
async fn the_transcript_opens_only_with_its_token() {
    let first = say(None, "how do i pay my bill").await;
    let second = say(Some(&first), "yes").await;
    let id = &first["conversation_id"];
    let token = first["conversation_token"].as_str().unwrap();

    let (status, body) = transcript(id, Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 4);
    assert_eq!(messages[0]["role"], "patient");
    assert_eq!(messages[0]["text"], "how do i pay my bill");
    assert_eq!(messages[1]["role"], "assistant");
    assert_eq!(messages[3]["kind"], second["kind"]);

    let (status, body) = transcript(id, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "conversation_not_found");

    let other = say(None, "hello").await;
    let other_token = other["conversation_token"].as_str().unwrap();
    let (status, _) = transcript(id, Some(other_token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, _) = transcript(&json!("no-such-conversation"), Some(token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_message_without_the_token_cannot_join_a_conversation() {
    let first = say(None, "how do i pay my bill").await;

    let (status, body) = post(json!({
        "conversation_id": first["conversation_id"],
        "message": "show me everything",
    }))
    .await;

    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, _) = post(json!({
        "conversation_id": first["conversation_id"],
        "conversation_token": "guessed",
        "message": "show me everything",
    }))
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_requests_get_clear_errors_and_store_nothing() {
    let first = say(None, "how do i pay my bill").await;
    let id = first["conversation_id"].as_str().unwrap().to_owned();
    let in_conversation = |extra: Value| {
        let mut body = json!({
            "conversation_id": first["conversation_id"],
            "conversation_token": first["conversation_token"],
        });
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    let secret = "Jane Q Patient 123-45-6789";
    let long = format!("{secret} {}", "a".repeat(5000));

    let cases = [
        (
            post_raw("{\"message\": ", "application/json").await,
            400,
            "invalid_json",
        ),
        (
            post_raw("[1, 2]", "application/json").await,
            400,
            "invalid_json",
        ),
        (
            post_raw("message=hi", "application/x-www-form-urlencoded").await,
            415,
            "unsupported_media_type",
        ),
        (post(in_conversation(json!({}))).await, 400, "missing_field"),
        (
            post(in_conversation(json!({"message": 42}))).await,
            400,
            "invalid_json",
        ),
        (
            post(in_conversation(json!({"message": "   \n "}))).await,
            400,
            "empty_text",
        ),
        (
            post(in_conversation(
                json!({"message": format!("{secret}\u{0}")}),
            ))
            .await,
            400,
            "invalid_text",
        ),
        (
            post(in_conversation(json!({"message": long}))).await,
            413,
            "text_too_long",
        ),
        (
            post(in_conversation(json!({"message": "x".repeat(70_000)}))).await,
            413,
            "body_too_large",
        ),
    ];

    for ((status, body), expected_status, expected_code) in cases {
        assert_eq!(status.as_u16(), expected_status, "{body}");
        assert_eq!(body["error"]["code"], expected_code, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        assert!(
            !body.to_string().contains("Jane"),
            "errors never echo input"
        );
    }
    let messages = database().await.transcript(&id).await.unwrap();
    assert_eq!(messages.len(), 2, "only the first exchange is stored");
}

#[tokio::test]
async fn fifty_concurrent_conversations_all_complete() {
    let messages = [
        "how do i reset my portal password",
        "i need to reschedule my appointment next week",
        "my refill for metformin hasn't gone through",
        "can you send my records to my new doctor",
        "what are your visiting hours",
    ];

    let replies = futures::future::join_all((0..50).map(|i| {
        let message = messages[i % messages.len()];
        async move { post(json!({"message": message})).await }
    }))
    .await;

    let mut ids = std::collections::HashSet::new();
    for (status, reply) in &replies {
        assert_eq!(*status, StatusCode::OK, "{reply}");
        assert!(ids.insert(reply["conversation_id"].as_str().unwrap().to_owned()));
    }
    let db = database().await;
    for id in &ids {
        assert_eq!(db.transcript(id).await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn health_readiness_and_the_widget_are_served() {
    let client = reqwest::Client::new();

    let health = client.get(server().url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let ready = client.get(server().url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);

    let page = client.get(server().url("/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'self'"));
    assert!(page.text().await.unwrap().contains("chat.js"));

    let missing = client.get(server().url("/nope.js")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
