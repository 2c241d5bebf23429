//! Passwords are argon2id hashes; bearer tokens are random, handed out once and stored as
//! their SHA-256, with an expiry and a revocation mark.

use crate::{Actor, App, AppError, AuthFailure, Result, Role};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use dingdan_store::identities;
use rand::Rng;
use sha2::{Digest, Sha256};

/// What a token grants; stored with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An open-platform access token (openapi, station).
    Api,
    /// An admin API session.
    Admin,
    /// A store staff session (offline dialect).
    Staff,
    /// A mall member session.
    Member,
}

impl TokenKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Api => "api",
            TokenKind::Admin => "admin",
            TokenKind::Staff => "staff",
            TokenKind::Member => "member",
        }
    }
}

/// Hashes a password with argon2id and a random salt, off the async threads.
pub async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("hashing failed: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// Checks a password against a stored hash, off the async threads. A malformed hash never
/// matches.
pub async fn verify_password(hash: &str, password: &str) -> bool {
    let (hash, password) = (hash.to_owned(), password.to_owned());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash that matches nothing, used to spend the same time when a user is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0hJqD1HvVAm6Uf7mkN3H3b3FRRDEu+kslbuGk3x1qBs";

/// Spends the time of one verification when there is nothing to verify against.
pub async fn burn_verification(password: &str) {
    let _ = verify_password(DUMMY_HASH, password).await;
}

/// A random token of `len` lowercase letters and digits, like the documents' examples.
pub fn random_token(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..len).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Issues a token of `kind` for `subject_id`; returns it and its expiry.
pub async fn issue_token(
    app: &App,
    kind: TokenKind,
    subject_id: i64,
    tenant_id: Option<i64>,
    ttl_ms: i64,
) -> Result<(String, i64)> {
    let token = random_token(32);
    let now = app.now();
    let expires_at = now + ttl_ms;
    identities::insert_token(
        app.db.writer(),
        &token_hash(&token),
        kind.as_str(),
        subject_id,
        tenant_id,
        expires_at,
        now,
    )
    .await?;
    Ok((token, expires_at))
}

/// Looks a presented token up: it must exist, be of `kind`, not be revoked or expired.
pub async fn resolve_token(app: &App, kind: TokenKind, token: Option<&str>) -> Result<identities::Token> {
    let token =
        token.map(str::trim).filter(|t| !t.is_empty()).ok_or(AppError::Unauthenticated(AuthFailure::Missing))?;
    if token.len() > 256 {
        return Err(AppError::Unauthenticated(AuthFailure::Invalid));
    }
    let hash = token_hash(token);
    let cached = if kind == TokenKind::Api { app.api_tokens.get(&hash) } else { None };
    let stored = match cached {
        Some(t) => t,
        None => {
            let t = identities::token(app.db.reader(), &hash)
                .await?
                .filter(|t| t.kind == kind.as_str() && t.revoked_at.is_none())
                .ok_or(AppError::Unauthenticated(AuthFailure::Invalid))?;
            if kind == TokenKind::Api {
                app.api_tokens.put(hash, t.clone());
            }
            t
        }
    };
    if stored.expires_at <= app.now() {
        return Err(AppError::Unauthenticated(AuthFailure::Expired));
    }
    Ok(stored)
}

/// Revokes a live token of `kind`; true when there was one. API access tokens are never
/// revoked (they expire), which is what lets a process keep the ones it has read: a cached
/// token answers exactly as the database would, its expiry being checked on every use.
pub async fn revoke_token(app: &App, kind: TokenKind, token: &str) -> Result<bool> {
    debug_assert!(kind != TokenKind::Api, "API access tokens expire; nothing revokes them");
    Ok(identities::revoke_token(app.db.writer(), kind.as_str(), &token_hash(token), app.now()).await?)
}

/// Exchanges an API app's access_id and secret for an access token (openapi and station).
/// Returns the token, its expiry and the app's tenant.
pub async fn api_access_token(app: &App, access_id: &str, secret: &str) -> Result<(String, i64, i64)> {
    let found = identities::app_by_access_id(app.db.reader(), access_id).await?;
    let Some(api_app) = found.filter(|a| !a.disabled) else {
        burn_verification(secret).await;
        return Err(AppError::Unauthenticated(AuthFailure::BadCredentials));
    };
    if !verify_password(&api_app.secret_hash, secret).await {
        return Err(AppError::Unauthenticated(AuthFailure::BadCredentials));
    }
    let (token, expires_at) =
        issue_token(app, TokenKind::Api, api_app.id, Some(api_app.tenant_id), app.settings.api_token_ttl_ms).await?;
    Ok((token, expires_at, api_app.tenant_id))
}

/// The API app behind an access token.
pub async fn authenticate_api(app: &App, token: Option<&str>) -> Result<Actor> {
    let t = resolve_token(app, TokenKind::Api, token).await?;
    Ok(Actor { role: Role::ApiApp, id: t.subject_id, tenant_id: t.tenant_id, store_id: None })
}

/// Signs an admin in with user name and password.
pub async fn admin_login(app: &App, username: &str, password: &str) -> Result<(String, i64)> {
    let Some(admin) = identities::admin_by_username(app.db.reader(), username).await? else {
        burn_verification(password).await;
        return Err(AppError::Unauthenticated(AuthFailure::BadCredentials));
    };
    if !verify_password(&admin.password_hash, password).await {
        return Err(AppError::Unauthenticated(AuthFailure::BadCredentials));
    }
    issue_token(app, TokenKind::Admin, admin.id, None, app.settings.session_ttl_ms).await
}

/// The platform admin behind an admin token.
pub async fn authenticate_admin(app: &App, token: Option<&str>) -> Result<Actor> {
    let t = resolve_token(app, TokenKind::Admin, token).await?;
    Ok(Actor { role: Role::Admin, id: t.subject_id, tenant_id: None, store_id: None })
}

/// Fails unless `actor` may act in `tenant_id`.
pub fn ensure_tenant(actor: &Actor, tenant_id: i64) -> Result<()> {
    if actor.can_access_tenant(tenant_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden("not your tenant".into()))
    }
}

/// The tenant an actor acts in; admins must name one.
pub fn tenant_of(actor: &Actor, requested: Option<i64>) -> Result<i64> {
    match (actor.tenant_id, requested) {
        (Some(own), None) => Ok(own),
        (Some(own), Some(t)) if own == t => Ok(own),
        (Some(_), Some(_)) => Err(AppError::Forbidden("not your tenant".into())),
        (None, Some(t)) => Ok(t),
        (None, None) => Err(AppError::invalid("tenant_id", "is required")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_verify_and_differ() {
        let h = hash_password("s3cret").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "s3cret").await);
        assert!(!verify_password(&h, "s3cret ").await);
        assert!(!verify_password("garbage", "s3cret").await);
        assert_ne!(h, hash_password("s3cret").await.unwrap());
    }

    #[test]
    fn tokens_look_like_the_documents() {
        let t = random_token(32);
        assert_eq!(t.len(), 32);
        assert!(t.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        assert_ne!(t, random_token(32));
        assert_eq!(token_hash("a").len(), 64);
    }
}
