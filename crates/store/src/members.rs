//! Mall members and the SMS captchas they sign up and in with.

use crate::{Result, Tx};
use sqlx::{any::AnyRow, Any, Executor, Row};

#[derive(Debug, Clone, Default)]
pub struct Member {
    pub id: i64,
    pub tenant_id: i64,
    pub username: Option<String>,
    pub phone: Option<String>,
    pub password_hash: Option<String>,
    pub openid: Option<String>,
    pub unionid: Option<String>,
    pub name: String,
    pub real_name: String,
    pub sex: i64,
    pub birthday: Option<String>,
    pub email: Option<String>,
    pub details: String,
    pub avatar: Option<String>,
    pub weixin: Option<String>,
    pub invitation_code: String,
    pub inviter_id: Option<i64>,
    pub status: String,
    pub followed: i64,
    pub follow_time: Option<i64>,
    pub last_login_at: Option<i64>,
    pub created_at: i64,
}

const COLUMNS: &str = "id, tenant_id, username, phone, password_hash, openid, unionid, name, real_name, sex, birthday,
    email, details, avatar, weixin, invitation_code, inviter_id, status, followed, follow_time, last_login_at, created_at";

fn from_row(r: &AnyRow) -> Result<Member> {
    Ok(Member {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        username: r.try_get("username")?,
        phone: r.try_get("phone")?,
        password_hash: r.try_get("password_hash")?,
        openid: r.try_get("openid")?,
        unionid: r.try_get("unionid")?,
        name: r.try_get("name")?,
        real_name: r.try_get("real_name")?,
        sex: r.try_get("sex")?,
        birthday: r.try_get("birthday")?,
        email: r.try_get("email")?,
        details: r.try_get("details")?,
        avatar: r.try_get("avatar")?,
        weixin: r.try_get("weixin")?,
        invitation_code: r.try_get("invitation_code")?,
        inviter_id: r.try_get("inviter_id")?,
        status: r.try_get("status")?,
        followed: r.try_get("followed")?,
        follow_time: r.try_get("follow_time")?,
        last_login_at: r.try_get("last_login_at")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn insert(tx: &mut Tx, m: &Member, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO members (tenant_id, username, phone, password_hash, openid, unionid, name, invitation_code, inviter_id,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(m.tenant_id)
    .bind(m.username.as_deref())
    .bind(m.phone.as_deref())
    .bind(m.password_hash.as_deref())
    .bind(m.openid.as_deref())
    .bind(m.unionid.as_deref())
    .bind(&m.name)
    .bind(&m.invitation_code)
    .bind(m.inviter_id)
    .bind(now)
    .fetch_one(tx.conn())
    .await?)
}

/// Writes back the profile, phone, password and sign-in fields.
pub async fn update<'c, E: Executor<'c, Database = Any>>(e: E, m: &Member, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE members SET phone = $2, password_hash = $3, name = $4, real_name = $5, sex = $6, birthday = $7, email = $8,
             details = $9, last_login_at = $10, openid = $11, unionid = $12, updated_at = $13 WHERE id = $1",
    )
    .bind(m.id)
    .bind(m.phone.as_deref())
    .bind(m.password_hash.as_deref())
    .bind(&m.name)
    .bind(&m.real_name)
    .bind(m.sex)
    .bind(m.birthday.as_deref())
    .bind(m.email.as_deref())
    .bind(&m.details)
    .bind(m.last_login_at)
    .bind(m.openid.as_deref())
    .bind(m.unionid.as_deref())
    .bind(now)
    .execute(e)
    .await?;
    Ok(())
}

/// A member of the tenant by one identifying column.
pub async fn find<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    column: Column,
    value: &str,
) -> Result<Option<Member>> {
    let col = match column {
        Column::Username => "username",
        Column::Phone => "phone",
        Column::Openid => "openid",
        Column::InvitationCode => "invitation_code",
    };
    let sql = format!("SELECT {COLUMNS} FROM members WHERE tenant_id = $1 AND {col} = $2");
    sqlx::query(&sql).bind(tenant_id).bind(value).fetch_optional(e).await?.as_ref().map(from_row).transpose()
}

/// Which column identifies a member in [`find`].
#[derive(Debug, Clone, Copy)]
pub enum Column {
    Username,
    Phone,
    Openid,
    InvitationCode,
}

pub async fn get<'c, E: Executor<'c, Database = Any>>(e: E, tenant_id: i64, id: i64) -> Result<Option<Member>> {
    let sql = format!("SELECT {COLUMNS} FROM members WHERE tenant_id = $1 AND id = $2");
    sqlx::query(&sql).bind(tenant_id).bind(id).fetch_optional(e).await?.as_ref().map(from_row).transpose()
}

/// A captcha as stored.
#[derive(Debug, Clone)]
pub struct Captcha {
    pub id: i64,
    pub code_hash: String,
    pub wrong_tries: i64,
    pub used_at: Option<i64>,
    pub expires_at: i64,
}

/// A captcha to keep.
pub struct NewCaptcha<'a> {
    pub tenant_id: i64,
    pub phone: &'a str,
    pub template: &'a str,
    pub code_hash: &'a str,
    pub client: &'a str,
    pub expires_at: i64,
    pub now: i64,
}

