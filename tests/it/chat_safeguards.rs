//! The chat's safeguards: emergencies reach the clinical queue with the
//! hospital's own numbers, doubtful replies pick nothing, and a choice sent
//! twice at once queues one inquiry.

use reqwest::StatusCode;
use serde_json::json;

use crate::chat_client::{choices, choose, inquiries_of, post, say};
use crate::common::{CRISIS_LINE, EMERGENCY_NUMBER, POISON_CONTROL, server};

#[tokio::test]
async fn an_emergency_in_a_billing_message_reaches_the_clinical_queue() {
    let reply = say(
        None,
        "I need to dispute the charge on my statement, and right now I have crushing chest \
         pain and my left arm is numb",
    )
    .await;

    assert_eq!(reply["kind"], "urgent", "{reply}");
    assert_eq!(reply["department"], "clinical", "{reply}");
    let inquiries = inquiries_of(&reply).await;
    let urgent: Vec<_> = inquiries
        .iter()
        .filter(|i| i.priority == "urgent")
        .collect();
    assert_eq!(urgent.len(), 1, "{inquiries:?}");
    assert_eq!(urgent[0].department, "clinical");
    // Whatever else the message asked waits in its own queue, not urgent.
    assert!(
        inquiries
            .iter()
            .all(|i| i.department == "clinical" || i.priority == "normal"),
        "{inquiries:?}"
    );
}

#[tokio::test]
async fn crisis_guidance_names_the_configured_crisis_line() {
    let reply = say(
        None,
        "i have the pills ready and i want to end my life tonight",
    )
    .await;

    assert_eq!(reply["kind"], "urgent", "{reply}");
    let guidance = reply["urgent"]["guidance"].as_str().unwrap();
    assert!(guidance.contains(CRISIS_LINE), "{guidance}");
    assert!(guidance.contains(EMERGENCY_NUMBER), "{guidance}");
    assert!(
        !guidance.contains("988") && !guidance.contains("{{"),
        "{guidance}"
    );
}

#[tokio::test]
async fn overdose_guidance_names_the_configured_poison_line() {
    let reply = say(None, "my toddler just swallowed a bunch of my tylenol").await;

    assert_eq!(reply["kind"], "urgent", "{reply}");
    let guidance = reply["urgent"]["guidance"].as_str().unwrap();
    assert!(guidance.contains(POISON_CONTROL), "{guidance}");
    assert!(!guidance.contains("1-800-222-1222"), "{guidance}");
}

#[tokio::test]
async fn the_chat_page_names_the_configured_numbers() {
    let page = reqwest::get(server().url("/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    assert!(page.contains(&format!("call {EMERGENCY_NUMBER}")), "{page}");
    assert!(page.contains(CRISIS_LINE));
    assert!(!page.contains("{{") && !page.contains("911"));
}

#[tokio::test]
async fn a_doubtful_reply_to_the_options_queues_nothing() {
    let first = say(None, "I need help with something from my last visit").await;
    assert_eq!(first["kind"], "clarify", "{first}");

    for doubt in ["I don't know which one", "not the first one"] {
        let reply = say(Some(&first), doubt).await;
        assert_ne!(reply["kind"], "routed", "{doubt:?} picked a team: {reply}");
    }

    let inquiries = inquiries_of(&first).await;
    assert!(inquiries.is_empty(), "{inquiries:?}");
}

#[tokio::test]
async fn a_choice_sent_several_times_at_once_queues_one_inquiry() {
    let first = say(None, "I need help with something from my last visit").await;
    assert_eq!(first["kind"], "clarify", "{first}");
    let offered = choices(&first);

    let replies = futures::future::join_all((0..4).map(|_| choose(&first, &offered[0]))).await;

    let accepted = replies
        .iter()
        .filter(|(status, _)| *status == StatusCode::OK)
        .count();
    assert_eq!(accepted, 1, "{replies:?}");
    for (status, body) in &replies {
        assert!(
            *status == StatusCode::OK || body["error"]["code"] == "invalid_choice",
            "{status} {body}"
        );
    }
    let inquiries = inquiries_of(&first).await;
    assert_eq!(inquiries.len(), 1, "{inquiries:?}");
}

#[tokio::test]
async fn talk_to_a_person_pressed_several_times_at_once_queues_one_inquiry() {
    let first = say(None, "how do i pay my bill online").await;
    assert_eq!(first["kind"], "answer", "{first}");

    // As the widget sends a suggestion: its choice and its label.
    let press = || {
        post(json!({
            "conversation_id": first["conversation_id"],
            "conversation_token": first["conversation_token"],
            "choice": "person",
            "message": "Talk to someone in Billing",
        }))
    };
    let replies = futures::future::join_all((0..6).map(|_| press())).await;

    for (status, body) in &replies {
        assert!(
            *status == StatusCode::OK || body["error"]["code"] == "conversation_busy",
            "{status} {body}"
        );
    }
    let inquiries = inquiries_of(&first).await;
    assert_eq!(inquiries.len(), 1, "{inquiries:?}");
    for (status, body) in &replies {
        if *status == StatusCode::OK {
            assert_eq!(body["inquiry_id"], inquiries[0].id.as_str(), "{body}");
        }
    }
}
