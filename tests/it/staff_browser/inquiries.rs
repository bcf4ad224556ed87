//! Working inquiries: the queue, claims, notes and replies the patient
//! sees in the widget, transfers and resolving.

use fantoccini::key::Key;
use serde_json::json;

use super::browser::{Browser, attribute, text_in};
use super::{
    ADMIN_NAME, BILLING, COLLEAGUE_NAME, ERROR_SHOWN, PatientInquiry, QUEUE_LOADED,
    STATUS_IS_CLAIMED, STATUS_IS_OPEN, URGENT,
};
use crate::common::server;
use crate::staff_client::patient_says;

const NOTE: &str = "Ledger shows the duplicate charge; refund requested.";
const REPLY: &str = "We refunded the duplicate charge; please allow five days.";
const FOLLOW_UP: &str = "Thank you, will it show on my next statement?";
const TRANSFER_REASON: &str = "Asks about a test result, not the bill";

const QUEUE_ROWS: &str = "
    return [...document.querySelectorAll('#queue-rows tr[data-inquiry-id]')]
        .map((row) => [row.dataset.inquiryId, row.dataset.priority]);";

pub(super) async fn patient_messages_are_queued_urgent_first(browser: &Browser) -> PatientInquiry {
    let window = browser.open_window().await;
    browser.open("/").await;
    browser.fill("#message", BILLING).await;
    browser.press(&[Key::Enter]).await;
    let reply = browser
        .wait_for("#transcript > article.assistant:nth-child(2)")
        .await;
    assert_eq!(attribute(&reply, "data-kind").await, "routed");
    let reference = text_in(&reply, "p.reference").await;
    let reference = reference.strip_prefix("Reference: ").expect("a reference");
    assert_eq!(reference.len(), 8, "{reference:?}");
    let urgent = patient_says(server(), None, URGENT).await;
    assert_eq!(urgent["kind"], "urgent", "{}", urgent["kind"]);
    let urgent_id = urgent["inquiry_id"].as_str().expect("an urgent inquiry");

    browser.to_console().await;
    browser.click("#refresh").await;

    let billing_row = format!("#queue-rows tr[data-inquiry-id^='{reference}']");
    let urgent_row = format!("#queue-rows tr[data-inquiry-id='{urgent_id}']");
    let billing = browser.wait_for(&billing_row).await;
    browser.wait_for(&urgent_row).await;
    assert_eq!(text_in(&billing, "a.inquiry-link").await, BILLING);
    assert_eq!(attribute(&billing, "data-priority").await, "normal");
    let urgent_badge = text_in(&browser.element(&urgent_row).await, ".badge").await;
    assert!(urgent_badge.contains("Urgent"), "{urgent_badge:?}");

    let rows = browser.script(QUEUE_ROWS).await;
    let rows: Vec<(String, String)> = serde_json::from_value(rows).expect("rows");
    let position = |wanted: &dyn Fn(&str) -> bool| {
        let found = rows.iter().position(|(id, _)| wanted(id));
        found.expect("the row is listed")
    };
    let billing_at = position(&|id| id.starts_with(reference));
    let urgent_at = position(&|id| id == urgent_id);
    assert!(urgent_at < billing_at, "urgent first: {rows:?}");
    let first_normal = rows.iter().position(|(_, p)| p == "normal");
    let last_urgent = rows.iter().rposition(|(_, p)| p == "urgent");
    assert!(last_urgent < first_normal, "urgent first: {rows:?}");

    // One department at a time, kept in the address for Back.
    let filter = browser.element("#department-filter").await;
    filter.select_by_value("billing").await.expect("a choice");
    let only_billing = format!("!document.querySelector(\"{urgent_row}\")");
    browser
        .wait_until("only Billing listed", &only_billing)
        .await;
    assert_eq!(browser.count(&billing_row).await, 1);
    let address = browser.client().current_url().await.expect("URL");
    assert_eq!(address.query(), Some("department=billing&status=active"));
    filter.select_by_value("").await.expect("a choice");
    browser.wait_for(&urgent_row).await;

    PatientInquiry {
        reference: reference.to_owned(),
        window,
        urgent_id: urgent_id.to_owned(),
    }
}

