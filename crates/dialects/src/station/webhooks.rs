use super::ApiApp;
use crate::guanmai::{ok, ApiError};
use axum::extract::State;
use axum::response::Response;
use dingdan_app::{webhooks, App};
use serde_json::json;

/// The calling app's webhook subscriptions with their pause state and reason (an addition to
/// the document: subscriptions are managed in the admin API).
#[utoipa::path(get, path = "/api/webhook/subscription/list", tag = "station",
    responses((status = 200, description = "`data: [{id, url, event_types, paused_at, pause_reason, consecutive_failures}]`")))]
pub async fn subscription_list(State(app): State<App>, api: ApiApp) -> Result<Response, ApiError> {
    let list = webhooks::list_own(&app, &api.actor).await?;
    Ok(ok(list
        .iter()
        .map(|s| {
            json!({ "id": s.id, "url": s.url, "event_types": s.event_types, "paused_at": s.paused_at,
                    "pause_reason": s.pause_reason, "consecutive_failures": s.consecutive_failures })
        })
        .collect::<Vec<_>>()))
}
