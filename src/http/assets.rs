//! The widget's files, embedded in the binary at build time.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use rust_embed::Embed;

use super::AppState;
use super::error::ApiError;
use crate::knowledge::render_placeholders;

#[derive(Embed)]
#[folder = "web/"]
struct Web;

/// The chat page with the hospital's details (its emergency number) filled
/// in, HTML-escaped. Fails on a placeholder the configuration lacks.
pub fn chat_page(hospital: &BTreeMap<String, String>) -> Result<String, String> {
    let page = Web::get("index.html").ok_or("web/index.html is not embedded")?;
    let page = String::from_utf8_lossy(&page.data);
    let escaped: BTreeMap<String, String> = hospital
        .iter()
        .map(|(key, value)| (key.clone(), escape_html(value)))
        .collect();
    render_placeholders(&page, &escaped).map_err(|problem| format!("web/index.html: {problem}"))
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The staff console must never be framed by another page (clickjacking);
/// the patient widget may be, by the portal.
const STAFF_CSP: &str =
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn web_file(State(state): State<AppState>, uri: Uri) -> Response {
    let requested = uri.path().trim_start_matches('/');
    // A folder serves its index page: `/staff/` is the sign-in page.
    let with_index;
    let requested = if requested.ends_with('/') {
        with_index = format!("{requested}index.html");
        with_index.as_str()
    } else if requested == "staff" {
        return axum::response::Redirect::permanent("staff/").into_response();
    } else {
        requested
    };
    let path = match requested {
        "" | "index.html" => {
            return (
                [(header::CACHE_CONTROL, "no-cache")],
                Html(state.page.to_string()),
            )
                .into_response();
        }
        path => path,
    };

    match Web::get(path) {
        Some(file) => {
            let mime = mime_guess::from_path(path).first_or_octet_stream();
            let mut response = (
                [
                    (header::CONTENT_TYPE, mime.as_ref().to_owned()),
                    (header::CACHE_CONTROL, "no-cache".to_owned()),
                ],
                file.data,
            )
                .into_response();
            if path.starts_with("staff/") {
                response.headers_mut().insert(
                    header::CONTENT_SECURITY_POLICY,
                    header::HeaderValue::from_static(STAFF_CSP),
                );
            }
            response
        }
        None => ApiError::new(StatusCode::NOT_FOUND, "not_found", "There is nothing here.")
            .into_response(),
    }
}