pub(super) async fn a_staff_reply_reaches_the_patient_and_a_note_does_not(
    browser: &Browser,
    inquiry: &PatientInquiry,
) {
    let reference = &inquiry.reference;
    let link = format!("#queue-rows tr[data-inquiry-id^='{reference}'] a.inquiry-link");
    browser.click(&link).await;
    browser.arrive("/staff/inquiry.html").await;
    browser.wait_for("#inquiry:not([hidden])").await;
    let first = browser.wait_for("#transcript > li.role-patient").await;
    assert_eq!(text_in(&first, ".msg-text").await, BILLING);
    browser.wait_until("status open", STATUS_IS_OPEN).await;

    browser.click("#claim").await;
    browser.wait_until("claimed", STATUS_IS_CLAIMED).await;
    let notice = browser.text_of("#claim-notice").await;
    assert_eq!(notice, "You are working on this inquiry.");
    assert_eq!(browser.focused_id().await, "reply-text");
    browser.click("#release").await;
    browser.wait_until("released", STATUS_IS_OPEN).await;
    assert_eq!(browser.focused_id().await, "claim");
    browser.press(&[Key::Enter]).await;
    browser.wait_until("claimed again", STATUS_IS_CLAIMED).await;

    browser.fill("#note-text", NOTE).await;
    browser.click("#note-submit").await;
    let note = browser.wait_for("#notes > li.note").await;
    assert_eq!(text_in(&note, ".note-text").await, NOTE);

    browser.fill("#reply-text", REPLY).await;
    let counter = format!("{} / 5000", REPLY.chars().count());
    assert_eq!(browser.text_of("#reply-counter").await, counter);
    browser.click("#reply-submit").await;
    let sent = browser.wait_for("#transcript > li.role-staff").await;
    assert_eq!(text_in(&sent, ".msg-text").await, REPLY);
    let author = text_in(&sent, ".who-said").await;
    assert_eq!(author, format!("{ADMIN_NAME} (Billing)"));
    assert_eq!(browser.value_of("#reply-text").await, "", "cleared");
    assert_ne!(browser.text_of("#inquiry-first-response").await, "Not yet");

    // The patient's window has not been touched since their message: the
    // reply must arrive by the widget's own polling.
    browser.switch_to(&inquiry.window).await;
    let staff = browser.wait_for("#transcript > article.msg.staff").await;
    let speaker = text_in(&staff, ".speaker").await;
    assert!(
        speaker.starts_with(&format!("{ADMIN_NAME} (Billing)")),
        "{speaker:?}"
    );
    assert_eq!(text_in(&staff, ".msg-body").await, REPLY);
    assert_eq!(browser.count("#transcript > article").await, 3);
    let page = browser.text_of("body").await;
    assert!(
        !page.contains(NOTE),
        "the internal note reached the patient"
    );
    let navigations = browser
        .script("return performance.getEntriesByType('navigation').length")
        .await;
    assert_eq!(navigations, json!(1), "not reloaded");

    // A reload draws the reply from the stored conversation, author included.
    browser.client().refresh().await.expect("page reloads");
    let restored = browser
        .wait_for("#transcript > article.msg.staff:nth-child(3)")
        .await;
    assert!(text_in(&restored, ".speaker").await.starts_with(ADMIN_NAME));
    assert_eq!(text_in(&restored, ".msg-body").await, REPLY);
    assert!(!browser.text_of("body").await.contains(NOTE));

    // The patient answers; the inquiry page, still open, shows it.
    browser.fill("#message", FOLLOW_UP).await;
    browser.press(&[Key::Enter]).await;
    browser
        .wait_for("#transcript > article.assistant:nth-child(5)")
        .await;
    browser.to_console().await;
    let arrived = browser
        .wait_for("#transcript > li.role-patient.is-new")
        .await;
    assert_eq!(text_in(&arrived, ".msg-text").await, FOLLOW_UP);
}

pub(super) async fn a_transfer_and_a_resolve_change_the_status(
    browser: &Browser,
    inquiry: &PatientInquiry,
) {
    let transfer_to = browser.element("#transfer-department").await;
    transfer_to
        .select_by_value("clinical")
        .await
        .expect("a choice");
    browser.fill("#transfer-reason", TRANSFER_REASON).await;
    browser.click("#transfer-submit").await;

    browser
        .wait_until(
            "transferred to Clinical care",
            "document.getElementById('inquiry-department').textContent === 'Clinical care'",
        )
        .await;
    browser.wait_until("open again", STATUS_IS_OPEN).await;
    assert_eq!(browser.text_of("#inquiry-status").await, "Open");
    assert_eq!(browser.text_of("#inquiry-claimed-by").await, "Nobody");
    let history = browser.text_of("#history").await;
    assert!(history.contains("Transferred"), "{history:?}");
    assert!(history.contains(TRANSFER_REASON), "{history:?}");

    browser.click("#resolve").await;

    let resolved = "status().dataset.status === 'resolved'";
    browser.wait_until("resolved", resolved).await;
    assert_eq!(browser.text_of("#inquiry-status").await, "Resolved");
    assert!(browser.is_shown("#reopen").await);
    assert!(!browser.is_shown("#reply-section").await);
    assert!(!browser.is_shown("#resolve").await);
    browser.click("#reopen").await;
    browser.wait_until("reopened", STATUS_IS_OPEN).await;
    assert!(browser.is_shown("#reply-section").await);

    // Out of our departments: the console goes back to the queue and says so.
    browser.click("#back-to-queue").await;
    browser.arrive("/staff/queue.html").await;
    let urgent_row = format!("#queue-rows tr[data-inquiry-id='{}']", inquiry.urgent_id);
    browser.click(&format!("{urgent_row} a.inquiry-link")).await;
    browser.arrive("/staff/inquiry.html").await;
    browser.wait_for("#inquiry:not([hidden])").await;
    let transfer_to = browser.element("#transfer-department").await;
    transfer_to
        .select_by_value("pharmacy")
        .await
        .expect("a choice");
    browser
        .fill("#transfer-reason", "About a prescription")
        .await;
    browser.click("#transfer-submit").await;

    browser.arrive("/staff/queue.html").await;
    browser.wait_until("the queue loaded", QUEUE_LOADED).await;
    assert_eq!(browser.count(&urgent_row).await, 0, "transferred away");
    let said = browser.text_of("#status").await;
    assert!(said.starts_with("Transferred to Pharmacy."), "{said:?}");
}

pub(super) async fn a_colleagues_claim_is_respected(browser: &Browser, inquiry_id: &str) {
    browser
        .open(&format!("/staff/inquiry.html?id={inquiry_id}"))
        .await;
    browser.arrive("/staff/inquiry.html").await;
    browser.wait_for("#inquiry:not([hidden])").await;
    let notice = browser.text_of("#claim-notice").await;
    assert!(notice.starts_with(COLLEAGUE_NAME), "{notice:?}");
    assert!(!browser.is_shown("#reply-section").await);

    browser.click("#claim").await;

    browser.wait_until("refused", ERROR_SHOWN).await;
    let claimed_by = browser.text_of("#inquiry-claimed-by").await;
    assert!(claimed_by.starts_with(COLLEAGUE_NAME), "{claimed_by:?}");
    assert!(!browser.is_shown("#release").await);
}
