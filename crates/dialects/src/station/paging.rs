//! The station's pagination: `page` is an opaque cursor returned by the previous answer (absent:
//! from the start), `offset` skips rows after it (default 0), `limit` takes at most 100 (default
//! 20). Answers carry `pagenation {page, more}` (sic).

use crate::guanmai::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use dingdan_app::catalog::ListWindow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The `pagenation.page` of the previous answer; absent for the first page.
    pub page: Option<String>,
    /// Rows to skip after the cursor; default 0.
    pub offset: Option<String>,
    /// Default 20, at most 100.
    pub limit: Option<String>,
}

/// The pagination block of list answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Pagenation {
    /// The cursor of the next page; `null` when there is none.
    pub page: Option<String>,
    pub more: bool,
}

/// A parsed page request.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    start: i64,
    pub limit: i64,
}

const CURSOR_PREFIX: &str = "pg";
/// Keyset cursors (`ko<key>.<id>`, hex) of lists that page by a sort key and id.
const KEYSET_PREFIX: &str = "ko";

impl Paging {
    pub fn parse(p: &PageParams) -> Result<Paging, ApiError> {
        let num = |name: &str, v: &Option<String>, default: i64| match v.as_deref().map(str::trim) {
            None | Some("") => Ok(default),
            Some(t) => t.parse::<i64>().map_err(|_| ApiError::invalid(format!("{name} must be a whole number"))),
        };
        let offset = num("offset", &p.offset, 0)?;
        let limit = num("limit", &p.limit, 20)?;
        if offset < 0 {
            return Err(ApiError::invalid("offset must not be negative"));
        }
        if !(1..=100).contains(&limit) {
            return Err(ApiError::invalid("limit must be between 1 and 100"));
        }
        let cursor = match p.page.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => 0,
            Some(t) if t.starts_with(KEYSET_PREFIX) => {
                return Err(ApiError::invalid("page is a cursor of another list"));
            }
            Some(t) => t
                .strip_prefix(CURSOR_PREFIX)
                .and_then(|hex| i64::from_str_radix(hex, 16).ok())
                .filter(|n| *n >= 0)
                .ok_or_else(|| ApiError::invalid("page is not a cursor from a previous answer"))?,
        };
        Ok(Paging { start: cursor.saturating_add(offset), limit })
    }

    /// The rows to read: one more than the page, to know whether there are more.
    pub fn window(&self) -> ListWindow {
        ListWindow { skip: self.start, take: self.limit + 1 }
    }

    /// Cuts the extra row and says where the next page starts.
    pub fn finish<T>(&self, mut rows: Vec<T>) -> (Vec<T>, Pagenation) {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit as usize);
        let next = self.start + rows.len() as i64;
        (rows, Pagenation { page: more.then(|| format!("{CURSOR_PREFIX}{next:x}")), more })
    }
}

/// Pagination by keyset: the cursor names the last row's sort key and id, and the next page starts
/// right after it, so page N costs what page 1 costs and rows added meanwhile shift nothing.
/// `offset` still skips rows after the cursor.
#[derive(Debug, Clone, Copy)]
pub struct KeyedPaging {
    /// The last row of the previous page, or an offset cursor of an older answer.
    pub after: Option<(i64, i64)>,
    pub window: ListWindow,
    limit: i64,
}

impl KeyedPaging {
    pub fn parse(p: &PageParams) -> Result<KeyedPaging, ApiError> {
        let keyset = p.page.as_deref().map(str::trim).and_then(|t| t.strip_prefix(KEYSET_PREFIX));
        let Some(keys) = keyset else {
            let plain = Paging::parse(p)?;
            return Ok(KeyedPaging { after: None, window: plain.window(), limit: plain.limit });
        };
        let bad = || ApiError::invalid("page is not a cursor from a previous answer");
        let (key, id) = keys.split_once('.').ok_or_else(bad)?;
        let hex = |t: &str| u64::from_str_radix(t, 16).map(|v| v as i64).map_err(|_| bad());
        let after = Some((hex(key)?, hex(id)?));
        let plain = Paging::parse(&PageParams { page: None, offset: p.offset.clone(), limit: p.limit.clone() })?;
        Ok(KeyedPaging { after, window: plain.window(), limit: plain.limit })
    }

