//! `/api/openapi.json` documents every endpoint the server answers.

use serde_json::Value;

use crate::common::server;

/// Every endpoint, as docs/API.md lists them.
const ENDPOINTS: &[(&str, &str)] = &[
    ("post", "/api/chat"),
    ("get", "/api/conversations/{id}"),
    ("get", "/api/my/conversations"),
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/api/openapi.json"),
    ("post", "/api/staff/sign-in"),
    ("get", "/api/staff/session"),
    ("post", "/api/staff/sign-out"),
    ("get", "/api/staff/enrolment"),
    ("post", "/api/staff/enrolment"),
    ("get", "/api/staff/enrolment/qr.svg"),
    ("post", "/api/staff/password"),
    ("get", "/api/staff/departments"),
    ("get", "/api/staff/queue"),
    ("get", "/api/staff/inquiries/{id}"),
    ("post", "/api/staff/inquiries/{id}/claim"),
    ("post", "/api/staff/inquiries/{id}/release"),
    ("post", "/api/staff/inquiries/{id}/reply"),
    ("post", "/api/staff/inquiries/{id}/notes"),
    ("post", "/api/staff/inquiries/{id}/transfer"),
    ("post", "/api/staff/inquiries/{id}/resolve"),
    ("post", "/api/staff/inquiries/{id}/reopen"),
    ("get", "/api/staff/canned"),
    ("get", "/api/staff/admin/accounts"),
    ("post", "/api/staff/admin/accounts"),
    ("patch", "/api/staff/admin/accounts/{id}"),
    ("post", "/api/staff/admin/accounts/{id}/reset"),
    ("post", "/api/staff/admin/canned"),
    ("delete", "/api/staff/admin/canned/{id}"),
];

async fn document() -> Value {
    reqwest::get(server().url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_document_lists_every_endpoint_and_nothing_else() {
    let document = document().await;

    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    documented.sort();
    let mut expected: Vec<(String, String)> = ENDPOINTS
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(documented, expected);

    // Each operation says what its failures look like.
    let chat = &document["paths"]["/api/chat"]["post"]["responses"];
    assert!(chat["413"].is_object() && chat["200"].is_object(), "{chat}");
}

#[tokio::test]
async fn every_documented_endpoint_is_served() {
    let document = document().await;
    let client = reqwest::Client::new();

    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let url = server().url(&path.replace("{id}", "00000000-0000-0000-0000-000000000000"));
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = client.request(method.clone(), url).send().await.unwrap();
            // Routed somewhere: never the catch-all 404 page nor 405.
            let status = response.status();
            let body = response.text().await.unwrap();
            assert_ne!(
                status,
                reqwest::StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}"
            );
            assert!(
                !body.contains("\"not_found\",\"message\":\"There is nothing here."),
                "{method} {path}"
            );
        }
    }
}
