//! B2B customers (restaurants, shops) of the station dialect. A customer's region is three
//! GB/T 2260 codes: its city (`district_code`), district (`area_level1`) and street
//! (`area_level2`), checked against the real division data.

use crate::auth::{ensure_tenant, hash_password};
use crate::journal::{self, Change};
use crate::{Actor, App, AppError, Result};
use dingdan_core::ids;
use dingdan_core::regions::{self, Region};
use dingdan_store::{catalog, customers};
use serde_json::json;

pub use dingdan_store::customers::Customer;

/// A customer's fields as create and update give them; on update `None` keeps the value.
#[derive(Debug, Clone, Default)]
pub struct CustomerFields {
    pub username: Option<String>,
    pub password: Option<String>,
    pub payer_name: Option<String>,
    pub payer_telephone: Option<String>,
    pub restaurant_name: Option<String>,
    pub receiver_name: Option<String>,
    pub receiver_telephone: Option<String>,
    pub district_code: Option<String>,
    pub area_level1: Option<String>,
    pub area_level2: Option<String>,
    pub restaurant_address: Option<String>,
    pub salemenu_ids: Option<Vec<i64>>,
}

/// The city, district and street of a customer's codes, checked to nest.
pub fn region_of(
    city: &str,
    district: &str,
    street: &str,
) -> Result<(&'static Region, &'static Region, &'static Region)> {
    let city_path = regions::path(city).filter(|p| p.len() == 2).ok_or_else(|| {
        AppError::invalid("district_code", format!("'{city}' is not a GB/T 2260 city code (e.g. 440300)"))
    })?;
    let district_path =
        regions::path(district).filter(|p| p.len() == 3 && p[1].code == city_path[1].code).ok_or_else(|| {
            AppError::invalid("area_level1", format!("'{district}' is not a district code of {}", city_path[1].name))
        })?;
    let street_path =
        regions::path(street).filter(|p| p.len() == 4 && p[2].code == district_path[2].code).ok_or_else(|| {
            AppError::invalid("area_level2", format!("'{street}' is not a street code of {}", district_path[2].name))
        })?;
    Ok((city_path[1], district_path[2], street_path[3]))
}

fn phone(field: &'static str, v: &str) -> Result<String> {
    let v = v.trim();
    if (3..=20).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'+') {
        Ok(v.to_string())
    } else {
        Err(AppError::invalid(field, "must be a telephone number (digits, '-', '+')"))
    }
}

fn text(field: &'static str, v: &str, max: usize) -> Result<String> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > max {
        Err(AppError::invalid(field, format!("must be 1 to {max} characters")))
    } else {
        Ok(v.to_string())
    }
}

async fn check_price_lists(app: &App, tenant_id: i64, ids_: &[i64]) -> Result<()> {
    if ids_.is_empty() {
        return Err(AppError::invalid("salemenu_ids", "give at least one price list"));
    }
    for id in ids_ {
        if catalog::price_list(app.db.reader(), tenant_id, *id).await?.is_none() {
            return Err(AppError::invalid(
                "salemenu_ids",
                format!("{} is not a price list", ids::PRICE_LIST.format(*id)),
            ));
        }
    }
    Ok(())
}

fn required<'a>(field: &'static str, v: &'a Option<String>) -> Result<&'a str> {
    v.as_deref().ok_or_else(|| AppError::invalid(field, "is required"))
}

