use super::{AdminError, AdminUser, Body, Query};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use dingdan_app::{webhooks, App};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
pub struct NewSubscription {
    tenant_id: i64,
    /// The API app (its access_id) the messages are for; `appid` in the envelope.
    access_id: String,
    url: String,
    /// Event types; absent for all.
    event_types: Option<Vec<String>>,
}

/// Subscribes a callback URL; the answer holds the signing secret, shown once.
#[utoipa::path(post, path = "/admin/api/webhooks/subscriptions", tag = "admin", request_body = NewSubscription,
    responses((status = 201, description = "`{id, secret}`"), (status = 400, description = "bad or forbidden URL")))]
pub async fn subscribe(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    body: Body<NewSubscription>,
) -> Result<Response, AdminError> {
    let b = body.0;
    let created = webhooks::subscribe(&app, &a, b.tenant_id, &b.access_id, &b.url, b.event_types).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TenantQuery {
    tenant_id: Option<i64>,
    limit: Option<i64>,
}

/// A tenant's subscriptions (never their secrets), with pause state and reason.
#[utoipa::path(get, path = "/admin/api/webhooks/subscriptions", tag = "admin", params(TenantQuery),
    responses((status = 200, description = "`{subscriptions: [...]}`")))]
pub async fn list(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    q: Query<TenantQuery>,
) -> Result<Response, AdminError> {
    let tenant_id = q.0.tenant_id.ok_or_else(|| AdminError::bad("tenant_id is required"))?;
    Ok(Json(json!({ "subscriptions": webhooks::list(&app, &a, tenant_id).await? })).into_response())
}

/// A subscription's newest deliveries with every attempt (status, latency, response excerpt).
#[utoipa::path(get, path = "/admin/api/webhooks/subscriptions/{id}/deliveries", tag = "admin",
    params(("id" = i64, Path, description = "subscription id"), TenantQuery),
    responses((status = 200, description = "`{deliveries: [...]}`")))]
pub async fn deliveries(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    Path(id): Path<i64>,
    q: Query<TenantQuery>,
) -> Result<Response, AdminError> {
    let tenant_id = q.0.tenant_id.ok_or_else(|| AdminError::bad("tenant_id is required"))?;
    let list = webhooks::deliveries(&app, &a, tenant_id, id, q.0.limit.unwrap_or(100)).await?;
    Ok(Json(json!({ "deliveries": list })).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct SubscriptionAction {
    tenant_id: i64,
    /// rotate_secret: how long the old secret keeps signing too (default one day)
    overlap_secs: Option<i64>,
    /// replay: one event
    event_id: Option<i64>,
    /// replay: UTC milliseconds, `[from, to)`
    from: Option<i64>,
    to: Option<i64>,
}

/// `rotate_secret`, `resume` or `replay` a subscription.
#[utoipa::path(post, path = "/admin/api/webhooks/subscriptions/{id}/{action}", tag = "admin", request_body = SubscriptionAction,
    params(("id" = i64, Path, description = "subscription id"), ("action" = String, Path, description = "rotate_secret, resume or replay")),
    responses((status = 200, description = "`{secret}` / `{}` / `{queued}`")))]
pub async fn action(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    Path((id, action)): Path<(i64, String)>,
    body: Body<SubscriptionAction>,
) -> Result<Response, AdminError> {
    let b = body.0;
    let answer = match action.as_str() {
        "rotate_secret" => {
            let secret =
                webhooks::rotate_secret(&app, &a, b.tenant_id, id, b.overlap_secs.unwrap_or(86_400) * 1000).await?;
            json!({ "secret": secret })
        }
        "resume" => {
            webhooks::resume(&app, &a, b.tenant_id, id).await?;
            json!({})
        }
        "replay" => {
            if b.event_id.is_none() && (b.from.is_none() || b.to.is_none()) {
                return Err(AdminError::bad("give event_id, or from and to"));
            }
            let range = (b.from.unwrap_or(i64::MIN / 2), b.to.unwrap_or(i64::MAX / 2));
            json!({ "queued": webhooks::replay(&app, &a, b.tenant_id, id, b.event_id, range).await? })
        }
        other => return Err(AdminError::bad(format!("unknown action '{other}'"))),
    };
    Ok(Json(answer).into_response())
}
