//! Mall members: sign-up and sign-in by user name, phone and SMS captcha, or WeChat; tokens;
//! passwords; profiles. Refusals the mall words with its own message keys are
//! [`Refusal`]s; everything else is an [`AppError`].

mod captcha;
pub mod providers;

use crate::auth::{
    burn_verification, hash_password, issue_token, random_token, resolve_token, revoke_token, verify_password,
    TokenKind,
};
use crate::rate::{self, Limit};
use crate::{App, AppError, AuthFailure};
use dingdan_store::members::{self, Column, Member};
use providers::{WechatClient, WechatIdentity};

pub use captcha::{send_captcha, verify_captcha};
pub use dingdan_store::members::Member as MemberRow;

/// A refusal with a meaning of its own in the mall's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    UserNotFound(Option<WechatIdentity>),
    BadCredentials,
    IncorrectOldPassword,
    InvalidCaptcha,
    CaptchaTooFrequent,
    PhoneAlreadyExists,
    UsernameAlreadyExists,
    InvalidPhone,
    WeakPassword,
    InvalidInviteCode,
    WechatFailed(String),
}

#[derive(Debug)]
pub enum MemberError {
    Refused(Refusal),
    App(AppError),
}

impl From<AppError> for MemberError {
    fn from(e: AppError) -> Self {
        MemberError::App(e)
    }
}

impl From<dingdan_store::StoreError> for MemberError {
    fn from(e: dingdan_store::StoreError) -> Self {
        MemberError::App(e.into())
    }
}

impl From<Refusal> for MemberError {
    fn from(r: Refusal) -> Self {
        MemberError::Refused(r)
    }
}

pub type Result<T, E = MemberError> = std::result::Result<T, E>;

/// Members' tokens live this long (`token_expired_date`).
pub const TOKEN_TTL_MS: i64 = 30 * 86_400_000;
/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 6;

/// The merchant the mall serves: the first tenant (the one `--demo` creates).
pub async fn mall_tenant(app: &App) -> Result<i64> {
    let tenants = dingdan_store::tenants::list(app.db.reader()).await?;
    Ok(tenants.first().map(|t| t.id).ok_or(AppError::not_found("tenant"))?)
}

/// Mainland mobile numbers: 11 digits starting 1[3-9].
pub fn valid_phone(phone: &str) -> bool {
    let b = phone.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit)
}

fn check_password(p: &str) -> Result<()> {
    if p.chars().count() < MIN_PASSWORD || p.trim().is_empty() {
        return Err(Refusal::WeakPassword.into());
    }
    Ok(())
}

/// A signed-in member's token and its expiry.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub expires_at: i64,
    pub member: Member,
}

async fn session(app: &App, mut m: Member) -> Result<Session> {
    let now = app.now();
    m.last_login_at = Some(now);
    members::update(app.db.writer(), &m, now).await?;
    let (token, expires_at) = issue_token(app, TokenKind::Member, m.id, Some(m.tenant_id), TOKEN_TTL_MS).await?;
    Ok(Session { token, expires_at, member: m })
}

/// What a registration gives.
#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub username: Option<String>,
    pub password: Option<String>,
    pub phone: Option<String>,
    pub captcha: Option<String>,
    pub invite_code: Option<String>,
    pub openid: Option<WechatIdentity>,
}

