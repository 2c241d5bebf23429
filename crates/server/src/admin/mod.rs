//! The admin HTTP API under `/admin/api/`: what the CLI can do, for the console and scripts.
//! Bearer admin tokens (`POST /admin/api/login` or `dingdan admin token`). Answers are plain
//! JSON; errors are `{"error": {"code": "...", "message": "..."}}` with a meaningful status.

mod accounts;
mod catalog;
mod delivery;
mod inventory;
mod orders;
mod pickup;
mod webhooks;

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dingdan_app::{auth, Actor, App, AppError, AuthFailure};
use dingdan_dialects::extract::Rejection;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(accounts::login))
        .routes(routes!(accounts::create_admin))
        .routes(routes!(accounts::list_tenants, accounts::create_tenant))
        .routes(routes!(accounts::list_apps, accounts::create_app))
        .routes(routes!(accounts::list_stores, accounts::create_store))
        .routes(routes!(accounts::list_staff, accounts::create_staff))
        .routes(routes!(orders::place_order))
        .routes(routes!(orders::get_order))
        .routes(routes!(orders::move_order))
        .routes(routes!(orders::weigh_line))
        .routes(routes!(orders::history))
        .routes(routes!(pickup::create_package))
        .routes(routes!(pickup::cancel_package))
        .routes(routes!(delivery::create_carrier))
        .routes(routes!(delivery::create_car_model))
        .routes(routes!(inventory::stock))
        .routes(routes!(inventory::list_sheets, inventory::create_sheet))
        .routes(routes!(inventory::get_sheet))
        .routes(routes!(inventory::sheet_action))
        .routes(routes!(inventory::stocktaking))
        .routes(routes!(inventory::events))
        .routes(routes!(catalog::create_category))
        .routes(routes!(catalog::rename_category))
        .routes(routes!(catalog::delete_customer))
        .routes(routes!(webhooks::list, webhooks::subscribe))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(webhooks::action))
}

/// A signed-in platform admin.
pub struct AdminUser(pub Actor);

impl FromRequestParts<App> for AdminUser {
    type Rejection = AdminError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, AdminError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.strip_prefix("Bearer ").unwrap_or(v).trim().to_owned());
        Ok(AdminUser(auth::authenticate_admin(app, token.as_deref()).await?))
    }
}

/// An admin API error.
#[derive(Debug)]
pub struct AdminError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl AdminError {
    fn bad(message: impl Into<String>) -> AdminError {
        AdminError { status: StatusCode::BAD_REQUEST, code: "invalid", message: message.into() }
    }
}

impl Rejection for AdminError {
    fn bad_request(message: String) -> Self {
        AdminError::bad(message)
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": { "code": self.code, "message": self.message } }))).into_response()
    }
}

impl From<AppError> for AdminError {
    fn from(e: AppError) -> Self {
        use StatusCode as S;
        let (status, code, message) = match e {
            AppError::Unauthenticated(AuthFailure::Missing) => {
                (S::UNAUTHORIZED, "unauthenticated", "an admin token is required (Authorization: Bearer ...)".into())
            }
            AppError::Unauthenticated(AuthFailure::Invalid) => {
                (S::UNAUTHORIZED, "unauthenticated", "invalid token".into())
            }
            AppError::Unauthenticated(AuthFailure::Expired) => {
                (S::UNAUTHORIZED, "unauthenticated", "token expired".into())
            }
            AppError::Unauthenticated(AuthFailure::BadCredentials) => {
                (S::UNAUTHORIZED, "bad_credentials", "wrong user name or password".into())
            }
            AppError::Forbidden(why) => (S::FORBIDDEN, "forbidden", why),
            AppError::NotFound { entity } => (S::NOT_FOUND, "not_found", format!("{entity} not found")),
            AppError::Invalid { field, reason } => (S::BAD_REQUEST, "invalid", format!("{field}: {reason}")),
            AppError::Domain(d) => match d {
                dingdan_core::DomainError::Invalid { field, reason } => {
                    (S::BAD_REQUEST, "invalid", format!("{field}: {reason}"))
                }
                other => (S::CONFLICT, "state_conflict", other.to_string()),
            },
            AppError::Conflict(why) => (S::CONFLICT, "state_conflict", why),
            AppError::Duplicate(what) => (S::CONFLICT, "duplicate", format!("already exists: {what}")),
            AppError::RateLimited => (S::TOO_MANY_REQUESTS, "rate_limited", "too many requests".into()),
            AppError::Internal(_) => (S::INTERNAL_SERVER_ERROR, "internal", "internal error".into()),
        };
        AdminError { status, code, message }
    }
}

pub type Query<T> = dingdan_dialects::extract::Query<T, AdminError>;
pub type Body<T> = dingdan_dialects::extract::Body<T, AdminError>;
