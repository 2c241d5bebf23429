use super::{answer, Body, MallError, MemberUser};
use crate::extract::lenient;
use axum::extract::{ConnectInfo, State};
use axum::response::Response;
use dingdan_app::members::{self as m, providers::WechatClient, Login, ProfileChanges, Registration};
use dingdan_app::App;
use dingdan_core::time::{format_local, DEFAULT_TZ};
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::SocketAddr;
use utoipa::ToSchema;

const TIME: &str = "%Y-%m-%d %H:%M:%S";

#[derive(Debug, Deserialize, ToSchema)]
pub struct Credentials {
    pub username: Option<String>,
    pub password: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub captcha: Option<String>,
    pub invite_code: Option<String>,
    /// SMS template name (`/rest/pub/sms`), e.g. verify.
    pub name: Option<String>,
    pub old_password: Option<String>,
    pub new_password: Option<String>,
    pub code: Option<String>,
    pub openid: Option<String>,
}

fn required<'a>(field: &str, v: &'a Option<String>) -> Result<&'a str, MallError> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| MallError::bad(format!("invalid.{field}: is required")))
}

fn token_answer(s: &m::Session, extra: Value) -> Response {
    let mut data = json!({ "access_token": s.token });
    if let (Some(d), Value::Object(x)) = (data.as_object_mut(), extra) {
        d.extend(x);
    }
    answer("ok", data)
}

/// Registers with user name + password, or phone + captcha; `invite_code` links the inviter.
#[utoipa::path(post, path = "/rest/register", tag = "mall", request_body = Credentials,
    responses((status = 200, description = "`register.success`"), (status = 409, description = "`phone.already.exist` / `username.already.exist`")))]
pub async fn register(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Body<Credentials>,
) -> Result<Response, MallError> {
    let b = body.0;
    let reg = Registration {
        username: b.username,
        password: b.password,
        phone: b.phone,
        captcha: b.captcha,
        invite_code: b.invite_code,
        openid: None,
    };
    m::register(&app, &reg, &peer.ip().to_string()).await?;
    Ok(answer("register.success", Value::Null))
}

/// Sends an SMS captcha with the named template.
#[utoipa::path(post, path = "/rest/pub/sms", tag = "mall", request_body = Credentials,
    responses((status = 200, description = "`ok`"), (status = 429, description = "`captcha.too.frequent`")))]
pub async fn sms(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Body<Credentials>,
) -> Result<Response, MallError> {
    let b = body.0;
    let phone = required("phone", &b.phone)?;
    m::send_captcha(&app, phone, b.name.as_deref().unwrap_or("verify"), &peer.ip().to_string()).await?;
    Ok(answer("ok", Value::Null))
}

/// Checks a captcha without using it up.
#[utoipa::path(post, path = "/rest/pub/sms_verify", tag = "mall", request_body = Credentials,
    responses((status = 200, description = "`ok`"), (status = 400, description = "`invalid.captcha`")))]
pub async fn sms_verify(State(app): State<App>, body: Body<Credentials>) -> Result<Response, MallError> {
    let b = body.0;
    m::verify_captcha(&app, required("phone", &b.phone)?, required("captcha", &b.captcha)?).await?;
    Ok(answer("ok", Value::Null))
}

/// Signs in: user name + password, phone + password, or phone + captcha.
#[utoipa::path(post, path = "/rest/login", tag = "mall", request_body = Credentials,
    responses((status = 200, description = "`data: {access_token}`"), (status = 401, description = "`invalid.username.or.password`")))]
pub async fn login(State(app): State<App>, body: Body<Credentials>) -> Result<Response, MallError> {
    let b = body.0;
    let s = m::login(&app, &Login { username: b.username, phone: b.phone, password: b.password, captcha: b.captcha })
        .await?;
    Ok(token_answer(&s, Value::Null))
}