/// Registers a member by user name + password, or by phone + captcha (+ password).
pub async fn register(app: &App, reg: &Registration, client: &str) -> Result<Session> {
    let tenant_id = mall_tenant(app).await?;
    rate::check(app, &format!("register:{client}"), Limit { max: 100, window_ms: 60_000 }).await?;
    let username = reg.username.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let phone = reg.phone.as_deref().map(str::trim).filter(|p| !p.is_empty());
    if username.is_none() && phone.is_none() {
        return Err(AppError::invalid("username", "give a user name or a phone").into());
    }
    if let Some(u) = username {
        if u.chars().count() > 50 {
            return Err(AppError::invalid("username", "must be at most 50 characters").into());
        }
        if members::find(app.db.reader(), tenant_id, Column::Username, u).await?.is_some() {
            return Err(Refusal::UsernameAlreadyExists.into());
        }
    }
    match (username, &reg.password) {
        (Some(_), None) if phone.is_none() => return Err(Refusal::WeakPassword.into()),
        (_, Some(p)) => check_password(p)?,
        _ => {}
    }
    let inviter = match reg.invite_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Some(
            members::find(app.db.reader(), tenant_id, Column::InvitationCode, code)
                .await?
                .ok_or(Refusal::InvalidInviteCode)?
                .id,
        ),
        None => None,
    };
    let hash = match &reg.password {
        Some(p) => Some(hash_password(p).await?),
        None => None,
    };
    let mut captcha_id = None;
    if let Some(p) = phone {
        if !valid_phone(p) {
            return Err(Refusal::InvalidPhone.into());
        }
        if members::find(app.db.reader(), tenant_id, Column::Phone, p).await?.is_some() {
            return Err(Refusal::PhoneAlreadyExists.into());
        }
        let code = reg.captcha.as_deref().ok_or(Refusal::InvalidCaptcha)?;
        captcha_id = Some(captcha::check(app, tenant_id, p, code).await?);
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    if let Some(id) = captcha_id {
        captcha::consume(app, &mut tx, id).await?;
    }
    if let Some(id) = &reg.openid {
        if members::find(tx.conn(), tenant_id, Column::Openid, &id.openid).await?.is_some() {
            return Err(AppError::Duplicate("this WeChat account is registered already".into()).into());
        }
    }
    let m = Member {
        tenant_id,
        username: username.map(str::to_string),
        phone: phone.map(str::to_string),
        password_hash: hash,
        openid: reg.openid.as_ref().map(|i| i.openid.clone()),
        unionid: reg.openid.as_ref().and_then(|i| i.unionid.clone()),
        name: username.or(phone).unwrap_or_default().to_string(),
        invitation_code: random_token(32),
        inviter_id: inviter,
        status: "NORMAL".into(),
        created_at: now,
        ..Member::default()
    };
    let id = members::insert(&mut tx, &m, now).await.map_err(|e| match AppError::from(e) {
        AppError::Duplicate(_) => MemberError::Refused(Refusal::PhoneAlreadyExists),
        other => MemberError::App(other),
    })?;
    crate::journal::audit(
        &mut tx,
        &member_actor(tenant_id, id),
        Some(tenant_id),
        now,
        crate::journal::Change {
            entity: "member",
            entity_id: id,
            action: "register",
            from: None,
            to: None,
            detail: Some(
                serde_json::json!({ "by": if phone.is_some() { "phone" } else { "username" }, "inviter": inviter }),
            ),
        },
    )
    .await?;
    crate::journal::emit(
        &mut tx,
        Some(tenant_id),
        now,
        "member_create",
        "member",
        id,
        serde_json::json!({ "member_id": id }),
    )
    .await?;
    tx.commit().await?;
    let m = members::get(app.db.reader(), tenant_id, id).await?.ok_or(AppError::not_found("member"))?;
    session(app, m).await
}

fn member_actor(tenant_id: i64, id: i64) -> crate::Actor {
    crate::Actor { role: crate::Role::Member, id, tenant_id: Some(tenant_id), store_id: None }
}

/// How a member signs in.
#[derive(Debug, Clone, Default)]
pub struct Login {
    pub username: Option<String>,
    pub phone: Option<String>,
    pub password: Option<String>,
    pub captcha: Option<String>,
}

/// Signs in by user name + password, phone + password or phone + captcha. Failed attempts are
/// limited per login name within a window; successes never count.
pub async fn login(app: &App, l: &Login) -> Result<Session> {
    let tenant_id = mall_tenant(app).await?;
    let name = l.username.as_deref().or(l.phone.as_deref()).map(str::trim).filter(|n| !n.is_empty());
    let name = name.ok_or_else(|| AppError::invalid("username", "give a user name or a phone"))?;
    let bucket = format!("member_login:{tenant_id}:{name}");
    rate::check(app, &bucket, Limit { max: 10, window_ms: 15 * 60_000 }).await?;
    let found = match (&l.username, &l.phone) {
        (Some(u), _) if !u.trim().is_empty() => {
            members::find(app.db.reader(), tenant_id, Column::Username, u.trim()).await?
        }
        (_, Some(p)) => members::find(app.db.reader(), tenant_id, Column::Phone, p.trim()).await?,
        _ => None,
    };
    let outcome: Result<Member> = match (found, &l.password, &l.captcha) {
        (Some(m), Some(p), _) => {
            let ok = match &m.password_hash {
                Some(h) => verify_password(h, p).await,
                None => false,
            };
            if ok {
                Ok(m)
            } else {
                Err(Refusal::BadCredentials.into())
            }
        }
        (Some(m), None, Some(code)) => match m.phone.clone() {
            None => Err(Refusal::InvalidCaptcha.into()),
            Some(phone) => match captcha::check(app, tenant_id, &phone, code).await {
                Ok(id) => {
                    let mut tx = app.db.begin().await?;
                    captcha::consume(app, &mut tx, id).await?;
                    tx.commit().await?;
                    Ok(m)
                }
                Err(e) => Err(e),
            },
        },
        (None, password, _) => {
            burn_verification(password.as_deref().unwrap_or("")).await;
            Err(Refusal::BadCredentials.into())
        }
        (Some(_), None, None) => Err(AppError::invalid("password", "give a password or a captcha").into()),
    };
    match outcome {
        Ok(m) => session(app, m).await,
        Err(e) => {
            rate::hit(app, &bucket).await?;
            Err(e)
        }
    }
}

