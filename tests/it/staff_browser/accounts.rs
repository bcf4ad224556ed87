//! Accounts in the console: a first sign-in that sets up the
//! authenticator, an admin adding a colleague, the colleague's own first
//! sign-in, and sign-in codes refused or accepted.

use super::browser::{Browser, text_in};
use super::{
    ADMIN_NAME, Authenticator, BILLING, CANNED_BODY, COLLEAGUE_NAME, Colleague, ERROR_SHOWN,
    QUEUE_LOADED, STATUS_IS_CLAIMED,
};
use crate::common::server;
use crate::staff_client::{PASSWORD, email, patient_says, totp};

pub(super) async fn a_first_sign_in_sets_up_the_authenticator(
    browser: &Browser,
    admin: &str,
) -> Authenticator {
    browser.sign_in_with_keyboard(admin, PASSWORD, None).await;

    let authenticator = browser.set_up_authenticator().await;

    browser.arrive("/staff/queue.html").await;
    assert_eq!(browser.text_of("#account-name").await, ADMIN_NAME);
    assert!(browser.is_shown("#nav-admin").await, "admins see Admin");
    authenticator
}

pub(super) async fn an_admin_adds_a_colleague_and_a_saved_response(browser: &Browser) -> Colleague {
    browser.click("#nav-admin").await;
    browser.arrive("/staff/admin.html").await;
    browser.wait_for("#admin-content:not([hidden])").await;
    let email = email("staff");
    browser.fill("#new-name", COLLEAGUE_NAME).await;
    browser.fill("#new-email", &email).await;
    browser.click("#new-department-billing").await;
    browser.click("#create-account").await;

    browser
        .wait_for("#temporary-password-box:not([hidden])")
        .await;
    let temporary = browser.text_of("#temporary-password").await;
    assert!(temporary.chars().count() >= 12, "a usable password");
    let accounts = browser.text_of("#accounts-rows").await;
    assert!(accounts.contains(&email), "listed");
    browser.click("#temporary-password-done").await;

    // Other tests share the server's Billing responses: this title is ours.
    let canned_title = format!("Refund {}", uuid::Uuid::new_v4().simple());
    let canned = browser.element("#canned-department").await;
    canned.select_by_value("billing").await.expect("a choice");
    browser.fill("#canned-title", &canned_title).await;
    browser.fill("#canned-body", CANNED_BODY).await;
    browser.click("#canned-add").await;
    let listed =
        format!("document.getElementById('canned-list').textContent.includes('{canned_title}')");
    browser
        .wait_until("the saved response listed", &listed)
        .await;
    browser.sign_out().await;

    Colleague {
        email,
        temporary,
        canned_title,
    }
}

/// Returns the inquiry the colleague answered, and so holds.
pub(super) async fn a_colleague_sees_no_admin_link_and_answers_with_a_saved_response(
    browser: &Browser,
    colleague: &Colleague,
) -> String {
    browser
        .sign_in_with_keyboard(&colleague.email, &colleague.temporary, None)
        .await;
    browser.set_up_authenticator().await;
    browser.arrive("/staff/password.html").await;
    assert!(browser.is_shown("#temporary-notice").await);
    browser
        .fill("#current-password", &colleague.temporary)
        .await;
    browser.fill("#new-password", PASSWORD).await;
    browser.fill("#confirm-password", PASSWORD).await;
    browser.click("#password-submit").await;

    browser.arrive("/staff/queue.html").await;
    browser.wait_until("the queue loaded", QUEUE_LOADED).await;
    let said = browser.text_of("#status").await;
    assert!(said.starts_with("Your password was changed."), "{said:?}");
    assert_eq!(browser.text_of("#account-name").await, COLLEAGUE_NAME);
    assert!(!browser.is_shown("#nav-admin").await, "staff see no Admin");
    let departments = browser.text_of("#department-filter").await;
    assert!(!departments.contains("Clinical"), "{departments:?}");
    browser.open("/staff/admin.html").await;
    browser.arrive("/staff/admin.html").await;
    browser.wait_until("refused", ERROR_SHOWN).await;
    assert!(!browser.is_shown("#admin-content").await);

    let routed = patient_says(server(), None, BILLING).await;
    let id = routed["inquiry_id"].as_str().expect("an inquiry");
    browser.open(&format!("/staff/inquiry.html?id={id}")).await;
    browser.arrive("/staff/inquiry.html").await;
    browser.wait_for("#inquiry:not([hidden])").await;
    let saved = browser.element("#canned-select").await;
    saved
        .select_by_label(&colleague.canned_title)
        .await
        .expect("a choice");
    assert_eq!(browser.value_of("#reply-text").await, CANNED_BODY);
    browser.click("#reply-submit").await;

    let sent = browser.wait_for("#transcript > li.role-staff").await;
    assert_eq!(text_in(&sent, ".msg-text").await, CANNED_BODY);
    let author = text_in(&sent, ".who-said").await;
    assert_eq!(author, format!("{COLLEAGUE_NAME} (Billing)"));
    // A reply claims an open inquiry.
    browser.wait_until("claimed", STATUS_IS_CLAIMED).await;
    browser.sign_out().await;
    id.to_owned()
}

pub(super) async fn a_wrong_code_is_refused_and_a_recovery_code_signs_in(
    browser: &Browser,
    admin: &str,
    authenticator: &Authenticator,
) {
    let current: Vec<String> = (-1..=1).map(|s| totp(&authenticator.secret, s)).collect();
    let wrong = ["000000", "111111", "222222", "333333"]
        .into_iter()
        .find(|code| !current.iter().any(|c| c == code))
        .expect("a wrong code");

    browser
        .sign_in_with_keyboard(admin, PASSWORD, Some(wrong))
        .await;

    browser.wait_until("refused", ERROR_SHOWN).await;
    assert_eq!(browser.focused_id().await, "error");
    assert_eq!(
        browser.value_of("#code").await,
        "",
        "a spent code is cleared"
    );
    assert!(browser.is_shown("#sign-in").await);

    let recovery = &authenticator.recovery_codes[0];
    browser
        .sign_in_with_keyboard(admin, PASSWORD, Some(recovery))
        .await;

    browser.arrive("/staff/queue.html").await;
    assert!(browser.is_shown("#nav-admin").await);
}
