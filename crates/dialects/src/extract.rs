use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};
use axum::response::IntoResponse;
use serde::de::DeserializeOwned;
use std::marker::PhantomData;

/// A dialect's way to refuse a malformed request in its own envelope.
pub trait Rejection: IntoResponse + Send {
    fn bad_request(message: String) -> Self;
}

/// The query string parsed into `T`; a malformed one is refused with `E`.
pub struct Query<T, E>(pub T, PhantomData<E>);

impl<S: Send + Sync, T: DeserializeOwned, E: Rejection> FromRequestParts<S> for Query<T, E> {
    type Rejection = E;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, E> {
        let raw = parts.uri.query().unwrap_or("");
        from_form(raw.as_bytes())
            .map(|t| Query(t, PhantomData))
            .map_err(|e| E::bad_request(format!("query string: {e}")))
    }
}

/// A POST body parsed into `T` from JSON or from `application/x-www-form-urlencoded` fields;
/// the documents do not say which, and clients of their era send forms.
pub struct Body<T, E>(pub T, PhantomData<E>);

impl<S: Send + Sync, T: DeserializeOwned, E: Rejection> FromRequest<S> for Body<T, E> {
    type Rejection = E;

    async fn from_request(req: Request, state: &S) -> Result<Self, E> {
        let content_type =
            req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| E::bad_request(format!("cannot read the request body: {e}")))?;
        parse_body(&content_type, &bytes).map(|t| Body(t, PhantomData)).map_err(E::bad_request)
    }
}

/// Parses a body by its content type; without one, JSON is tried first, then a form.
pub fn parse_body<T: DeserializeOwned>(content_type: &str, bytes: &[u8]) -> Result<T, String> {
    let json = || from_json(bytes).map_err(|e| format!("JSON body: {e}"));
    let form = || from_form(bytes).map_err(|e| format!("form body: {e}"));
    if content_type.starts_with("application/json") || content_type.ends_with("+json") {
        json()
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        form()
    } else if bytes.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|b| *b == b'{' || *b == b'[') {
        json()
    } else if bytes.iter().all(u8::is_ascii_whitespace) {
        serde_json::from_str("{}").map_err(|e| format!("a request body is required: {e}"))
    } else {
        form()
    }
}

/// Errors name the field at fault: `status: expected a whole number, got 'abc'`.
fn with_path<T>(r: Result<T, serde_path_to_error::Error<impl std::fmt::Display>>) -> Result<T, String> {
    r.map_err(|e| {
        let path = e.path().to_string();
        if path == "." || path.is_empty() {
            e.into_inner().to_string()
        } else {
            format!("{path}: {}", e.into_inner())
        }
    })
}

fn from_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = with_path(serde_path_to_error::deserialize(&mut de))?;
    de.end().map_err(|e| e.to_string())?;
    Ok(value)
}

fn from_form<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    with_path(serde_path_to_error::deserialize(serde_urlencoded::Deserializer::new(form_urlencoded::parse(bytes))))
}

/// Lenient field readers: JSON clients send numbers, form clients send text; both mean the same.
pub mod lenient {
    use serde::{de, Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrText {
        Int(i64),
        Float(f64),
        Text(String),
    }

    /// An optional integer given as a number or as text; empty text is absent.
    pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        match Option::<NumOrText>::deserialize(d)? {
            None => Ok(None),
            Some(NumOrText::Int(i)) => Ok(Some(i)),
            Some(NumOrText::Float(f)) if f.fract() == 0.0 && f.abs() < 9e15 => Ok(Some(f as i64)),
            Some(NumOrText::Float(f)) => Err(de::Error::custom(format!("expected a whole number, got {f}"))),
            Some(NumOrText::Text(s)) if s.trim().is_empty() => Ok(None),
            Some(NumOrText::Text(s)) => {
                s.trim().parse().map(Some).map_err(|_| de::Error::custom(format!("expected a whole number, got '{s}'")))
            }
        }
    }

    /// An optional decimal given as a number or as text; empty text is absent.
    pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        match Option::<NumOrText>::deserialize(d)? {
            None => Ok(None),
            Some(NumOrText::Int(i)) => Ok(Some(i as f64)),
            Some(NumOrText::Float(f)) => Ok(Some(f)),
            Some(NumOrText::Text(s)) if s.trim().is_empty() => Ok(None),
            Some(NumOrText::Text(s)) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| de::Error::custom(format!("expected a number, got '{s}'"))),
        }
    }

    /// An optional string given as text or as a number.
    pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        match Option::<NumOrText>::deserialize(d)? {
            None => Ok(None),
            Some(NumOrText::Int(i)) => Ok(Some(i.to_string())),
            Some(NumOrText::Float(f)) => Ok(Some(f.to_string())),
            Some(NumOrText::Text(s)) => Ok(Some(s)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Update {
        order_id: String,
        #[serde(default, deserialize_with = "lenient::opt_i64")]
        price: Option<i64>,
        #[serde(default, deserialize_with = "lenient::opt_f64")]
        amount: Option<f64>,
    }

    #[test]
    fn json_and_form_agree() {
        let want = Update { order_id: "PL1".into(), price: Some(728), amount: Some(1.5) };
        let j: Update = parse_body("application/json", br#"{"order_id":"PL1","price":728,"amount":1.5}"#).unwrap();
        let f: Update = parse_body("application/x-www-form-urlencoded", b"order_id=PL1&price=728&amount=1.5").unwrap();
        let s: Update = parse_body("", br#"{"order_id":"PL1","price":"728","amount":"1.5"}"#).unwrap();
        assert_eq!((&j, &f, &s), (&want, &want, &want));
    }

    #[test]
    fn wrong_types_are_refused() {
        assert!(parse_body::<Update>("application/json", br#"{"order_id":"PL1","price":"abc"}"#).is_err());
        assert!(parse_body::<Update>("application/json", br#"{"order_id":"PL1","price":7.5}"#).is_err());
        assert!(parse_body::<Update>("application/json", b"not json").is_err());
    }
}