    /// Cuts the extra row; the next page's cursor is the last row's (key, id).
    pub fn finish<T>(&self, mut rows: Vec<T>, key_of: impl Fn(&T) -> (i64, i64)) -> (Vec<T>, Pagenation) {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit as usize);
        let page = more
            .then(|| rows.last().map(&key_of))
            .flatten()
            .map(|(k, id)| format!("{KEYSET_PREFIX}{:x}.{:x}", k as u64, id as u64));
        (rows, Pagenation { page, more })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for KeyedPaging {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        KeyedPaging::parse(&page_params(parts)?)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Paging {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Paging::parse(&page_params(parts)?)
    }
}

/// The paging parameters of a request's query string.
fn page_params(parts: &Parts) -> Result<PageParams, ApiError> {
    serde_urlencoded::from_str(parts.uri.query().unwrap_or(""))
        .map_err(|e| ApiError::invalid(format!("query string: {e}")))
}

/// A list answer: `{code, msg, data: [...], pagenation}`.
pub fn page<T: Serialize>(data: Vec<T>, pagenation: Pagenation) -> axum::response::Response {
    use axum::response::IntoResponse;
    axum::Json(serde_json::json!({ "code": 0, "msg": "ok", "data": data, "pagenation": pagenation })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(page: Option<&str>, offset: Option<&str>, limit: Option<&str>) -> PageParams {
        PageParams { page: page.map(Into::into), offset: offset.map(Into::into), limit: limit.map(Into::into) }
    }

    #[test]
    fn cursors_walk_forward() {
        let p = Paging::parse(&params(None, None, Some("2"))).unwrap();
        let (rows, pg) = p.finish(vec![1, 2, 3]);
        assert_eq!((rows, pg.more), (vec![1, 2], true));
        let next = Paging::parse(&params(pg.page.as_deref(), None, Some("2"))).unwrap();
        assert_eq!(next.window().skip, 2);
        let (_, last) = next.finish(vec![3]);
        assert_eq!((last.more, last.page), (false, None));
    }

    #[test]
    fn keyset_cursors_name_the_last_row() {
        let p = KeyedPaging::parse(&params(None, None, Some("2"))).unwrap();
        let (rows, pg) = p.finish(vec![(9, 3), (9, 2), (7, 5)], |r| *r);
        assert_eq!((rows.len(), pg.page.as_deref()), (2, Some("ko9.2")));
        let next = KeyedPaging::parse(&params(pg.page.as_deref(), Some("1"), Some("2"))).unwrap();
        assert_eq!((next.after, next.window.skip, next.window.take), (Some((9, 2)), 1, 3));
        // An offset cursor of an older answer still works; a keyset cursor elsewhere does not.
        assert_eq!(KeyedPaging::parse(&params(Some("pg4"), None, None)).unwrap().window.skip, 4);
        assert!(Paging::parse(&params(Some("ko9.2"), None, None)).is_err());
        assert!(KeyedPaging::parse(&params(Some("ko9"), None, None)).is_err());
        assert!(KeyedPaging::parse(&params(Some("kozz.1"), None, None)).is_err());
    }

    #[test]
    fn refuses_bad_input() {
        assert!(Paging::parse(&params(Some("zz"), None, None)).is_err());
        assert!(Paging::parse(&params(Some("pg-1"), None, None)).is_err());
        assert!(Paging::parse(&params(None, Some("-1"), None)).is_err());
        assert!(Paging::parse(&params(None, None, Some("101"))).is_err());
        assert!(Paging::parse(&params(None, None, Some("0"))).is_err());
    }
}