/// Creates a customer (its SID and KID at once) buying from the given price lists.
pub async fn create_customer(app: &App, actor: &Actor, tenant_id: i64, f: &CustomerFields) -> Result<i64> {
    ensure_tenant(actor, tenant_id)?;
    let username = text("username", required("username", &f.username)?, 64)?;
    let password = required("password", &f.password)?;
    if password.chars().count() < 6 {
        return Err(AppError::invalid("password", "must be at least 6 characters"));
    }
    let payer_name = text("payer_name", required("payer_name", &f.payer_name)?, 50)?;
    let payer_phone = phone("payer_telephone", required("payer_telephone", &f.payer_telephone)?)?;
    let resname = text("restaurant_name", required("restaurant_name", &f.restaurant_name)?, 100)?;
    let receiver_name = text("receiver_name", required("receiver_name", &f.receiver_name)?, 50)?;
    let receiver_phone = phone("receiver_telephone", required("receiver_telephone", &f.receiver_telephone)?)?;
    let address = text("restaurant_address", required("restaurant_address", &f.restaurant_address)?, 200)?;
    let (city, district, street) = (
        required("district_code", &f.district_code)?,
        required("area_level1", &f.area_level1)?,
        required("area_level2", &f.area_level2)?,
    );
    region_of(city, district, street)?;
    let menus = f.salemenu_ids.clone().ok_or_else(|| AppError::invalid("salemenu_ids", "is required"))?;
    check_price_lists(app, tenant_id, &menus).await?;
    let hash = hash_password(password).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let new = customers::NewCustomer {
        tenant_id,
        username: &username,
        password_hash: &hash,
        resname: &resname,
        payer_name: &payer_name,
        payer_phone: &payer_phone,
        receiver_name: &receiver_name,
        receiver_phone: &receiver_phone,
        address: &address,
        district_code: city,
        area_level1: district,
        area_level2: street,
    };
    let id = customers::insert(tx.conn(), &new, now).await.map_err(|e| match AppError::from(e) {
        AppError::Duplicate(_) => AppError::Duplicate(format!("username {username} is taken")),
        other => other,
    })?;
    for m in &menus {
        catalog::link_customer_price_list(tx.conn(), id, *m).await?;
    }
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "customer",
            entity_id: id,
            action: "create",
            from: None,
            to: None,
            detail: Some(json!({ "resname": resname, "username": username })),
        },
    )
    .await?;
    journal::emit(
        &mut tx,
        Some(tenant_id),
        now,
        "customer_create",
        "customer",
        id,
        json!({ "customer_id": ids::CUSTOMER.format(id) }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a customer; the region is checked as a whole after the change.
pub async fn update_customer(app: &App, actor: &Actor, tenant_id: i64, id: i64, f: &CustomerFields) -> Result<()> {
    let mut c = get_customer(app, actor, tenant_id, id).await?;
    if let Some(v) = &f.username {
        c.username = text("username", v, 64)?;
    }
    if let Some(v) = &f.payer_name {
        c.payer_name = text("payer_name", v, 50)?;
    }
    if let Some(v) = &f.payer_telephone {
        c.payer_phone = phone("payer_telephone", v)?;
    }
    if let Some(v) = &f.restaurant_name {
        c.resname = text("restaurant_name", v, 100)?;
    }
    if let Some(v) = &f.receiver_name {
        c.receiver_name = text("receiver_name", v, 50)?;
    }
    if let Some(v) = &f.receiver_telephone {
        c.receiver_phone = phone("receiver_telephone", v)?;
    }
    if let Some(v) = &f.restaurant_address {
        c.address = text("restaurant_address", v, 200)?;
    }
    if let Some(v) = &f.district_code {
        c.district_code = v.trim().to_string();
    }
    if let Some(v) = &f.area_level1 {
        c.area_level1 = v.trim().to_string();
    }
    if let Some(v) = &f.area_level2 {
        c.area_level2 = v.trim().to_string();
    }
    region_of(&c.district_code, &c.area_level1, &c.area_level2)?;
    if let Some(m) = &f.salemenu_ids {
        check_price_lists(app, tenant_id, m).await?;
    }
    let hash = match &f.password {
        Some(p) if p.chars().count() < 6 => return Err(AppError::invalid("password", "must be at least 6 characters")),
        Some(p) => Some(hash_password(p).await?),
        None => None,
    };
    let now = app.now();
    let mut tx = app.db.begin().await?;
    customers::update(tx.conn(), &c, hash.as_deref(), now).await.map_err(|e| match AppError::from(e) {
        AppError::Duplicate(_) => AppError::Duplicate(format!("username {} is taken", c.username)),
        other => other,
    })?;
    if let Some(m) = &f.salemenu_ids {
        customers::unlink_price_lists(tx.conn(), id).await?;
        for menu in m {
            catalog::link_customer_price_list(tx.conn(), id, *menu).await?;
        }
    }
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "customer",
            entity_id: id,
            action: "update",
            from: None,
            to: None,
            detail: Some(json!({ "resname": c.resname, "password_changed": hash.is_some() })),
        },
    )
    .await?;
    journal::emit(
        &mut tx,
        Some(tenant_id),
        now,
        "customer_update",
        "customer",
        id,
        json!({ "customer_id": ids::CUSTOMER.format(id) }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn get_customer(app: &App, actor: &Actor, tenant_id: i64, id: i64) -> Result<Customer> {
    ensure_tenant(actor, tenant_id)?;
    customers::get(app.db.reader(), tenant_id, id).await?.ok_or(AppError::not_found("customer"))
}

/// A page of customers with their price lists.
pub async fn list_customers(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    search: Option<&str>,
    skip: i64,
    take: i64,
) -> Result<Vec<(Customer, Vec<i64>)>> {
    ensure_tenant(actor, tenant_id)?;
    let rows = customers::search(app.db.reader(), tenant_id, search, skip, take).await?;
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        let menus = customers::price_lists_of(app.db.reader(), c.id).await?;
        out.push((c, menus));
    }
    Ok(out)
}

/// Deletes a customer with no order on its way; its orders and ledger stay.
pub async fn delete_customer(app: &App, actor: &Actor, tenant_id: i64, id: i64) -> Result<()> {
    get_customer(app, actor, tenant_id, id).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let open = customers::open_orders(tx.conn(), id).await?;
    if open > 0 {
        return Err(AppError::Conflict(format!("the customer has {open} order(s) not yet signed")));
    }
    customers::delete(tx.conn(), id, now).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change { entity: "customer", entity_id: id, action: "delete", from: None, to: None, detail: None },
    )
    .await?;
    journal::emit(
        &mut tx,
        Some(tenant_id),
        now,
        "customer_delete",
        "customer",
        id,
        json!({ "customer_id": ids::CUSTOMER.format(id) }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
