use super::packages::paging;
use super::wire::{Action, Credentials, Page, PageParams, Session, Shop, ShopParam, Staff};
use super::{Body, Query, StaffUser};
use crate::guanmai::{ok, ApiError, Envelope};
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dingdan_app::{offline, App};
use dingdan_core::time::format_local;
use std::net::SocketAddr;

const TIME: &str = "%Y-%m-%d %H:%M:%S";

/// The offline shops of a merchant.
#[utoipa::path(get, path = "/api/shops/offline_shop/", tag = "offline", params(ShopParam),
    responses((status = 200, description = "`{count, results[]}`", body = Envelope<Page<Shop>>),
              (status = 404, description = "unknown merchant domain")))]
pub async fn offline_shops(State(app): State<App>, q: Query<ShopParam>) -> Result<Response, ApiError> {
    let shop = q.0.shop.filter(|s| !s.trim().is_empty()).ok_or_else(|| ApiError::invalid("shop is required"))?;
    let stores = offline::offline_shops(&app, &shop).await?;
    let results: Vec<Shop> =
        stores.into_iter().map(|s| Shop { id: s.id, name: s.name, address: s.address, phone: s.phone }).collect();
    Ok(ok(Page { count: results.len() as i64, results }))
}

fn staff_json(s: offline::Staff, tz: dingdan_core::time::Tz) -> Staff {
    Staff {
        id: s.id,
        username: s.username,
        role: s.role,
        shop_id: s.store_id,
        created_at: format_local(s.created_at, tz, TIME),
    }
}

/// The staff of the manager's shop.
#[utoipa::path(get, path = "/api/shops/staff/", tag = "offline",
    responses((status = 200, description = "`{count, results[]}`", body = Envelope<Page<Staff>>),
              (status = 403, description = "not a manager")))]
pub async fn list_staff(State(app): State<App>, staff: StaffUser) -> Result<Response, ApiError> {
    let tz = dingdan_app::tenant_tz(&app, staff.actor.tenant_id.unwrap_or(0)).await?;
    let results: Vec<Staff> =
        offline::list_shop_staff(&app, &staff.actor).await?.into_iter().map(|s| staff_json(s, tz)).collect();
    Ok(ok(Page { count: results.len() as i64, results }))
}

/// A manager creates a staff member of their shop.
#[utoipa::path(post, path = "/api/shops/staff/", tag = "offline", request_body = Credentials,
    responses((status = 201, description = "the new staff member", body = Envelope<Staff>),
              (status = 403, description = "not a manager"), (status = 409, description = "user name taken")))]
pub async fn create_staff(
    State(app): State<App>,
    staff: StaffUser,
    body: Body<Credentials>,
) -> Result<Response, ApiError> {
    let b = body.0;
    let username = b.username.ok_or_else(|| ApiError::invalid("username is required"))?;
    let password = b.password.ok_or_else(|| ApiError::invalid("password is required"))?;
    let created = offline::create_staff_member(&app, &staff.actor, &username, &password).await.map_err(|e| {
        let mut err = ApiError::from(e);
        if err.status == StatusCode::CONFLICT {
            err.msg = format!("user name {username} is taken");
        }
        err
    })?;
    let tz = dingdan_app::tenant_tz(&app, created.tenant_id).await?;
    let mut resp = ok(staff_json(created, tz)).into_response();
    *resp.status_mut() = StatusCode::CREATED;
    Ok(resp)
}

/// Staff (and managers) sign in; the token goes in `Authorization` of the other calls.
#[utoipa::path(post, path = "/api/shops/staff_login/", tag = "offline", request_body = Credentials,
    responses((status = 200, description = "a staff token", body = Envelope<Session>),
              (status = 401, description = "wrong user name or password"),
              (status = 429, description = "too many failed sign-ins; try again later")))]
pub async fn staff_login(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Body<Credentials>,
) -> Result<Response, ApiError> {
    let b = body.0;
    let username =
        b.username.filter(|u| !u.trim().is_empty()).ok_or_else(|| ApiError::invalid("username is required"))?;
    let password = b.password.filter(|p| !p.is_empty()).ok_or_else(|| ApiError::invalid("password is required"))?;
    let session = offline::staff_login(&app, b.shop.as_deref(), &username, &password, &peer.ip().to_string())
        .await
        .map_err(|e| {
            let mut err = ApiError::from(e);
            if err.status == StatusCode::UNAUTHORIZED {
                err.msg = "wrong user name or password".into();
            } else if err.status == StatusCode::TOO_MANY_REQUESTS {
                err.msg = "too many failed sign-ins: try again later".into();
            }
            err
        })?;
    let tz = dingdan_app::tenant_tz(&app, session.staff.tenant_id).await?;
    Ok(ok(Session {
        token: session.token,
        username: session.staff.username,
        role: session.staff.role,
        shop_id: session.staff.store_id,
        expire_time: format_local(session.expires_at, tz, TIME),
    }))
}

/// Ends the caller's staff session (revokes the token).
#[utoipa::path(post, path = "/api/shops/staff_logout/", tag = "offline",
    responses((status = 200, description = "`data: null`"), (status = 401, description = "no or invalid token")))]
pub async fn staff_logout(State(app): State<App>, staff: StaffUser) -> Result<Response, ApiError> {
    offline::staff_logout(&app, &staff.token).await?;
    Ok(ok(serde_json::Value::Null))
}

/// The shop's action records, newest first: who did what, when, and the state before and after.
#[utoipa::path(get, path = "/api/shops/action_history/", tag = "offline", params(PageParams),
    responses((status = 200, description = "`{count, results[]}`", body = Envelope<Page<Action>>),
              (status = 401, description = "no or invalid staff token")))]
pub async fn action_history(
    State(app): State<App>,
    staff: StaffUser,
    q: Query<PageParams>,
) -> Result<Response, ApiError> {
    let (limit, offset) = paging(&q.0.limit, &q.0.offset)?;
    let (rows, count) = offline::action_history(&app, &staff.actor, offset, limit).await?;
    let tz = dingdan_app::tenant_tz(&app, staff.actor.tenant_id.unwrap_or(0)).await?;
    let results = rows
        .into_iter()
        .map(|r| Action {
            id: r.id,
            action: r.action,
            staff_id: r.actor_id,
            actor_role: r.actor_role,
            entity: r.entity,
            entity_id: r.entity_id,
            before: r.from_state,
            after: r.to_state,
            detail: r.detail.and_then(|d| serde_json::from_str(&d).ok()).unwrap_or(serde_json::Value::Null),
            created_at: format_local(r.at, tz, TIME),
        })
        .collect();
    Ok(ok(Page { count, results }))
}
