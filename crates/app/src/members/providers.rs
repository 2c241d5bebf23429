//! The outside services members sign in through: an SMS gateway and WeChat's code exchange.
//! Each is a trait with a real HTTP client (configurable endpoint and credentials) and a
//! development provider: `log` writes SMS codes to the log, `sandbox` accepts any WeChat code.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends a captcha by SMS.
pub trait SmsSender: Send + Sync {
    fn send<'a>(&'a self, phone: &'a str, template: &'a str, code: &'a str) -> BoxFuture<'a, Result<(), String>>;
}

/// Writes `phone=<number> code=<code>` at INFO level: for development and `--demo`.
pub struct LogSms;

impl SmsSender for LogSms {
    fn send<'a>(&'a self, phone: &'a str, template: &'a str, code: &'a str) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            tracing::info!("sms template={template} phone={phone} code={code}");
            Ok(())
        })
    }
}

/// An SMS gateway over HTTP: `POST {endpoint}` with `{phone, template, code, sign_name}` and
/// `Authorization: Bearer {api_key}`; any 2xx is accepted.
pub struct HttpSms {
    pub endpoint: String,
    pub api_key: String,
    pub sign_name: String,
    pub client: reqwest::Client,
}

impl HttpSms {
    pub fn new(endpoint: &str, api_key: &str, sign_name: &str) -> HttpSms {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap_or_default();
        HttpSms { endpoint: endpoint.into(), api_key: api_key.into(), sign_name: sign_name.into(), client }
    }
}

impl SmsSender for HttpSms {
    fn send<'a>(&'a self, phone: &'a str, template: &'a str, code: &'a str) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let body =
                serde_json::json!({ "phone": phone, "template": template, "code": code, "sign_name": self.sign_name });
            let r = self
                .client
                .post(&self.endpoint)
                .bearer_auth(&self.api_key)
                .json(&body)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if r.status().is_success() {
                Ok(())
            } else {
                Err(format!("SMS gateway answered {}", r.status()))
            }
        })
    }
}

/// Where a WeChat code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WechatClient {
    /// A mobile app (OAuth `sns/oauth2/access_token`).
    App,
    /// A mini-program (`sns/jscode2session`).
    MiniProgram,
}

/// The identity behind a WeChat code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WechatIdentity {
    pub openid: String,
    pub unionid: Option<String>,
}

/// Exchanges a WeChat code for the user's openid (and unionid).
pub trait WechatAuth: Send + Sync {
    fn exchange<'a>(&'a self, client: WechatClient, code: &'a str) -> BoxFuture<'a, Result<WechatIdentity, String>>;
}

/// Accepts any code and derives stable ids from it: for development and `--demo`.
pub struct SandboxWechat;

impl WechatAuth for SandboxWechat {
    fn exchange<'a>(&'a self, _client: WechatClient, code: &'a str) -> BoxFuture<'a, Result<WechatIdentity, String>> {
        Box::pin(async move {
            let h = crate::auth::token_hash(code);
            Ok(WechatIdentity {
                openid: format!("sandbox-{}", &h[..24]),
                unionid: Some(format!("sandbox-u-{}", &h[24..44])),
            })
        })
    }
}

/// WeChat's HTTP API at `base_url` (`https://api.weixin.qq.com` in production).
pub struct HttpWechat {
    pub base_url: String,
    pub app_id: String,
    pub app_secret: String,
    pub mini_app_id: String,
    pub mini_secret: String,
    pub client: reqwest::Client,
}

impl HttpWechat {
    pub fn new(base_url: &str, app: (&str, &str), mini: (&str, &str)) -> HttpWechat {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap_or_default();
        HttpWechat {
            base_url: base_url.trim_end_matches('/').into(),
            app_id: app.0.into(),
            app_secret: app.1.into(),
            mini_app_id: mini.0.into(),
            mini_secret: mini.1.into(),
            client,
        }
    }
}

impl WechatAuth for HttpWechat {
    fn exchange<'a>(&'a self, client: WechatClient, code: &'a str) -> BoxFuture<'a, Result<WechatIdentity, String>> {
        Box::pin(async move {
            let request = match client {
                WechatClient::App => self.client.get(format!("{}/sns/oauth2/access_token", self.base_url)).query(&[
                    ("appid", self.app_id.as_str()),
                    ("secret", self.app_secret.as_str()),
                    ("code", code),
                    ("grant_type", "authorization_code"),
                ]),
                WechatClient::MiniProgram => self.client.get(format!("{}/sns/jscode2session", self.base_url)).query(&[
                    ("appid", self.mini_app_id.as_str()),
                    ("secret", self.mini_secret.as_str()),
                    ("js_code", code),
                    ("grant_type", "authorization_code"),
                ]),
            };
            let v: serde_json::Value =
                request.send().await.map_err(|e| e.to_string())?.json().await.map_err(|e| e.to_string())?;
            if let Some(code) = v.get("errcode").and_then(|c| c.as_i64()).filter(|c| *c != 0) {
                return Err(format!("wechat error {code}: {}", v["errmsg"].as_str().unwrap_or("")));
            }
            let openid =
                v["openid"].as_str().filter(|s| !s.is_empty()).ok_or("wechat answered without openid")?.to_string();
            Ok(WechatIdentity { openid, unionid: v["unionid"].as_str().map(str::to_string) })
        })
    }
}
