//! Staff sign-in over HTTP, on SQLite and PostgreSQL: password plus TOTP,
//! codes good once, recovery codes, lockout, CSRF, session expiry,
//! temporary passwords, disabled accounts.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::TestServer;
use crate::staff_client::{
    PASSWORD, StaffClient, admin, email, enrol, on_both_databases, reset_account, staff, totp,
};

async fn enrolled_accounts_need_a_fresh_code(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let mut browser = StaffClient::new(server);

    let (status, body) = browser.sign_in(&admin.email, PASSWORD, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no code: {body}");
    assert_eq!(body["error"]["code"], "invalid_credentials");
    let (status, _) = browser
        .sign_in(&admin.email, PASSWORD, Some("000000"))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "wrong code");

    // The next step's code: the one used at enrolment is spent.
    let code = totp(&admin.secret, 1);
    let (status, body) = browser.sign_in(&admin.email, PASSWORD, Some(&code)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["next"], "ready");
    assert_eq!(body["account"]["mfa_enrolled"], true);
    assert!(body.to_string().find("password_hash").is_none());

    let mut replay = StaffClient::new(server);
    let (status, body) = replay.sign_in(&admin.email, PASSWORD, Some(&code)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "replayed code: {body}");
}
on_both_databases!(enrolled_accounts_need_a_fresh_code);

async fn wrong_password_and_unknown_email_look_the_same(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let mut browser = StaffClient::new(server);

    let (wrong_status, wrong) = browser
        .sign_in(
            &admin.email,
            "not the password at all",
            Some(&totp(&admin.secret, 1)),
        )
        .await;
    let (unknown_status, unknown) = browser
        .sign_in(&email("nobody"), PASSWORD, Some(&totp(&admin.secret, 1)))
        .await;

    assert_eq!(wrong_status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong, unknown);
    assert_eq!(unknown_status, StatusCode::UNAUTHORIZED);
}
on_both_databases!(wrong_password_and_unknown_email_look_the_same);

async fn a_recovery_code_works_once(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let code = admin.recovery_codes[3].to_uppercase();

    let (status, body) = StaffClient::new(server)
        .sign_in(&admin.email, PASSWORD, Some(&code))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = StaffClient::new(server)
        .sign_in(&admin.email, PASSWORD, Some(&code))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "spent recovery code");
}
on_both_databases!(a_recovery_code_works_once);