/// Ends the session of this token.
#[utoipa::path(get, path = "/rest/logout", tag = "mall", responses((status = 200, description = "`logout.success`")))]
pub async fn logout(State(app): State<App>, user: MemberUser) -> Result<Response, MallError> {
    m::logout(&app, &user.token).await?;
    Ok(answer("logout.success", Value::Null))
}

/// Changes the password (the old one is required); every session ends.
#[utoipa::path(post, path = "/rest/password", tag = "mall", request_body = Credentials,
    responses((status = 200, description = "`password.changed`"), (status = 400, description = "`incorrect.old.password`")))]
pub async fn password(
    State(app): State<App>,
    user: MemberUser,
    body: Body<Credentials>,
) -> Result<Response, MallError> {
    let b = body.0;
    m::change_password(
        &app,
        &user.member,
        required("old_password", &b.old_password)?,
        required("new_password", &b.new_password)?,
    )
    .await?;
    Ok(answer("password.changed", Value::Null))
}

/// Sets a new password with phone + captcha.
#[utoipa::path(post, path = "/rest/pub/forget_password", tag = "mall", request_body = Credentials,
    responses((status = 200, description = "`password.reset`"), (status = 400, description = "`invalid.captcha`")))]
pub async fn forget_password(State(app): State<App>, body: Body<Credentials>) -> Result<Response, MallError> {
    let b = body.0;
    m::reset_password(
        &app,
        required("phone", &b.phone)?,
        required("captcha", &b.captcha)?,
        required("password", &b.password)?,
    )
    .await?;
    Ok(answer("password.reset", Value::Null))
}

/// Binds a phone to the member with a captcha sent to it.
#[utoipa::path(post, path = "/rest/phone", tag = "mall", request_body = Credentials,
    responses((status = 200, description = "`phone.updated`"), (status = 400, description = "`captcha.invalid`")))]
pub async fn phone(State(app): State<App>, user: MemberUser, body: Body<Credentials>) -> Result<Response, MallError> {
    let b = body.0;
    m::bind_phone(&app, &user.member, required("phone", &b.phone)?, required("captcha", &b.captcha)?).await.map_err(
        |e| {
            let mut err = MallError::from(e);
            if err.message == "invalid.captcha" {
                err.message = "captcha.invalid".into(); // the document's key for this call
            }
            err
        },
    )?;
    Ok(answer("phone.updated", Value::Null))
}

async fn wechat(app: &App, client: WechatClient, b: Credentials) -> Result<Response, MallError> {
    let (s, id) = m::login_wechat(app, client, required("code", &b.code)?).await?;
    Ok(token_answer(&s, json!({ "openid": id.openid, "unionid": id.unionid })))
}

/// Signs in with the code of the WeChat app authorisation.
#[utoipa::path(post, path = "/rest/login_wxapp", tag = "mall", request_body = Credentials,
    responses((status = 200, description = "`data: {access_token, openid, unionid}`"), (status = 404, description = "`user.not.found` with openid/unionid")))]
pub async fn login_wxapp(State(app): State<App>, body: Body<Credentials>) -> Result<Response, MallError> {
    wechat(&app, WechatClient::App, body.0).await
}

/// Signs in with the mini-program's `wx.login` code.
#[utoipa::path(post, path = "/rest/login_wxa", tag = "mall", request_body = Credentials,
    responses((status = 200, description = "`data: {access_token, openid, unionid}`"), (status = 404, description = "`user.not.found` with openid/unionid")))]
pub async fn login_wxa(State(app): State<App>, body: Body<Credentials>) -> Result<Response, MallError> {
    wechat(&app, WechatClient::MiniProgram, body.0).await
}

/// Registers a mini-program user: phone + captcha + the openid of `login_wxa`.
#[utoipa::path(post, path = "/rest/register_wxa", tag = "mall", request_body = Credentials,
    responses((status = 200, description = "`data: {access_token, openid}`"), (status = 409, description = "`phone.already.exist`")))]
