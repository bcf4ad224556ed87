//! The staff console, and the patient widget's care-team replies, in a
//! real browser: headless Chromium over WebDriver against the shared test
//! server. A hospital's first admin signs in and sets up an authenticator,
//! works an inquiry while the patient watches in another window, transfers
//! and resolves it and adds a colleague; a portal-signed patient reopens a
//! conversation on a second device.
//!
//! One test runs the scenarios in turn in one browser session (each starts
//! where the one before left the console), after any other browser test's
//! Chromium has finished (`chromium.rs`).

mod accounts;
mod browser;
mod inquiries;
mod patients;

use std::panic::AssertUnwindSafe;

use fantoccini::wd::WindowHandle;
use futures::FutureExt;

use crate::common::server;
use crate::staff_client::{create_admin_with_cli, email};
use browser::Browser;

const BILLING: &str = "I was charged twice for my visit last week, please fix it";
const URGENT: &str = "I have crushing chest pain and my left arm is numb";
const CANNED_BODY: &str = "We have refunded the duplicate charge.";

/// The name `create_admin_with_cli` gives the admin.
const ADMIN_NAME: &str = "Ada Admin";
const COLLEAGUE_NAME: &str = "Sam Staff";

/// The queue page has drawn the list at least once.
const QUEUE_LOADED: &str =
    "document.getElementById('last-updated').textContent.startsWith('Updated')";
/// On any console page: the error line says something.
const ERROR_SHOWN: &str = "document.getElementById('error').textContent.trim()";
/// Status checks on the inquiry page; `status()` is its status field.
const STATUS_IS_OPEN: &str = "status().dataset.status === 'open'";
const STATUS_IS_CLAIMED: &str = "status().dataset.status === 'claimed'";

#[tokio::test]
async fn staff_console_works_an_inquiry_in_a_real_browser() {
    let admin = email("admin");
    create_admin_with_cli(server(), &admin, &["billing", "clinical"]);
    let browser = Browser::start().await;

    let scenarios = AssertUnwindSafe(async {
        let authenticator =
            accounts::a_first_sign_in_sets_up_the_authenticator(&browser, &admin).await;
        let inquiry = inquiries::patient_messages_are_queued_urgent_first(&browser).await;
        inquiries::a_staff_reply_reaches_the_patient_and_a_note_does_not(&browser, &inquiry).await;
        inquiries::a_transfer_and_a_resolve_change_the_status(&browser, &inquiry).await;
        patients::a_signed_in_patient_reopens_a_conversation_elsewhere(&browser).await;
        let colleague = accounts::an_admin_adds_a_colleague_and_a_saved_response(&browser).await;
        let held = accounts::a_colleague_sees_no_admin_link_and_answers_with_a_saved_response(
            &browser, &colleague,
        )
        .await;
        accounts::a_wrong_code_is_refused_and_a_recovery_code_signs_in(
            &browser,
            &admin,
            &authenticator,
        )
        .await;
        inquiries::a_colleagues_claim_is_respected(&browser, &held).await;
        the_console_logs_only_the_errors_provoked(&browser).await;
    })
    .catch_unwind()
    .await;

    // Chromium is shut down even when a scenario failed.
    browser.close().await;
    if let Err(failure) = scenarios {
        std::panic::resume_unwind(failure);
    }
}

/// What the enrolment page showed: the authenticator's secret and the
/// one-time recovery codes.
struct Authenticator {
    secret: String,
    recovery_codes: Vec<String>,
}

/// The billing inquiry the patient's window is waiting on.
struct PatientInquiry {
    /// The start of the inquiry id, as the widget shows it.
    reference: String,
    window: WindowHandle,
    /// The urgent inquiry queued beside it.
    urgent_id: String,
}

/// A colleague the admin added, before their first sign-in.
struct Colleague {
    email: String,
    temporary: String,
    /// The saved Billing response the admin added for them.
    canned_title: String,
}

async fn the_console_logs_only_the_errors_provoked(browser: &Browser) {
    let errors = browser.console_errors().await;

    // Chromium logs every refused fetch: the wrong code and the claim.
    let refused = |path: &str, status: &str| {
        let matching = |e: &&String| e.contains(path) && e.contains(status);
        errors.iter().filter(matching).count()
    };
    assert_eq!(refused("/api/staff/sign-in", "401"), 1, "{errors:#?}");
    assert_eq!(refused("/claim", "409"), 1, "{errors:#?}");
    assert_eq!(errors.len(), 2, "unexpected console errors: {errors:#?}");
}
