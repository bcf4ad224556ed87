//! The queues over HTTP, on SQLite and PostgreSQL: a patient's message
//! reaches the right queue, staff answer it and the patient sees the
//! answer; department walls; exclusive claims; transfers, notes,
//! resolve and reopen; urgent first; overdue.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::TestServer;
use crate::staff_client::{
    StaffClient, admin, on_both_databases, patient_says, patient_transcript, portal_token, staff,
};

const BILLING_MESSAGE: &str = "I was charged twice for my visit last week, please fix it";
const URGENT_MESSAGE: &str = "I have crushing chest pain and my left arm is numb";

/// The inquiry a patient reply queued, as its department's staff see it.
async fn find(client: &StaffClient<'_>, inquiry_id: &str) -> Value {
    let (status, detail) = client
        .get(&format!("/api/staff/inquiries/{inquiry_id}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    detail
}

async fn a_patient_sees_the_reply_to_their_inquiry(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let clerk = staff(&admin.client, server, &["billing"]).await;
    let portal = portal_token(&format!("patient-{}", uuid::Uuid::new_v4()), 0, 600);

    // 1. The patient writes; Careline queues it for Billing.
    let routed = patient_says(server, Some(&portal), BILLING_MESSAGE).await;
    assert_eq!(routed["kind"], "routed", "{routed}");
    assert_eq!(routed["department"], "billing");
    let inquiry_id = routed["inquiry_id"].as_str().unwrap();
    let conversation_id = routed["conversation_id"].as_str().unwrap();

    // 2. The clerk finds it in the Billing queue, with the patient's words.
    let (status, queue) = clerk
        .client
        .get("/api/staff/queue?department=billing")
        .await;
    assert_eq!(status, StatusCode::OK);
    let row = queue["inquiries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == inquiry_id)
        .expect("the inquiry is in the billing queue")
        .clone();
    assert_eq!(row["status"], "open");
    assert_eq!(row["preview"], BILLING_MESSAGE);
    let detail = find(&clerk.client, inquiry_id).await;
    assert_eq!(detail["transcript"][0]["text"], BILLING_MESSAGE);

    // 3. Claims, notes internally, replies.
    let (status, claimed) = clerk
        .client
        .post(
            &format!("/api/staff/inquiries/{inquiry_id}/claim"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{claimed}");
    assert_eq!(claimed["claimed_by"]["id"], clerk.id.as_str());
    let (status, _) = clerk
        .client
        .post(
            &format!("/api/staff/inquiries/{inquiry_id}/notes"),
            json!({"text": "Duplicate charge confirmed in the ledger."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, reply) = clerk
        .client
        .post(
            &format!("/api/staff/inquiries/{inquiry_id}/reply"),
            json!({"text": "We refunded the duplicate charge; allow five days."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    assert_eq!(reply["author"], "Sam Staff (Billing)");

    // 4. The patient's widget, polling after what it has, sees the reply
    // and never the note: from the same device (conversation token) and
    // from another one (portal token alone).
    let token = routed["conversation_token"].as_str();
    for (conversation_token, portal) in [(token, None), (None, Some(portal.as_str()))] {
        let (status, fresh) =
            patient_transcript(server, conversation_id, conversation_token, portal, 2).await;
        assert_eq!(status, StatusCode::OK, "{fresh}");
        let messages = fresh["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 1, "{fresh}");
        assert_eq!(messages[0]["role"], "staff");
        assert_eq!(messages[0]["seq"], 3);
        assert_eq!(
            messages[0]["text"],
            "We refunded the duplicate charge; allow five days."
        );
    }
    let (_, whole) = patient_transcript(server, conversation_id, token, None, 0).await;
    assert!(
        !whole.to_string().contains("ledger"),
        "notes stay internal: {whole}"
    );

    // 5. Resolved, then reopened when the patient writes back.
    let (status, resolved) = clerk
        .client
        .post(
            &format!("/api/staff/inquiries/{inquiry_id}/resolve"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(resolved["status"], "resolved");
    assert!(resolved["first_response_at"].is_string());
    let (status, again) = clerk
        .client
        .post(
            &format!("/api/staff/inquiries/{inquiry_id}/resolve"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{again}");
    let (status, reopened) = clerk
        .client
        .post(
            &format!("/api/staff/inquiries/{inquiry_id}/reopen"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reopened["status"], "open");

    let detail = find(&clerk.client, inquiry_id).await;
    let history: Vec<&str> = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        history,
        [
            "created", "claimed", "noted", "replied", "resolved", "reopened"
        ]
    );
}
on_both_databases!(a_patient_sees_the_reply_to_their_inquiry);

async fn staff_see_only_their_departments(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let clerk = staff(&admin.client, server, &["billing"]).await;
    let nurse = staff(&admin.client, server, &["clinical"]).await;

    let urgent = patient_says(server, None, URGENT_MESSAGE).await;
    assert_eq!(urgent["kind"], "urgent", "{urgent}");
    let inquiry_id = urgent["inquiry_id"].as_str().unwrap();

    // A billing clerk cannot read, claim or list a clinical inquiry: to
    // them it does not exist.
    let (status, body) = clerk
        .client
        .get(&format!("/api/staff/inquiries/{inquiry_id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "inquiry_not_found");
    let (status, _) = clerk
        .client
        .post(
            &format!("/api/staff/inquiries/{inquiry_id}/claim"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = clerk
        .client
        .get("/api/staff/queue?department=clinical")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "department_not_found");
    let (_, mine) = clerk.client.get("/api/staff/queue").await;
    assert!(!mine.to_string().contains(inquiry_id));

    // The nurse sees it, urgent, ahead of every normal inquiry.
    let (_, queue) = nurse.client.get("/api/staff/queue").await;
    let rows = queue["inquiries"].as_array().unwrap();
    let position = rows
        .iter()
        .position(|i| i["id"] == inquiry_id)
        .expect("in the clinical queue");
    assert_eq!(rows[position]["priority"], "urgent");
    assert!(rows[..position].iter().all(|i| i["priority"] == "urgent"));
}
on_both_databases!(staff_see_only_their_departments);

async fn only_one_of_two_claims_wins(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let first = staff(&admin.client, server, &["billing"]).await;
    let second = staff(&admin.client, server, &["billing"]).await;

    for _ in 0..10 {
        let routed = patient_says(server, None, BILLING_MESSAGE).await;
        let path = format!(
            "/api/staff/inquiries/{}/claim",
            routed["inquiry_id"].as_str().unwrap()
        );

        let ((a, _), (b, _)) = tokio::join!(
            first.client.post(&path, json!({})),
            second.client.post(&path, json!({}))
        );

        let mut statuses = [a, b];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    }
}
on_both_databases!(only_one_of_two_claims_wins);

async fn an_abandoned_claim_lapses(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let first = staff(&admin.client, server, &["billing"]).await;
    let second = staff(&admin.client, server, &["billing"]).await;
    let routed = patient_says(server, None, BILLING_MESSAGE).await;
    let inquiry_id = routed["inquiry_id"].as_str().unwrap();
    let claim = format!("/api/staff/inquiries/{inquiry_id}/claim");

    first.client.post(&claim, json!({})).await;
    let (status, _) = second.client.post(&claim, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = second
        .client
        .post(
            &format!("/api/staff/inquiries/{inquiry_id}/reply"),
            json!({"text": "Hello"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "no replying over someone's claim"
    );

    // The first person walked away an hour ago.
    let pool = crate::common::raw_pool(server).await;
    sqlx::query("UPDATE inquiries SET claim_expires_at = $1 WHERE id = $2")
        .bind(careline::store::now_ms() - 3_600_000)
        .bind(inquiry_id)
        .execute(&pool)
        .await
        .unwrap();

    let (_, open) = second.client.get("/api/staff/queue?status=open").await;
    assert!(
        open.to_string().contains(inquiry_id),
        "a lapsed claim is open again"
    );
    let (status, body) = second.client.post(&claim, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["claimed_by"]["id"], second.id.as_str());
}
on_both_databases!(an_abandoned_claim_lapses);

async fn a_transfer_moves_the_inquiry_and_is_kept_for_retraining(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let clerk = staff(&admin.client, server, &["billing"]).await;
    let records = staff(&admin.client, server, &["records"]).await;
    let routed = patient_says(server, None, BILLING_MESSAGE).await;
    let inquiry_id = routed["inquiry_id"].as_str().unwrap();
    let transfer = format!("/api/staff/inquiries/{inquiry_id}/transfer");

    let (status, body) = clerk
        .client
        .post(&transfer, json!({"department": "billing", "reason": "x"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = clerk
        .client
        .post(&transfer, json!({"department": "records", "reason": " "}))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required: {body}"
    );
    let (status, moved) = clerk
        .client
        .post(
            &transfer,
            json!({"department": "records", "reason": "asks for an itemised copy of the record"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["department"], "records");
    assert_eq!(moved["status"], "open");

    let (status, _) = clerk
        .client
        .get(&format!("/api/staff/inquiries/{inquiry_id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "gone from billing");
    let detail = find(&records.client, inquiry_id).await;
    let last = detail["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["action"], "transferred");

    let pool = crate::common::raw_pool(server).await;
    let (from, to): (String, String) = sqlx::query_as(
        "SELECT from_department, to_department FROM routing_corrections WHERE inquiry_id = $1",
    )
    .bind(inquiry_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((from.as_str(), to.as_str()), ("billing", "records"));
}
on_both_databases!(a_transfer_moves_the_inquiry_and_is_kept_for_retraining);

async fn an_unanswered_inquiry_past_its_target_is_overdue(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let clerk = staff(&admin.client, server, &["billing"]).await;
    let routed = patient_says(server, None, BILLING_MESSAGE).await;
    let inquiry_id = routed["inquiry_id"].as_str().unwrap();

    let summary = find(&clerk.client, inquiry_id).await["inquiry"].clone();
    assert_eq!(summary["overdue"], false, "{summary}");

    // Two weeks old: past "within 2 business days" whatever the weekday.
    let pool = crate::common::raw_pool(server).await;
    sqlx::query("UPDATE inquiries SET created_at = $1 WHERE id = $2")
        .bind(careline::store::now_ms() - 14 * 24 * 3_600_000)
        .bind(inquiry_id)
        .execute(&pool)
        .await
        .unwrap();
    let summary = find(&clerk.client, inquiry_id).await["inquiry"].clone();
    assert_eq!(summary["overdue"], true, "{summary}");

    // A first reply ends the wait.
    clerk
        .client
        .post(
            &format!("/api/staff/inquiries/{inquiry_id}/reply"),
            json!({"text": "Looking into it."}),
        )
        .await;
    assert_eq!(
        find(&clerk.client, inquiry_id).await["inquiry"]["overdue"],
        false
    );
}
on_both_databases!(an_unanswered_inquiry_past_its_target_is_overdue);

async fn canned_responses_belong_to_a_department(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let clerk = staff(&admin.client, server, &["billing"]).await;

    let (status, created) = admin
        .client
        .post(
            "/api/staff/admin/canned",
            json!({"department": "billing", "title": "Refund timing", "body": "Refunds reach your card in 5 to 7 days."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");

    let (_, listed) = clerk
        .client
        .get("/api/staff/canned?department=billing")
        .await;
    assert!(
        listed["canned"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == created["id"])
    );
    let (status, _) = clerk
        .client
        .get("/api/staff/canned?department=clinical")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = clerk.client.get("/api/staff/canned").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    let (status, _) = admin
        .client
        .delete(&format!(
            "/api/staff/admin/canned/{}",
            created["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}
on_both_databases!(canned_responses_belong_to_a_department);

async fn every_look_at_an_inquiry_is_in_the_access_log(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let clerk = staff(&admin.client, server, &["billing"]).await;
    let routed = patient_says(server, None, BILLING_MESSAGE).await;

    find(&clerk.client, routed["inquiry_id"].as_str().unwrap()).await;

    let pool = crate::common::raw_pool(server).await;
    let (actor, action): (String, String) =
        sqlx::query_as("SELECT actor_id, action FROM access_log WHERE conversation_id = $1")
            .bind(routed["conversation_id"].as_str().unwrap())
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (actor.as_str(), action.as_str()),
        (clerk.id.as_str(), "inquiry.view")
    );
}
on_both_databases!(every_look_at_an_inquiry_is_in_the_access_log);
