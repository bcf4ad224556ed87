//! The chat tables behave the same on SQLite and PostgreSQL: a turn saved
//! whole, read back in order, and a failed turn leaving nothing.

use careline::store::{Database, DecisionRecord, NewInquiry, NewMessage, StoreError, Turn};
use uuid::Uuid;

/// A turn decided on `read_version` of the conversation (0: a new one).
fn turn(conversation_id: &str, read_version: i64, text: &str) -> Turn {
    let patient_id = Uuid::new_v4().to_string();
    Turn {
        conversation_id: conversation_id.to_owned(),
        new_token_hash: (read_version == 0).then(|| "0".repeat(64)),
        patient_subject: None,
        read_version,
        state: "{}".to_owned(),
        patient: NewMessage {
            id: patient_id.clone(),
            kind: None,
            body: text.to_owned(),
            sources: None,
        },
        decision: DecisionRecord {
            kind: "routed".to_owned(),
            urgent_category: None,
            department: Some("billing".to_owned()),
            confidence: 0.93,
            abstain: None,
            alternatives: "[]".to_owned(),
            knowledge_id: None,
            knowledge_score: None,
        },
        reply: NewMessage {
            id: Uuid::new_v4().to_string(),
            kind: Some("routed".to_owned()),
            body: "Sent to Billing.".to_owned(),
            sources: None,
        },
        inquiries: vec![NewInquiry {
            id: Uuid::new_v4().to_string(),
            message_id: patient_id,
            department: "billing".to_owned(),
            urgent: false,
        }],
        at_ms: careline::store::now_ms(),
    }
}

async fn turns_round_trip(db: &Database) {
    let id = Uuid::new_v4().to_string();

    db.save_turn(&turn(&id, 0, "first question")).await.unwrap();
    db.save_turn(&turn(&id, 1, "second question"))
        .await
        .unwrap();

    let messages = db.transcript(&id).await.unwrap();
    let bodies: Vec<&str> = messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(
        bodies,
        [
            "first question",
            "Sent to Billing.",
            "second question",
            "Sent to Billing."
        ]
    );
    let inquiries = db.inquiries_of(&id).await.unwrap();
    assert_eq!(inquiries.len(), 2);
    assert!(
        inquiries
            .iter()
            .all(|i| i.priority == "normal" && i.status == "open")
    );

    // A turn that breaks a constraint (its inquiry points at no message)
    // leaves no trace: not its messages, not its decision.
    let mut broken = turn(&id, 2, "third question");
    broken.inquiries[0].message_id = "no-such-message".to_owned();
    assert!(db.save_turn(&broken).await.is_err());
    assert_eq!(db.transcript(&id).await.unwrap().len(), 4);

    // Two turns decided on the same state: the second to save is refused
    // whole, so a choice pressed twice queues one inquiry.
    db.save_turn(&turn(&id, 2, "pressed once")).await.unwrap();
    let stale = db.save_turn(&turn(&id, 2, "pressed twice")).await;
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
    assert_eq!(db.transcript(&id).await.unwrap().len(), 6);
    assert_eq!(db.inquiries_of(&id).await.unwrap().len(), 3);
    assert_eq!(db.find_conversation(&id).await.unwrap().unwrap().version, 3);
}

#[tokio::test]
async fn sqlite_keeps_turns_whole() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let db = Database::connect(&url).await.unwrap();

    turns_round_trip(&db).await;
}

#[tokio::test]
async fn postgres_keeps_turns_whole() {
    let db = Database::connect(&crate::common::fresh_postgres_url().await)
        .await
        .expect("PostgreSQL test schema opens");

    turns_round_trip(&db).await;
}
