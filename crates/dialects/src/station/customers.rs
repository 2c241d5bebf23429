use super::paging::{page, PageParams, Paging};
use super::{key, ApiApp, Body, Query};
use crate::extract::lenient;
use crate::guanmai::{ok, ApiError};
use axum::extract::State;
use axum::response::Response;
use dingdan_app::customers::{self, Customer, CustomerFields};
use dingdan_app::App;
use dingdan_core::ids::{CUSTOMER, CUSTOMER_FINANCE, PRICE_LIST};
use dingdan_core::time::format_local;
use dingdan_core::Fen;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
pub struct CustomerBody {
    /// `S…` (update)
    pub customer_id: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub payer_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub payer_telephone: Option<String>,
    pub restaurant_name: Option<String>,
    pub receiver_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub receiver_telephone: Option<String>,
    /// GB/T 2260 city code, e.g. 440300
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub district_code: Option<String>,
    /// GB/T 2260 district code of that city, e.g. 440308
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub area_level1: Option<String>,
    /// Street code of that district, e.g. 440308003
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub area_level2: Option<String>,
    pub restaurant_address: Option<String>,
    /// `["S…", …]` (a JSON string of a list in forms)
    #[serde(default, deserialize_with = "super::orders::json_list")]
    pub salemenu_ids: Option<Vec<String>>,
}

impl CustomerBody {
    fn fields(self) -> Result<CustomerFields, ApiError> {
        let menus = self
            .salemenu_ids
            .map(|list| {
                list.iter()
                    .map(|m| {
                        PRICE_LIST
                            .parse(m)
                            .ok_or_else(|| ApiError::invalid(format!("salemenu_ids: '{m}' is not a price list id")))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        Ok(CustomerFields {
            username: self.username,
            password: self.password,
            payer_name: self.payer_name,
            payer_telephone: self.payer_telephone,
            restaurant_name: self.restaurant_name,
            receiver_name: self.receiver_name,
            receiver_telephone: self.receiver_telephone,
            district_code: self.district_code,
            area_level1: self.area_level1,
            area_level2: self.area_level2,
            restaurant_address: self.restaurant_address,
            salemenu_ids: menus,
        })
    }
}

/// Creates a customer: its SID (`customer_id`) and its finance account KID, one-to-one.
#[utoipa::path(post, path = "/api/customer/create", tag = "station", request_body = CustomerBody,
    responses((status = 200, description = "`data: {customer_id}` (the SID)"), (status = 400, description = "invalid field or region"),
              (status = 409, description = "username taken")))]
pub async fn create(State(app): State<App>, api: ApiApp, body: Body<CustomerBody>) -> Result<Response, ApiError> {
    let id = customers::create_customer(&app, &api.actor, api.tenant_id, &body.0.fields()?).await?;
    Ok(ok(json!({ "customer_id": CUSTOMER.format(id), "kid": CUSTOMER_FINANCE.format(id) })))
}

async fn do_update(app: App, api: ApiApp, b: CustomerBody) -> Result<Response, ApiError> {
    let id = key(CUSTOMER, "customer_id", b.customer_id.as_deref())?;
    customers::update_customer(&app, &api.actor, api.tenant_id, id, &b.fields()?).await?;
    Ok(ok(Value::Null))
}

/// Changes a customer (the document's spelling of the path).
#[utoipa::path(post, path = "/api/customer/upadte", tag = "station", request_body = CustomerBody,
    responses((status = 200, description = "`data: null`"), (status = 404, description = "no such customer")))]
pub async fn upadte(State(app): State<App>, api: ApiApp, body: Body<CustomerBody>) -> Result<Response, ApiError> {
    do_update(app, api, body.0).await
}

/// Changes a customer (the correct spelling, same as `upadte`).
#[utoipa::path(post, path = "/api/customer/update", tag = "station", request_body = CustomerBody,
    responses((status = 200, description = "`data: null`"), (status = 404, description = "no such customer")))]
