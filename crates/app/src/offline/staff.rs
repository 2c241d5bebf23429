use crate::auth::{
    burn_verification, hash_password, issue_token, resolve_token, revoke_token, verify_password, TokenKind,
};
use crate::journal::{self, Change};
use crate::rate::{self, Limit};
use crate::{Actor, App, AppError, AuthFailure, Result, Role};
use dingdan_store::{identities, stores, tenants};
use serde_json::json;

/// A signed-in staff member.
#[derive(Debug, Clone)]
pub struct StaffSession {
    pub token: String,
    pub expires_at: i64,
    pub staff: identities::Staff,
}

/// Signs a staff member (or manager) in. `shop` (the merchant's domain) is needed only when
/// the user name exists at several merchants. Failed attempts are limited per user name and
/// per client address within a window, so guessing stops without locking the real user out
/// for longer than the window.
pub async fn staff_login(
    app: &App,
    shop: Option<&str>,
    username: &str,
    password: &str,
    client: &str,
) -> Result<StaffSession> {
    let s = &app.settings.pickup;
    let user_bucket = format!("staff_login:user:{}", username.trim().to_lowercase());
    let ip_bucket = format!("staff_login:ip:{client}");
    rate::check(app, &user_bucket, Limit { max: s.login_failures, window_ms: s.login_window_ms }).await?;
    rate::check(app, &ip_bucket, Limit { max: s.login_failures * 4, window_ms: s.login_window_ms }).await?;
    let candidates = match shop.map(str::trim).filter(|d| !d.is_empty()) {
        Some(domain) => {
            let tenant = tenants::by_domain(app.db.reader(), &domain.to_lowercase())
                .await?
                .ok_or(AppError::not_found("shop"))?;
            identities::staff_by_username(app.db.reader(), tenant.id, username.trim()).await?.into_iter().collect()
        }
        None => identities::staff_by_username_anywhere(app.db.reader(), username.trim()).await?,
    };
    let candidates: Vec<_> =
        candidates.into_iter().filter(|s| !s.disabled && matches!(s.role.as_str(), "staff" | "manager")).collect();
    if candidates.len() > 1 {
        return Err(AppError::invalid("shop", "this user name exists at several merchants: give the shop domain"));
    }
    let Some(staff) = candidates.into_iter().next() else {
        burn_verification(password).await;
        rate::hit(app, &user_bucket).await?;
        rate::hit(app, &ip_bucket).await?;
        return Err(AppError::Unauthenticated(AuthFailure::BadCredentials));
    };
    if !verify_password(&staff.password_hash, password).await {
        rate::hit(app, &user_bucket).await?;
        rate::hit(app, &ip_bucket).await?;
        let actor = actor_of(&staff)?;
        let now = app.now();
        let mut tx = app.db.begin().await?;
        journal::audit(
            &mut tx,
            &actor,
            Some(staff.tenant_id),
            now,
            Change {
                entity: "staff",
                entity_id: staff.id,
                action: "login_failed",
                from: None,
                to: None,
                detail: Some(json!({ "client": client })),
            },
        )
        .await?;
        tx.commit().await?;
        return Err(AppError::Unauthenticated(AuthFailure::BadCredentials));
    }
    let (token, expires_at) =
        issue_token(app, TokenKind::Staff, staff.id, Some(staff.tenant_id), app.settings.session_ttl_ms).await?;
    Ok(StaffSession { token, expires_at, staff })
}

fn actor_of(staff: &identities::Staff) -> Result<Actor> {
    let role = match staff.role.as_str() {
        "manager" => Role::Manager,
        "staff" => Role::Staff,
        _ => return Err(AppError::Unauthenticated(AuthFailure::Invalid)),
    };
    let store_id = staff.store_id.ok_or(AppError::Forbidden("staff member has no store".into()))?;
    Ok(Actor { role, id: staff.id, tenant_id: Some(staff.tenant_id), store_id: Some(store_id) })
}

/// The staff member behind a staff token, with their store.
pub async fn authenticate_staff(app: &App, token: Option<&str>) -> Result<(Actor, identities::Staff)> {
    let t = resolve_token(app, TokenKind::Staff, token).await?;
    let staff = identities::staff(app.db.reader(), t.subject_id)
        .await?
        .filter(|s| !s.disabled)
        .ok_or(AppError::Unauthenticated(AuthFailure::Invalid))?;
    Ok((actor_of(&staff)?, staff))
}

/// Ends a staff session.
pub async fn staff_logout(app: &App, token: &str) -> Result<()> {
    revoke_token(app, TokenKind::Staff, token).await?;
    Ok(())
}

fn require_manager(actor: &Actor) -> Result<()> {
    if actor.role == Role::Manager {
        Ok(())
    } else {
        Err(AppError::Forbidden("only a store manager may do this".into()))
    }
}

/// The staff of the manager's own store.
pub async fn list_shop_staff(app: &App, actor: &Actor) -> Result<Vec<identities::Staff>> {
    require_manager(actor)?;
    let (tenant_id, store_id) = (actor.tenant_id.unwrap_or(0), actor.store_id);
    let all = identities::list_staff(app.db.reader(), tenant_id, store_id).await?;
    Ok(all.into_iter().filter(|s| matches!(s.role.as_str(), "staff" | "manager")).collect())
}

/// A manager creates a staff member of their own store.
pub async fn create_staff_member(
    app: &App,
    actor: &Actor,
    username: &str,
    password: &str,
) -> Result<identities::Staff> {
    require_manager(actor)?;
    let username = username.trim();
    if username.is_empty() || username.chars().count() > 64 {
        return Err(AppError::invalid("username", "must be 1 to 64 characters"));
    }
    if password.chars().count() < 6 {
        return Err(AppError::invalid("password", "must be at least 6 characters"));
    }
    let tenant_id = actor.tenant_id.ok_or(AppError::Forbidden("no tenant".into()))?;
    let hash = hash_password(password).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let new = identities::NewStaff {
        tenant_id,
        store_id: actor.store_id,
        role: Role::Staff.as_str(),
        username,
        password_hash: &hash,
        display_name: "",
        phone: "",
    };
    let id = identities::insert_staff(tx.conn(), &new, now).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "staff",
            entity_id: id,
            action: "create_staff",
            from: None,
            to: Some("staff"),
            detail: Some(json!({ "username": username })),
        },
    )
    .await?;
    tx.commit().await?;
    identities::staff(app.db.reader(), id).await?.ok_or(AppError::not_found("staff"))
}

/// The offline shops (stores) of the merchant with this domain.
pub async fn offline_shops(app: &App, domain: &str) -> Result<Vec<stores::Store>> {
    let tenant =
        tenants::by_domain(app.db.reader(), &domain.trim().to_lowercase()).await?.ok_or(AppError::not_found("shop"))?;
    Ok(stores::list(app.db.reader(), tenant.id).await?)
}