async fn repeated_failures_lock_the_email(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let nobody = email("nobody");
    let mut browser = StaffClient::new(server);

    for _ in 0..5 {
        let (status, _) = browser
            .sign_in(&admin.email, "guess guess guess", None)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = browser.sign_in(&nobody, "guess guess guess", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }

    // Locked: even the right password and code are refused, and an
    // unknown email is locked the same way.
    let (status, body) = browser
        .sign_in(&admin.email, PASSWORD, Some(&totp(&admin.secret, 1)))
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"]["code"], "too_many_attempts");
    let (status, _) = browser.sign_in(&nobody, PASSWORD, None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}
on_both_databases!(repeated_failures_lock_the_email);

async fn state_changes_need_the_csrf_token(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let body = json!({"email": email("x"), "name": "X", "role": "staff", "departments": []});

    let (status, refused) = admin
        .client
        .send_with(
            Method::POST,
            "/api/staff/admin/accounts",
            body.clone(),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(refused["error"]["code"], "csrf_failed");
    let (status, _) = admin
        .client
        .send_with(
            Method::POST,
            "/api/staff/admin/accounts",
            body.clone(),
            Some("forged"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A page on another site posting with the victim's cookie.
    let response = reqwest::Client::new()
        .post(server.url("/api/staff/admin/accounts"))
        .header("cookie", admin.client.cookie().unwrap())
        .header("x-csrf-token", admin.client.csrf.as_deref().unwrap())
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let (status, created) = admin.client.post("/api/staff/admin/accounts", body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
}
on_both_databases!(state_changes_need_the_csrf_token);

async fn idle_and_old_sessions_expire(server: &TestServer) {
    let idle = admin(server, &["billing"]).await;
    let old = admin(server, &["billing"]).await;
    let (status, _) = idle.client.get("/api/staff/session").await;
    assert_eq!(status, StatusCode::OK);

    // Thirty-one minutes without a request; thirteen hours since sign-in.
    let pool = crate::common::raw_pool(server).await;
    let minutes_ago = |m: i64| careline::store::now_ms() - m * 60_000;
    sqlx::query("UPDATE staff_sessions SET last_seen_at = $1 WHERE account_id = $2")
        .bind(minutes_ago(31))
        .bind(&idle.id)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE staff_sessions SET created_at = $1 WHERE account_id = $2")
        .bind(minutes_ago(13 * 60))
        .bind(&old.id)
        .execute(&pool)
        .await
        .unwrap();

    for client in [&idle.client, &old.client] {
        let (status, body) = client.get("/api/staff/queue").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body["error"]["code"], "not_signed_in");
    }
}
on_both_databases!(idle_and_old_sessions_expire);

async fn sign_out_ends_the_session(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;

    let (status, _) = admin.client.post("/api/staff/sign-out", json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (status, _) = admin.client.get("/api/staff/session").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
on_both_databases!(sign_out_ends_the_session);

async fn a_new_account_enrols_then_chooses_its_password(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let address = email("new");
    let (_, issued) = admin
        .client
        .post(
            "/api/staff/admin/accounts",
            json!({"email": address, "name": "Nia New", "role": "staff", "departments": ["billing"]}),
        )
        .await;
    let temporary = issued["temporary_password"].as_str().unwrap().to_owned();

    // Before enrolment: nothing but enrolment.
    let mut browser = StaffClient::new(server);
    browser.sign_in(&address, &temporary, None).await;
    let (status, body) = browser.get("/api/staff/queue").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "enrolment_required");
    let qr = reqwest::Client::new()
        .get(server.url("/api/staff/enrolment/qr.svg"))
        .header("cookie", browser.cookie().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    assert!(qr.text().await.unwrap().contains("<svg"));

    let member = enrol(server, &address, &temporary).await;
    let (status, body) = member.client.get("/api/staff/queue").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "password_change_required");

    let change = |new: &str| json!({"current_password": temporary, "new_password": new});
    let (status, body) = member
        .client
        .post("/api/staff/password", change("short"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "weak_password");
    let (status, _) = member
        .client
        .post("/api/staff/password", change(&temporary))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the same password again"
    );
    let (status, body) = member
        .client
        .post("/api/staff/password", change(PASSWORD))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, _) = member.client.get("/api/staff/queue").await;
    assert_eq!(status, StatusCode::OK);
    // The temporary password is gone.
    let (status, _) = StaffClient::new(server)
        .sign_in(&address, &temporary, Some(&totp(&member.secret, 1)))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
on_both_databases!(a_new_account_enrols_then_chooses_its_password);

async fn guessing_the_current_password_locks_like_sign_in(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let guess =
        json!({"current_password": "guess guess guess", "new_password": "a brand new passphrase"});

    for _ in 0..5 {
        let (status, body) = admin
            .client
            .post("/api/staff/password", guess.clone())
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
    let right = json!({"current_password": PASSWORD, "new_password": "a brand new passphrase"});
    let (status, body) = admin.client.post("/api/staff/password", right).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
}
on_both_databases!(guessing_the_current_password_locks_like_sign_in);

async fn a_disabled_account_is_signed_out_at_once(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let member = staff(&admin.client, server, &["billing"]).await;

    let (status, body) = admin
        .client
        .patch(
            &format!("/api/staff/admin/accounts/{}", member.id),
            json!({"disabled": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["disabled"], true);

    let (status, _) = member.client.get("/api/staff/queue").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = StaffClient::new(server)
        .sign_in(&member.email, PASSWORD, Some(&member.recovery_codes[0]))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
on_both_databases!(a_disabled_account_is_signed_out_at_once);

async fn admin_calls_need_the_admin_role(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let member = staff(&admin.client, server, &["billing"]).await;

    let (status, body) = member.client.get("/api/staff/admin/accounts").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "admin_only");

    let (status, body) = admin
        .client
        .patch(
            &format!("/api/staff/admin/accounts/{}", admin.id),
            json!({"disabled": true}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an admin cannot lock themselves out: {body}"
    );

    // Nor reach more patients' inquiries by giving themselves departments;
    // sending the departments they already have is fine.
    let own = format!("/api/staff/admin/accounts/{}", admin.id);
    let (status, body) = admin
        .client
        .patch(&own, json!({"departments": ["billing", "clinical"]}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("departments"),
        "{body}"
    );
    let (status, body) = admin
        .client
        .patch(
            &own,
            json!({"departments": ["billing"], "name": "Renamed Admin"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
on_both_databases!(admin_calls_need_the_admin_role);

async fn a_reset_account_enrols_again(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let member = staff(&admin.client, server, &["billing"]).await;

    let (status, reset) = reset_account(&admin.client, &member.id).await;
    assert_eq!(status, StatusCode::OK, "{reset}");
    assert_eq!(reset["account"]["mfa_enrolled"], false);

    let (status, _) = member.client.get("/api/staff/session").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "old sessions end");
    let temporary = reset["temporary_password"].as_str().unwrap();
    let again = enrol(server, &member.email, temporary).await;
    assert_ne!(again.secret, member.secret);
}
on_both_databases!(a_reset_account_enrols_again);

async fn a_reset_lifts_the_lockout(server: &TestServer) {
    let admin = admin(server, &["billing"]).await;
    let member = staff(&admin.client, server, &["billing"]).await;
    let mut browser = StaffClient::new(server);
    for _ in 0..6 {
        browser
            .sign_in(&member.email, "guess guess guess", None)
            .await;
    }
    let (status, _) = browser
        .sign_in(&member.email, "guess guess guess", None)
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);

    let (status, reset) = reset_account(&admin.client, &member.id).await;
    assert_eq!(status, StatusCode::OK, "{reset}");

    let temporary = reset["temporary_password"].as_str().unwrap();
    enrol(server, &member.email, temporary).await;
}
on_both_databases!(a_reset_lifts_the_lockout);

#[test]
fn the_cli_refuses_a_weak_first_password() {
    let server = crate::common::server();
    let output = assert_cmd::Command::cargo_bin("careline")
        .unwrap()
        .current_dir(crate::common::repo())
        .env("CARELINE_DATA_DIR", &server.data_dir)
        .env("CARELINE_DATABASE_URL", server.database_url())
        .args([
            "admin",
            "create",
            "--email",
            &email("weak"),
            "--name",
            "W",
            "--password-stdin",
        ])
        .write_stdin("short\n")
        .output()
        .unwrap();

    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("12 characters"));
}
