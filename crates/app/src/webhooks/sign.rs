//! The message envelope and its signature (docs/webhooks.md).
//!
//! The body is the document's envelope `{version, appid, ts, type, …fields}` serialised as JSON
//! with sorted keys, then `"sign"` appended as the last field. `sign` is the lowercase hex
//! HMAC-SHA256, keyed by the subscription's secret, of the body *without* the sign field —
//! exactly the bytes before `,"sign":"` followed by `}`. `ts` is inside the signed bytes, so a
//! receiver can refuse old messages.

use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

/// HMAC-SHA256 of `bytes` as lowercase hex.
pub fn hmac_hex(secret: &str, bytes: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(bytes);
    hex::encode(mac.finalize().into_bytes())
}

/// The unsigned envelope bytes of an event.
pub fn unsigned(appid: &str, ts: i64, event_type: &str, payload: &str) -> Vec<u8> {
    let mut body: Map<String, Value> = match serde_json::from_str::<Value>(payload) {
        Ok(Value::Object(fields)) => fields,
        _ => Map::new(),
    };
    body.insert("version".into(), Value::from("1.0"));
    body.insert("appid".into(), Value::from(appid));
    body.insert("ts".into(), Value::from(ts));
    body.insert("type".into(), Value::from(event_type));
    body.remove("sign");
    serde_json::to_vec(&Value::Object(body)).unwrap_or_else(|_| b"{}".to_vec())
}

/// The delivered bytes: the unsigned envelope with `"sign"` as its last field; and the sign.
pub fn signed(unsigned: &[u8], secret: &str) -> (Vec<u8>, String) {
    let sign = hmac_hex(secret, unsigned);
    let mut out = unsigned[..unsigned.len().saturating_sub(1)].to_vec();
    if out.len() > 1 {
        out.push(b',');
    }
    out.extend_from_slice(format!("\"sign\":\"{sign}\"}}").as_bytes());
    (out, sign)
}

/// A receiver's check: recompute the sign of a delivered body.
pub fn verify(delivered: &[u8], secret: &str) -> bool {
    let marker = b",\"sign\":\"";
    let Some(pos) = delivered.windows(marker.len()).rposition(|w| w == marker) else {
        return false;
    };
    let mut unsigned = delivered[..pos].to_vec();
    unsigned.push(b'}');
    let sign = &delivered[pos + marker.len()..delivered.len().saturating_sub(2)];
    hmac_hex(secret, &unsigned).as_bytes() == sign
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies() {
        let u = unsigned("demo-station", 1588888888, "sku_updated", r#"{"sku_id":"D00001","stocks":100}"#);
        let (body, sign) = signed(&u, "s3cret");
        let text = String::from_utf8(body.clone()).unwrap();
        assert!(text.starts_with(r#"{"appid":"demo-station","sku_id":"D00001","stocks":100,"ts":1588888888,"type":"sku_updated","version":"1.0","sign":""#));
        assert_eq!(sign.len(), 64);
        assert!(verify(&body, "s3cret"));
        assert!(!verify(&body, "other"));
        let tampered = text.replace("\"stocks\":100", "\"stocks\":999");
        assert!(!verify(tampered.as_bytes(), "s3cret"));
    }
}
