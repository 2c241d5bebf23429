use super::{answer, MallError, Query};
use axum::response::Response;
use dingdan_core::regions::{self, Region};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PcdParams {
    /// `true`: the whole tree.
    pub all: Option<String>,
    /// A province (广东 or 广东省): its cities.
    pub province: Option<String>,
    /// With `province`, a city (广州 or 广州市): its districts.
    pub city: Option<String>,
}

fn node(r: &Region, kind: &str, parent: Option<&Region>) -> Value {
    json!({ "id": r.code.parse::<i64>().unwrap_or(0), "name": r.name, "type": kind,
            "parent_id": parent.map(|p| p.code.parse::<i64>().unwrap_or(0)) })
}

fn tree(r: &Region, kind: &str, parent: Option<&Region>, depth: usize) -> Value {
    let mut v = node(r, kind, parent);
    if depth < 2 {
        let child_kind = if depth == 0 { "c" } else { "d" };
        let children: Vec<Value> = r.children.iter().map(|c| tree(c, child_kind, Some(r), depth + 1)).collect();
        v["area_list"] = Value::from(children);
    }
    v
}

/// Provinces; a province's cities; a city's districts; or (`all=true`) the whole tree.
#[utoipa::path(get, path = "/rest/pcd", tag = "mall", params(PcdParams),
    responses((status = 200, description = "`data: [{id, name, type p/c/d, parent_id}]`"), (status = 404, description = "unknown name")))]
pub async fn pcd(q: Query<PcdParams>) -> Result<Response, MallError> {
    let p = q.0;
    let provinces = regions::provinces();
    if p.all.as_deref().is_some_and(|a| a == "true" || a == "1") {
        return Ok(answer("ok", provinces.iter().map(|r| tree(r, "p", None, 0)).collect()));
    }
    let find = |list: &'static [Region], name: &str| list.iter().find(|r| regions::names(r, name));
    match (p.province.as_deref().filter(|s| !s.is_empty()), p.city.as_deref().filter(|s| !s.is_empty())) {
        (None, None) => Ok(answer("ok", provinces.iter().map(|r| node(r, "p", None)).collect())),
        (Some(pn), None) => {
            let prov = find(provinces, pn)
                .ok_or_else(|| MallError::new(axum::http::StatusCode::NOT_FOUND, "province.not.found"))?;
            Ok(answer("ok", prov.children.iter().map(|c| node(c, "c", Some(prov))).collect()))
        }
        (Some(pn), Some(cn)) => {
            let prov = find(provinces, pn)
                .ok_or_else(|| MallError::new(axum::http::StatusCode::NOT_FOUND, "province.not.found"))?;
            let city = find(&prov.children, cn)
                .ok_or_else(|| MallError::new(axum::http::StatusCode::NOT_FOUND, "city.not.found"))?;
            Ok(answer("ok", city.children.iter().map(|d| node(d, "d", Some(city))).collect()))
        }
        (None, Some(_)) => Err(MallError::bad("invalid.province: give the province with the city")),
    }
}
