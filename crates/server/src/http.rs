use crate::config::Config;
use crate::{admin, docs, metrics};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use dingdan_app::App;
use serde_json::json;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

/// Every route of the server with its middleware.
pub fn router(app: App, config: &Config) -> Router {
    let (api, openapi) = OpenApiRouter::with_openapi(docs::base())
        .merge(dingdan_dialects::router())
        .merge(admin::router())
        .split_for_parts();
    let metrics = metrics::Metrics::new();
    let request_id = header::HeaderName::from_static("x-request-id");
    Router::new()
        .merge(api)
        .merge(docs::router(openapi))
        .route("/healthz", get(|| async { Json(json!({ "status": "ok" })) }))
        .route("/readyz", get(readyz))
        .merge(metrics.router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(app)
        .layer(axum::middleware::from_fn_with_state(metrics, metrics::track))
        .layer(RequestBodyLimitLayer::new(config.server.body_limit_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.server.request_timeout_secs),
        ))
        .layer(CatchPanicLayer::custom(|_| internal_error()))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

async fn readyz(State(app): State<App>) -> Response {
    match app.db.ping().await {
        Ok(()) => Json(json!({ "status": "ready" })).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable" }))).into_response()
        }
    }
}

/// The envelope of the dialect that owns a path, for answers no handler gave.
fn envelope_for(path: &str, status: StatusCode, message: &str) -> Response {
    let body = if path.starts_with("/openapi/") || path.starts_with("/api/") {
        let code = if status == StatusCode::NOT_FOUND { 5 } else { 1 };
        json!({ "code": code, "msg": message, "data": null })
    } else if path.starts_with("/rest/") {
        json!({ "status_code": 1, "message": message, "data": null })
    } else if path.starts_with("/index/") {
        json!({ "code": 0, "msg": message, "time": "", "data": null })
    } else {
        json!({ "error": { "code": status.as_u16(), "message": message } })
    };
    (status, Json(body)).into_response()
}

async fn not_found(uri: Uri) -> Response {
    envelope_for(uri.path(), StatusCode::NOT_FOUND, &format!("no such endpoint: {}", uri.path()))
}

async fn method_not_allowed(req: Request) -> Response {
    let msg = format!("method {} is not allowed on {}", req.method(), req.uri().path());
    envelope_for(req.uri().path(), StatusCode::METHOD_NOT_ALLOWED, &msg)
}

fn internal_error() -> Response {
    tracing::error!("a request handler panicked");
    (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({ "error": { "code": 500, "message": "internal error" } })))
        .into_response()
}