/// The member behind a token.
pub async fn authenticate(app: &App, token: Option<&str>) -> Result<Member> {
    let t = resolve_token(app, TokenKind::Member, token).await?;
    let m = members::get(app.db.reader(), t.tenant_id.unwrap_or(0), t.subject_id).await?;
    Ok(m.ok_or(AppError::Unauthenticated(AuthFailure::Invalid))?)
}

/// The token's expiry (for `token_expired_date`).
pub async fn token_expiry(app: &App, token: &str) -> Result<i64> {
    Ok(resolve_token(app, TokenKind::Member, Some(token)).await?.expires_at)
}

pub async fn logout(app: &App, token: &str) -> Result<()> {
    revoke_token(app, TokenKind::Member, token).await?;
    Ok(())
}

/// Changes the password; every session of the member ends.
pub async fn change_password(app: &App, m: &Member, old: &str, new: &str) -> Result<()> {
    let ok = match &m.password_hash {
        Some(h) => verify_password(h, old).await,
        None => false,
    };
    if !ok {
        return Err(Refusal::IncorrectOldPassword.into());
    }
    check_password(new)?;
    let mut m = m.clone();
    m.password_hash = Some(hash_password(new).await?);
    let now = app.now();
    members::update(app.db.writer(), &m, now).await?;
    members::revoke_all_tokens(app.db.writer(), TokenKind::Member.as_str(), m.id, now).await?;
    Ok(())
}