pub async fn update(State(app): State<App>, api: ApiApp, body: Body<CustomerBody>) -> Result<Response, ApiError> {
    do_update(app, api, body.0).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerSearch {
    /// Part of the shop name.
    pub search_text: Option<String>,
}

fn list_item(c: &Customer, menus: &[i64], tz: dingdan_core::time::Tz) -> Value {
    let region = customers::region_of(&c.district_code, &c.area_level1, &c.area_level2).ok();
    let (city, district, street) = match region {
        Some((c, d, s)) => (c.name.as_str(), d.name.as_str(), s.name.as_str()),
        None => ("", "", ""),
    };
    json!({
        "KID": CUSTOMER_FINANCE.format(c.id), "SID": CUSTOMER.format(c.id), "customer_id": CUSTOMER.format(c.id),
        "addr_detail": format!("{city}{district}{street}{}", c.address), "area_l1": district, "area_l2": street,
        "area_l1_code": c.area_level1, "area_l2_code": c.area_level2, "district_code": c.district_code,
        "balance": Fen(c.balance).to_yuan(), "check_out": c.check_out, "city": city, "cname": "",
        "create_time": format_local(c.created_at, tz, "%Y-%m-%d"), "finance_status": c.frozen as i64, "keycustomer": 0,
        "name": c.receiver_name, "telephone": c.receiver_phone, "payment_name": c.payer_name,
        "payment_telephone": c.payer_phone,
        "pay_method": if c.pay_method == 1 { "日结" } else { "周结" },
        "settle_way": if c.settle_way == 1 { "先货后款" } else { "先款后货" },
        "resname": c.resname, "user_id": c.id, "username": c.username, "whitelist": c.whitelist,
        "salemenus": menus.iter().map(|m| json!({ "salemenu_id": PRICE_LIST.format(*m) })).collect::<Vec<_>>(),
    })
}

/// Customers, optionally by shop name.
#[utoipa::path(get, path = "/api/customer/list", tag = "station", params(CustomerSearch, PageParams),
    responses((status = 200, description = "`data: [customer]`, `pagenation`")))]
pub async fn list(
    State(app): State<App>,
    api: ApiApp,
    paging: Paging,
    q: Query<CustomerSearch>,
) -> Result<Response, ApiError> {
    let w = paging.window();
    let rows =
        customers::list_customers(&app, &api.actor, api.tenant_id, q.0.search_text.as_deref(), w.skip, w.take).await?;
    let tz = dingdan_app::tenant_tz(&app, api.tenant_id).await?;
    let (rows, pg) = paging.finish(rows);
    Ok(page(rows.iter().map(|(c, m)| list_item(c, m, tz)).collect(), pg))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerId {
    /// The customer's SID (`S…`).
    pub customer_id: Option<String>,
}

/// The customer's city with its districts and their streets (GB/T 2260 codes).
#[utoipa::path(get, path = "/api/area/list", tag = "station", params(CustomerId),
    responses((status = 200, description = "`data: [{name, code, area: [{name, code, street: [{name, code}]}]}]`"),
              (status = 404, description = "no such customer")))]
pub async fn area_list(State(app): State<App>, api: ApiApp, q: Query<CustomerId>) -> Result<Response, ApiError> {
    let id = key(CUSTOMER, "customer_id", q.0.customer_id.as_deref())?;
    let c = customers::get_customer(&app, &api.actor, api.tenant_id, id).await?;
    let Ok((city, _, _)) = customers::region_of(&c.district_code, &c.area_level1, &c.area_level2) else {
        return Ok(ok(json!([])));
    };
    let areas: Vec<Value> = city
        .children
        .iter()
        .map(|d| {
            json!({
                "name": d.name, "code": d.code,
                "street": d.children.iter().map(|s| json!({ "name": s.name, "code": s.code })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(ok(json!([{ "name": city.name, "code": city.code, "area": areas }])))
}
