//! The staff console's API, under `/api/staff/`: signing in, MFA
//! enrolment, the queues, and account administration.

mod admin;
mod queue;
mod session;
mod sign_in;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
pub use session::SESSION_COOKIE;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in::sign_in))
        .routes(routes!(sign_in::current_session))
        .routes(routes!(sign_in::sign_out))
        .routes(routes!(sign_in::enrolment, sign_in::finish_enrolment))
        .routes(routes!(sign_in::enrolment_qr))
        .routes(routes!(sign_in::change_password))
        .routes(routes!(queue::departments))
        .routes(routes!(queue::queue))
        .routes(routes!(queue::inquiry))
        .routes(routes!(queue::claim))
        .routes(routes!(queue::release))
        .routes(routes!(queue::reply))
        .routes(routes!(queue::note))
        .routes(routes!(queue::transfer))
        .routes(routes!(queue::resolve))
        .routes(routes!(queue::reopen))
        .routes(routes!(queue::canned))
        .routes(routes!(admin::accounts, admin::create_account))
        .routes(routes!(admin::update_account))
        .routes(routes!(admin::reset_account))
        .routes(routes!(admin::add_canned))
        .routes(routes!(admin::delete_canned))
}