/// Sets a new password with phone + captcha; every session ends.
pub async fn reset_password(app: &App, phone: &str, code: &str, new: &str) -> Result<()> {
    let tenant_id = mall_tenant(app).await?;
    check_password(new)?;
    let mut m =
        members::find(app.db.reader(), tenant_id, Column::Phone, phone.trim()).await?.ok_or(Refusal::InvalidCaptcha)?;
    let captcha_id = captcha::check(app, tenant_id, phone.trim(), code).await?;
    let hash = hash_password(new).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    captcha::consume(app, &mut tx, captcha_id).await?;
    m.password_hash = Some(hash);
    members::update(tx.conn(), &m, now).await?;
    members::revoke_all_tokens(tx.conn(), TokenKind::Member.as_str(), m.id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Binds (or changes) the member's phone with a captcha sent to it.
pub async fn bind_phone(app: &App, m: &Member, phone: &str, code: &str) -> Result<()> {
    let phone = phone.trim();
    if !valid_phone(phone) {
        return Err(Refusal::InvalidPhone.into());
    }
    if let Some(other) = members::find(app.db.reader(), m.tenant_id, Column::Phone, phone).await? {
        if other.id != m.id {
            return Err(Refusal::PhoneAlreadyExists.into());
        }
    }
    let captcha_id = captcha::check(app, m.tenant_id, phone, code).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    captcha::consume(app, &mut tx, captcha_id).await?;
    let mut m = m.clone();
    m.phone = Some(phone.to_string());
    members::update(tx.conn(), &m, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Signs in with a WeChat code; an unknown WeChat user is refused with its ids.
pub async fn login_wechat(app: &App, client: WechatClient, code: &str) -> Result<(Session, WechatIdentity)> {
    let tenant_id = mall_tenant(app).await?;
    if code.trim().is_empty() {
        return Err(AppError::invalid("code", "is required").into());
    }
    let id = app.wechat.exchange(client, code.trim()).await.map_err(Refusal::WechatFailed)?;
    let m = members::find(app.db.reader(), tenant_id, Column::Openid, &id.openid).await?;
    match m {
        Some(m) => Ok((session(app, m).await?, id)),
        None => Err(Refusal::UserNotFound(Some(id)).into()),
    }
}

/// Registers a mini-program user with phone + captcha + the openid from `login_wxa`.
pub async fn register_wechat(app: &App, phone: &str, openid: &str, code: &str, client: &str) -> Result<Session> {
    if openid.trim().is_empty() {
        return Err(AppError::invalid("openid", "is required").into());
    }
    let reg = Registration {
        phone: Some(phone.into()),
        captcha: Some(code.into()),
        openid: Some(WechatIdentity { openid: openid.trim().into(), unionid: None }),
        ..Registration::default()
    };
    register(app, &reg, client).await
}

/// Profile fields a member may change; `None` keeps the value.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub sex: Option<i64>,
    pub details: Option<String>,
    pub birthday: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub real_name: Option<String>,
}

pub async fn update_profile(app: &App, m: &Member, c: &ProfileChanges) -> Result<()> {
    let mut m = m.clone();
    if let Some(s) = c.sex {
        if !(0..=2).contains(&s) {
            return Err(AppError::invalid("sex", "must be 0 (secret), 1 (male) or 2 (female)").into());
        }
        m.sex = s;
    }
    if let Some(b) = &c.birthday {
        let d = chrono::NaiveDate::parse_from_str(b.trim(), "%Y/%m/%d")
            .or_else(|_| chrono::NaiveDate::parse_from_str(b.trim(), "%Y-%m-%d"))
            .map_err(|_| AppError::invalid("birthday", "must be YYYY/MM/DD"))?;
        m.birthday = Some(d.format("%Y-%m-%d").to_string());
    }
    if let Some(e) = &c.email {
        let e = e.trim();
        if !e.is_empty() && (!e.contains('@') || e.len() > 100) {
            return Err(AppError::invalid("email", "is not an e-mail address").into());
        }
        m.email = Some(e.to_string()).filter(|e| !e.is_empty());
    }
    for (field, value, target) in [
        ("name", &c.name, &mut m.name),
        ("real_name", &c.real_name, &mut m.real_name),
        ("details", &c.details, &mut m.details),
    ] {
        if let Some(v) = value {
            if v.chars().count() > 200 {
                return Err(AppError::invalid(field, "must be at most 200 characters").into());
            }
            *target = v.clone();
        }
    }
    members::update(app.db.writer(), &m, app.now()).await?;
    Ok(())
}

/// Public fields of members by id (unknown ids are left out).
pub async fn public_info(app: &App, ids: &[i64]) -> Result<Vec<Member>> {
    let tenant_id = mall_tenant(app).await?;
    let mut out = Vec::new();
    for id in ids.iter().take(100) {
        if let Some(m) = members::get(app.db.reader(), tenant_id, *id).await? {
            out.push(m);
        }
    }
    Ok(out)
}

/// The inviter's display name.
pub async fn inviter_name(app: &App, m: &Member) -> Result<Option<String>> {
    match m.inviter_id {
        Some(id) => Ok(members::get(app.db.reader(), m.tenant_id, id).await?.map(|i| i.name)),
        None => Ok(None),
    }
}

/// Creates a member directly (demo data, operators): no captcha.
pub async fn create_member(app: &App, username: &str, password: &str, phone: Option<&str>) -> Result<i64> {
    let tenant_id = mall_tenant(app).await?;
    check_password(password)?;
    let now = app.now();
    let hash = hash_password(password).await?;
    let mut tx = app.db.begin().await?;
    let m = Member {
        tenant_id,
        username: Some(username.into()),
        phone: phone.map(str::to_string),
        password_hash: Some(hash),
        name: username.into(),
        invitation_code: random_token(32),
        status: "NORMAL".into(),
        created_at: now,
        ..Member::default()
    };
    let id = members::insert(&mut tx, &m, now).await?;
    crate::journal::audit(
        &mut tx,
        &crate::Actor::system(),
        Some(tenant_id),
        now,
        crate::journal::Change {
            entity: "member",
            entity_id: id,
            action: "create",
            from: None,
            to: None,
            detail: Some(serde_json::json!({ "username": username })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
