use super::wire::{AccessToken, AccessTokenParams};
use super::Query;
use crate::guanmai::{fmt, ok, ApiError, Envelope};
use axum::extract::State;
use axum::response::Response;
use dingdan_app::{auth, App};

/// Exchanges access_id and secret for an access token valid for one hour.
#[utoipa::path(
    get, path = "/openapi/auth/access_token", tag = "openapi",
    params(AccessTokenParams),
    responses(
        (status = 200, description = "a token and its expiry", body = Envelope<AccessToken>),
        (status = 401, description = "wrong access_id or secret (code 2)"),
    )
)]
pub async fn access_token(State(app): State<App>, p: Query<AccessTokenParams>) -> Result<Response, ApiError> {
    let p = p.0;
    let access_id = p.access_id.filter(|s| !s.is_empty()).ok_or_else(|| ApiError::invalid("access_id is required"))?;
    let secret = p.secret.filter(|s| !s.is_empty()).ok_or_else(|| ApiError::invalid("secret is required"))?;
    let (token, expires_at, tenant_id) = auth::api_access_token(&app, &access_id, &secret).await?;
    let tz = dingdan_app::tenant_tz(&app, tenant_id).await?;
    let expire_time = dingdan_core::time::format_local(expires_at, tz, fmt::DATE_TIME);
    Ok(ok(AccessToken { access_token: token, expire_time }))
}
