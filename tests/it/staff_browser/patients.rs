//! A patient signed in through the portal, on two devices.

use fantoccini::key::Key;

use super::browser::{Browser, attribute, text_in};
use crate::staff_client::portal_token;

const FAQ_QUESTION: &str = "how can i pay my bill online";

pub(super) async fn a_signed_in_patient_reopens_a_conversation_elsewhere(browser: &Browser) {
    let subject = format!("patient-{}", uuid::Uuid::new_v4());
    let laptop = portal_token(&subject, 0, 600);
    let phone = portal_token(&subject, -5, 600);
    assert_ne!(laptop, phone);

    browser.open_window().await;
    browser.open(&format!("/#portal_token={laptop}")).await;
    let address = browser.client().current_url().await.expect("URL");
    assert!(!address.as_str().contains("portal_token"), "{address}");
    assert!(browser.is_shown("#my-conversations").await);
    browser.fill("#message", FAQ_QUESTION).await;
    browser.press(&[Key::Enter]).await;
    let answer = browser
        .wait_for("#transcript > article.assistant:nth-child(2)")
        .await;
    let kind = attribute(&answer, "data-kind").await;
    let stored = browser
        .script("return JSON.parse(sessionStorage.getItem('careline.conversation'))")
        .await;
    let conversation_id = stored["conversation_id"].as_str().expect("an id");
    browser.close_window().await;

    browser.open_window().await;
    browser.open(&format!("/#portal_token={phone}")).await;
    assert_eq!(browser.count("#transcript > article").await, 0);
    browser.click("#my-conversations").await;
    let entry = format!("button.conversation-entry[data-conversation-id='{conversation_id}']");
    browser.wait_for(&entry).await;
    assert_eq!(browser.count("button.conversation-entry").await, 1);
    browser.click(&entry).await;

    let patient = browser
        .wait_for("#transcript > article.patient:nth-child(1)")
        .await;
    assert_eq!(text_in(&patient, ".msg-text").await, FAQ_QUESTION);
    let reopened = browser
        .wait_for("#transcript > article.assistant:nth-child(2)")
        .await;
    assert_eq!(attribute(&reopened, "data-kind").await, kind);
    assert_eq!(browser.count("#transcript > article").await, 2);
    assert_eq!(browser.text_of("#error").await, "");
    // It goes on with the portal token alone: no conversation token here.
    browser.fill("#message", FAQ_QUESTION).await;
    browser.press(&[Key::Enter]).await;
    browser
        .wait_for("#transcript > article.assistant:nth-child(4)")
        .await;
    assert_eq!(browser.text_of("#error").await, "");
    browser.close_window().await;
}
