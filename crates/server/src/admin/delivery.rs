use super::{AdminError, AdminUser, Body};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use dingdan_app::{delivery, App};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct NewCarrier {
    tenant_id: i64,
    name: String,
}

/// Creates a carrier (the station dialect only lists them).
#[utoipa::path(post, path = "/admin/api/delivery/carriers", tag = "admin", request_body = NewCarrier,
    responses((status = 201, description = "`{carrier_id}`")))]
pub async fn create_carrier(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    body: Body<NewCarrier>,
) -> Result<Response, AdminError> {
    let id = delivery::create_carrier(&app, &a, body.0.tenant_id, &body.0.name).await?;
    Ok((StatusCode::CREATED, Json(json!({ "carrier_id": id }))).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct NewCarModel {
    tenant_id: i64,
    name: String,
    max_load: i64,
}

/// Creates a car model (the station dialect only lists them).
#[utoipa::path(post, path = "/admin/api/delivery/car_models", tag = "admin", request_body = NewCarModel,
    responses((status = 201, description = "`{car_model_id}`")))]
pub async fn create_car_model(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    body: Body<NewCarModel>,
) -> Result<Response, AdminError> {
    let b = body.0;
    let id = delivery::create_car_model(&app, &a, b.tenant_id, &b.name, b.max_load).await?;
    Ok((StatusCode::CREATED, Json(json!({ "car_model_id": id }))).into_response())
}