pub async fn insert_captcha<'c, E: Executor<'c, Database = Any>>(e: E, c: &NewCaptcha<'_>) -> Result<()> {
    let NewCaptcha { tenant_id, phone, template, code_hash, client, expires_at, now } = *c;
    sqlx::query(
        "INSERT INTO captchas (tenant_id, phone, template, code_hash, client, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tenant_id)
    .bind(phone)
    .bind(template)
    .bind(code_hash)
    .bind(client)
    .bind(expires_at)
    .bind(now)
    .execute(e)
    .await?;
    Ok(())
}

/// The newest captcha sent to a phone.
pub async fn latest_captcha<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    phone: &str,
) -> Result<Option<Captcha>> {
    let row = sqlx::query(
        "SELECT id, code_hash, wrong_tries, used_at, expires_at FROM captchas WHERE tenant_id = $1 AND phone = $2
         ORDER BY id DESC LIMIT 1",
    )
    .bind(tenant_id)
    .bind(phone)
    .fetch_optional(e)
    .await?;
    row.map(|r| {
        Ok(Captcha {
            id: r.try_get("id")?,
            code_hash: r.try_get("code_hash")?,
            wrong_tries: r.try_get("wrong_tries")?,
            used_at: r.try_get("used_at")?,
            expires_at: r.try_get("expires_at")?,
        })
    })
    .transpose()
}

/// Counts captchas sent to a phone, or from a client address, since `since`.
pub async fn captchas_sent<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    by_client: bool,
    key: &str,
    since: i64,
) -> Result<i64> {
    let col = if by_client { "client" } else { "phone" };
    let sql = format!("SELECT COUNT(*) FROM captchas WHERE tenant_id = $1 AND {col} = $2 AND created_at >= $3");
    Ok(sqlx::query_scalar(&sql).bind(tenant_id).bind(key).bind(since).fetch_one(e).await?)
}

pub async fn wrong_try<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<()> {
    sqlx::query("UPDATE captchas SET wrong_tries = wrong_tries + 1 WHERE id = $1").bind(id).execute(e).await?;
    Ok(())
}

/// Marks a captcha used, once; false when it was used already.
pub async fn use_captcha(tx: &mut Tx, id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query("UPDATE captchas SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes every live token of a subject of `kind`.
pub async fn revoke_all_tokens<'c, E: Executor<'c, Database = Any>>(
    e: E,
    kind: &str,
    subject_id: i64,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE tokens SET revoked_at = $3 WHERE kind = $1 AND subject_id = $2 AND revoked_at IS NULL")
        .bind(kind)
        .bind(subject_id)
        .bind(now)
        .execute(e)
        .await?;
    Ok(())
}
