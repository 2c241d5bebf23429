//! SMS captchas: six random digits, five minutes of life, single use, a few wrong tries, and
//! sending limits per phone and per client address (ENDPOINTS.md "Further decisions").

use super::{mall_tenant, valid_phone, Refusal, Result};
use crate::auth::token_hash;
use crate::App;
use dingdan_store::members::{self, NewCaptcha};
use dingdan_store::Tx;
use rand::Rng;

pub const LIFE_MS: i64 = 5 * 60_000;
pub const PER_PHONE_MINUTE: i64 = 1;
pub const PER_PHONE_DAY: i64 = 10;
pub const PER_CLIENT_DAY: i64 = 10;
pub const WRONG_TRIES: i64 = 5;

/// Sends a new captcha to `phone` with the template `name`.
pub async fn send_captcha(app: &App, phone: &str, template: &str, client: &str) -> Result<()> {
    let tenant_id = mall_tenant(app).await?;
    let phone = phone.trim();
    if !valid_phone(phone) {
        return Err(Refusal::InvalidPhone.into());
    }
    let now = app.now();
    let db = app.db.reader();
    if members::captchas_sent(db, tenant_id, false, phone, now - 60_000).await? >= PER_PHONE_MINUTE
        || members::captchas_sent(db, tenant_id, false, phone, now - 86_400_000).await? >= PER_PHONE_DAY
        || members::captchas_sent(db, tenant_id, true, client, now - 86_400_000).await? >= PER_CLIENT_DAY
    {
        return Err(Refusal::CaptchaTooFrequent.into());
    }
    let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
    let template = if template.trim().is_empty() { "verify" } else { template.trim() };
    app.sms.send(phone, template, &code).await.map_err(|e| crate::AppError::Internal(format!("sms: {e}")))?;
    let c = NewCaptcha {
        tenant_id,
        phone,
        template,
        code_hash: &token_hash(&format!("{phone}:{code}")),
        client,
        expires_at: now + LIFE_MS,
        now,
    };
    members::insert_captcha(app.db.writer(), &c).await?;
    Ok(())
}

/// Checks a captcha without using it up; a wrong one counts against its tries.
pub async fn verify_captcha(app: &App, phone: &str, code: &str) -> Result<()> {
    let tenant_id = mall_tenant(app).await?;
    check(app, tenant_id, phone.trim(), code).await.map(|_| ())
}

/// Checks a captcha (counting a wrong one) and returns its id, before the transaction that
/// will use it up with [`consume`]: the wrong-try count must stick even when that rolls back.
pub(super) async fn check(app: &App, tenant_id: i64, phone: &str, code: &str) -> Result<i64> {
    let c = members::latest_captcha(app.db.reader(), tenant_id, phone).await?.ok_or(Refusal::InvalidCaptcha)?;
    if c.used_at.is_some() || c.expires_at <= app.now() || c.wrong_tries >= WRONG_TRIES {
        return Err(Refusal::InvalidCaptcha.into());
    }
    if token_hash(&format!("{phone}:{}", code.trim())) != c.code_hash {
        members::wrong_try(app.db.writer(), c.id).await?;
        return Err(Refusal::InvalidCaptcha.into());
    }
    Ok(c.id)
}

/// Uses a checked captcha up inside the transaction of the change that relies on it; exactly
/// once, even when two requests race with the same code.
pub(super) async fn consume(app: &App, tx: &mut Tx, id: i64) -> Result<()> {
    if !members::use_captcha(tx, id, app.now()).await? {
        return Err(Refusal::InvalidCaptcha.into());
    }
    Ok(())
}
