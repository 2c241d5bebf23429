//! The `mall` dialect (seed 003), part 1: members, sign-up and sign-in, SMS captchas, WeChat,
//! profiles, regions. Envelope `{status_code, message, data}`: 0 ok, 1 refused, with the
//! document's dotted message keys.

mod members;
mod pcd;

use crate::extract::Rejection;
use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dingdan_app::members::{self as m, MemberError, Refusal};
use dingdan_app::{App, AppError, AuthFailure};
use serde_json::{json, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(members::register))
        .routes(routes!(members::sms))
        .routes(routes!(members::sms_verify))
        .routes(routes!(members::login))
        .routes(routes!(members::logout))
        .routes(routes!(members::password))
        .routes(routes!(members::forget_password))
        .routes(routes!(members::phone))
        .routes(routes!(members::login_wxapp))
        .routes(routes!(members::login_wxa))
        .routes(routes!(members::register_wxa))
        .routes(routes!(members::profile, members::update_profile))
        .routes(routes!(members::user_info))
        .routes(routes!(pcd::pcd))
}

/// A mall answer.
pub fn answer(message: &str, data: Value) -> Response {
    Json(json!({ "status_code": 0, "message": message, "data": data })).into_response()
}

/// A refusal in the mall's envelope.
#[derive(Debug)]
pub struct MallError {
    status: StatusCode,
    message: String,
    data: Value,
}

impl MallError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> MallError {
        MallError { status, message: message.into(), data: Value::Null }
    }

    pub fn bad(message: impl Into<String>) -> MallError {
        MallError::new(StatusCode::BAD_REQUEST, message)
    }
}

impl Rejection for MallError {
    fn bad_request(message: String) -> Self {
        MallError::bad(format!("invalid.request: {message}"))
    }
}

impl IntoResponse for MallError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "status_code": 1, "message": self.message, "data": self.data }))).into_response()
    }
}

impl From<AppError> for MallError {
    fn from(e: AppError) -> Self {
        use StatusCode as S;
        match e {
            AppError::Unauthenticated(AuthFailure::Missing) => MallError::new(S::UNAUTHORIZED, "token.required"),
            AppError::Unauthenticated(AuthFailure::Expired) => MallError::new(S::UNAUTHORIZED, "token.expired"),
            AppError::Unauthenticated(AuthFailure::Invalid) => MallError::new(S::UNAUTHORIZED, "invalid.token"),
            AppError::Unauthenticated(AuthFailure::BadCredentials) => {
                MallError::new(S::UNAUTHORIZED, "invalid.username.or.password")
            }
            AppError::Forbidden(_) => MallError::new(S::FORBIDDEN, "forbidden"),
            AppError::NotFound { entity } => {
                MallError::new(S::NOT_FOUND, format!("{}.not.found", entity.replace(' ', ".")))
            }
            AppError::Invalid { field, reason } => MallError::bad(format!("invalid.{field}: {reason}")),
            AppError::Domain(d) => MallError::new(S::CONFLICT, format!("conflict: {d}")),
            AppError::Conflict(why) => MallError::new(S::CONFLICT, format!("conflict: {why}")),
            AppError::Duplicate(what) => MallError::new(S::CONFLICT, format!("already.exist: {what}")),
            AppError::RateLimited => MallError::new(S::TOO_MANY_REQUESTS, "too.many.requests"),
            AppError::Internal(_) => MallError::new(S::INTERNAL_SERVER_ERROR, "internal.error"),
        }
    }
}

impl From<MemberError> for MallError {
    fn from(e: MemberError) -> Self {
        use StatusCode as S;
        match e {
            MemberError::App(a) => a.into(),
            MemberError::Refused(r) => match r {
                Refusal::UserNotFound(id) => MallError {
                    status: S::NOT_FOUND,
                    message: "user.not.found".into(),
                    data: id.map(|i| json!({ "openid": i.openid, "unionid": i.unionid })).unwrap_or(Value::Null),
                },
                Refusal::BadCredentials => MallError::new(S::UNAUTHORIZED, "invalid.username.or.password"),
                Refusal::IncorrectOldPassword => MallError::bad("incorrect.old.password"),
                Refusal::InvalidCaptcha => MallError::bad("invalid.captcha"),
                Refusal::CaptchaTooFrequent => MallError::new(S::TOO_MANY_REQUESTS, "captcha.too.frequent"),
                Refusal::PhoneAlreadyExists => MallError::new(S::CONFLICT, "phone.already.exist"),
                Refusal::UsernameAlreadyExists => MallError::new(S::CONFLICT, "username.already.exist"),
                Refusal::InvalidPhone => MallError::bad("invalid.phone"),
                Refusal::WeakPassword => {
                    MallError::bad(format!("invalid.password: at least {} characters", m::MIN_PASSWORD))
                }
                Refusal::InvalidInviteCode => MallError::bad("invalid.invite.code"),
                Refusal::WechatFailed(_) => MallError::new(S::BAD_GATEWAY, "wechat.login.failed"),
            },
        }
    }
}

/// The member behind `Authorization: <token>` (`Bearer <token>` too).
pub struct MemberUser {
    pub member: m::MemberRow,
    pub token: String,
}

impl FromRequestParts<App> for MemberUser {
    type Rejection = MallError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, MallError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.strip_prefix("Bearer ").unwrap_or(v).trim().to_string())
            .filter(|t| !t.is_empty());
        let member = m::authenticate(app, token.as_deref()).await?;
        Ok(MemberUser { member, token: token.unwrap_or_default() })
    }
}

pub type Query<T> = crate::extract::Query<T, MallError>;
pub type Body<T> = crate::extract::Body<T, MallError>;