pub async fn register_wxa(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Body<Credentials>,
) -> Result<Response, MallError> {
    let b = body.0;
    let openid = required("openid", &b.openid)?.to_string();
    let s = m::register_wechat(
        &app,
        required("phone", &b.phone)?,
        &openid,
        required("captcha", &b.captcha)?,
        &peer.ip().to_string(),
    )
    .await?;
    Ok(token_answer(&s, json!({ "openid": openid })))
}

/// The member's own profile.
#[utoipa::path(get, path = "/rest/profile", tag = "mall", responses((status = 200, description = "the profile"), (status = 401, description = "`invalid.token`")))]
pub async fn profile(State(app): State<App>, user: MemberUser) -> Result<Response, MallError> {
    let p = &user.member;
    let expires = m::token_expiry(&app, &user.token).await?;
    let tz = dingdan_app::tenant_tz(&app, p.tenant_id).await.unwrap_or(DEFAULT_TZ);
    let time = |ms: Option<i64>| ms.map(|ms| format_local(ms, tz, TIME));
    Ok(answer(
        "ok",
        json!({
            "uid": format!("U{:08}", p.id), "id": p.id, "birthday": p.birthday, "inviter_name": m::inviter_name(&app, p).await?,
            "invitation_code": p.invitation_code,
            "invitation_qrcode": format!("/app/app?invite_code={}", p.invitation_code),
            "invitation_qrcode_url": format!("/rest/pub/invitation_qrcode?invite_code={}", p.invitation_code),
            "inviter_id": p.inviter_id, "sex": p.sex, "register_date": format_local(p.created_at, tz, TIME), "avatar": p.avatar,
            "last_login_date": time(p.last_login_at), "login_name": p.username.clone().or(p.phone.clone()), "weixin": p.weixin,
            "token_expired_date": format_local(expires, tz, TIME), "phone": p.phone, "name": p.name, "real_name": p.real_name,
            "details": p.details, "email": p.email, "status": p.status, "followed": p.followed, "follow_time": time(p.follow_time),
        }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProfileBody {
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub sex: Option<i64>,
    pub details: Option<String>,
    /// `1999/01/22`
    pub birthday: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub real_name: Option<String>,
    /// Changing the phone needs a captcha: use `/rest/phone`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub phone: Option<String>,
}

/// Updates the member's own profile.
#[utoipa::path(post, path = "/rest/profile", tag = "mall", request_body = ProfileBody,
    responses((status = 200, description = "`profile.updated`"), (status = 400, description = "invalid field")))]
pub async fn update_profile(
    State(app): State<App>,
    user: MemberUser,
    body: Body<ProfileBody>,
) -> Result<Response, MallError> {
    let b = body.0;
    if let Some(phone) = b.phone.as_deref().filter(|p| !p.is_empty()) {
        if user.member.phone.as_deref() != Some(phone) {
            return Err(MallError::bad("invalid.phone: change the phone with /rest/phone and a captcha"));
        }
    }
    let c = ProfileChanges {
        sex: b.sex,
        details: b.details,
        birthday: b.birthday,
        email: b.email,
        name: b.name,
        real_name: b.real_name,
    };
    m::update_profile(&app, &user.member, &c).await?;
    Ok(answer("profile.updated", Value::Null))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Ids {
    pub ids: Vec<i64>,
}

/// Public fields (sex, name, id, avatar) of members by id.
#[utoipa::path(post, path = "/rest/pub/user_info", tag = "mall", request_body = Ids,
    responses((status = 200, description = "`data: [{sex, name, id, avatar}]`")))]
pub async fn user_info(State(app): State<App>, body: Body<Ids>) -> Result<Response, MallError> {
    let list = m::public_info(&app, &body.0.ids).await?;
    Ok(answer(
        "ok",
        list.iter().map(|p| json!({ "sex": p.sex, "name": p.name, "id": p.id, "avatar": p.avatar })).collect(),
    ))
}
