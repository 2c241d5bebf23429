//! The preload: the demo data set (loaded by the server's own `demo` command), 1,000 more B2B
//! customers, a year of B2B orders and a stock of pickup packages, written through the store's
//! bulk import (not the HTTP API). Then the fixture the scenarios draw from.

use crate::server::BenchDb;
use crate::Args;
use anyhow::Context;
use chrono::{Duration as Days, NaiveTime};
use dingdan_core::ids;
use dingdan_core::order::{Channel, Fulfillment, Payment};
use dingdan_core::time::{self, DEFAULT_TZ};
use dingdan_store::bulk::{self, ImportOrder};
use dingdan_store::catalog::{self, SkuForOrder};
use dingdan_store::orders::{Line, Order};
use dingdan_store::pickup::Package;
use dingdan_store::{customers, Db, DbOptions};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use std::process::Command;
use std::time::Instant;

const BENCH_CUSTOMERS: usize = 1_000;
const DAY_MS: i64 = 86_400_000;
/// Orders per import transaction.
const BATCH: usize = 5_000;

/// What the scenarios need to know about the data.
#[derive(Debug, Clone, Default)]
pub struct Fixture {
    /// Public customer ids (`S...`) that may order the create SKUs.
    pub customers: Vec<String>,
    /// Three SKUs (`D...`) sharing one price list, their prices in fen, and its receive window.
    pub create_skus: Vec<String>,
    pub create_prices: Vec<i64>,
    pub receive_begin: String,
    pub receive_end: String,
    /// Public ids of existing B2B orders to read.
    pub order_ids: Vec<String>,
    /// First and last local day holding B2B orders.
    pub first_day: chrono::NaiveDate,
    pub last_day: chrono::NaiveDate,
    /// Unused pickup codes of the demo store.
    pub pickup_keys: Vec<String>,
}

impl Fixture {
    /// What a server loaded with only the demo data set offers (`--target`).
    pub fn demo() -> Fixture {
        let today = chrono::Utc::now().with_timezone(&DEFAULT_TZ).date_naive();
        let tomorrow = today + Days::days(1);
        Fixture {
            customers: vec![ids::CUSTOMER.format(1)],
            create_skus: [1, 3, 5].map(|k| ids::SKU.format(k)).to_vec(),
            create_prices: vec![500, 500, 500],
            receive_begin: format!("{tomorrow} 06:00:00"),
            receive_end: format!("{tomorrow} 10:00:00"),
            order_ids: (1..=10).map(|k| ids::ORDER.format(k)).collect(),
            first_day: today - Days::days(30),
            last_day: today,
            pickup_keys: Vec::new(),
        }
    }
}

/// What the preload did, for the report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Preload {
    pub orders: u64,
    pub lines: u64,
    pub packages: u64,
    pub seconds: f64,
    /// Orders written per second, pickup orders included (demo data load included in the time).
    pub orders_per_s: f64,
    pub reused: bool,
}

/// Loads the data (unless `--reuse` finds it there) and reads the fixture back.
pub async fn preload(args: &Args, bdb: &BenchDb) -> anyhow::Result<(Fixture, Preload)> {
    let db = Db::connect(&bdb.url, &DbOptions::default()).await?;
    db.migrate().await?;
    let existing: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE channel = 'b2b'").fetch_one(db.reader()).await?;
    let started = Instant::now();
    let reused = args.reuse && existing as u64 >= args.orders;
    let mut made = (0, 0, 0);
    if !reused {
        db.close().await;
        let status = Command::new(std::env::current_exe()?)
            .arg("demo")
            .args(&bdb.server_args)
            .env("DINGDAN_LOG", "warn")
            .status()
            .context("cannot run the demo loader")?;
        anyhow::ensure!(status.success(), "loading the demo data failed");
        let db = Db::connect(&bdb.url, &DbOptions::default()).await?;
        made = load(&db, args.orders, args.packages).await?;
        db.close().await;
    } else {
        db.close().await;
    }
    let seconds = started.elapsed().as_secs_f64();
    let db = Db::connect(&bdb.url, &DbOptions::default()).await?;
    let fixture = fixture(&db).await?;
    db.close().await;
    let preload = Preload {
        orders: made.0,
        lines: made.1,
        packages: made.2,
        seconds,
        orders_per_s: if made.0 + made.2 > 0 { (made.0 + made.2) as f64 / seconds } else { 0.0 },
        reused,
    };
    if !reused {
        eprintln!(
            "preloaded {} orders ({} lines) and {} pickup packages in {:.1} s ({:.0} orders/s)",
            preload.orders, preload.lines, preload.packages, seconds, preload.orders_per_s
        );
    }
    Ok((fixture, preload))
}

/// The demo tenant, its first customer's price lists and the SKUs on them.
struct Catalog {
    tenant_id: i64,
    store_id: i64,
    price_lists: Vec<i64>,
    skus: Vec<SkuForOrder>,
}

async fn catalog_of(db: &Db) -> anyhow::Result<Catalog> {
    let tenant_id: i64 = sqlx::query_scalar("SELECT id FROM tenants WHERE domain = 'demo.dingdan.local'")
        .fetch_one(db.reader())
        .await
        .context("the demo tenant is missing")?;
    let store_id: i64 = sqlx::query_scalar("SELECT id FROM stores WHERE tenant_id = $1 AND name = '演示门店'")
        .bind(tenant_id)
        .fetch_one(db.reader())
        .await
        .context("the demo store is missing")?;
    let first_customer: i64 = sqlx::query_scalar("SELECT MIN(id) FROM customers WHERE tenant_id = $1")
        .bind(tenant_id)
        .fetch_one(db.reader())
        .await?;
    let price_lists: Vec<i64> = sqlx::query_scalar(
        "SELECT price_list_id FROM customer_price_lists WHERE customer_id = $1 ORDER BY price_list_id",
    )
    .bind(first_customer)
    .fetch_all(db.reader())
    .await?;
    let mut skus = Vec::new();
    let sku_ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM skus WHERE tenant_id = $1 ORDER BY id")
        .bind(tenant_id)
        .fetch_all(db.reader())
        .await?;
    for id in sku_ids {
        if let Some(s) = catalog::sku_for_order(db.reader(), tenant_id, id).await? {
            if s.on_sale && price_lists.contains(&s.price_list_id) {
                skus.push(s);
            }
        }
    }
    anyhow::ensure!(skus.len() >= 5, "the demo catalog has too few SKUs on sale");
    Ok(Catalog { tenant_id, store_id, price_lists, skus })
}

/// Writes customers, orders and packages; (orders, lines, packages) made.
async fn load(db: &Db, orders: u64, packages: u64) -> anyhow::Result<(u64, u64, u64)> {
    let cat = catalog_of(db).await?;
    let now = chrono::Utc::now().timestamp_millis();
    let customer_ids = bench_customers(db, &cat, now).await?;
    let mut rng = StdRng::seed_from_u64(20261128);
    let mut next = bulk::next_ids(db).await?;
    let (mut made_lines, mut batch) = (0u64, Vec::with_capacity(BATCH));
    // A year of B2B orders, oldest first, so keys grow with time as they do in production.
    let span = 365 * DAY_MS;
    let start = now - span;
    for i in 0..orders {
        let created = start + (i as i128 * span as i128 / orders.max(1) as i128) as i64 + rng.gen_range(0..1000);
        let customer = customer_ids[rng.gen_range(0..customer_ids.len())];
        let o = b2b_order(&mut rng, &cat, &mut next, customer, created, now);
        made_lines += o.lines.len() as u64;
        batch.push(o);
        if batch.len() == BATCH {
            bulk::import(db, &batch).await?;
            batch.clear();
            if (i + 1) % 100_000 == 0 {
                eprintln!("  {} orders written", i + 1);
            }
        }
    }
    // Pickup packages at the demo store, each with a code no live package holds.
    let taken: HashSet<String> = bulk::live_keys(db, cat.store_id).await?.into_iter().collect();
    let mut keys: Vec<String> = (0..1_000_000).map(|k| format!("{k:06}")).filter(|k| !taken.contains(k)).collect();
    keys.shuffle(&mut rng);
    let packages = packages.min(keys.len() as u64 / 2);
    for key in keys.into_iter().take(packages as usize) {
        let created = now - rng.gen_range(0..2 * DAY_MS);
        let o = pickup_order(&mut rng, &cat, &mut next, key, created, now);
        made_lines += o.lines.len() as u64;
        batch.push(o);
        if batch.len() == BATCH {
            bulk::import(db, &batch).await?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        bulk::import(db, &batch).await?;
    }
    bulk::finish(db).await?;
    Ok((orders, made_lines, packages))
}

/// Customers `bench0001`… on the demo customer's price lists; their keys.
async fn bench_customers(db: &Db, cat: &Catalog, now: i64) -> anyhow::Result<Vec<i64>> {
    let mut tx = db.begin().await?;
    let mut made = Vec::with_capacity(BENCH_CUSTOMERS);
    for i in 1..=BENCH_CUSTOMERS {
        let (username, resname) = (format!("bench{i:04}"), format!("压测餐厅{i:04}"));
        let phone = format!("139{i:08}");
        let c = customers::NewCustomer {
            tenant_id: cat.tenant_id,
            username: &username,
            password_hash: "",
            resname: &resname,
            payer_name: "王经理",
            payer_phone: &phone,
            receiver_name: "王经理",
            receiver_phone: &phone,
            address: "深圳市南山区科技园南区 1 号",
            district_code: "440305",
            area_level1: "南山区",
            area_level2: "粤海街道",
        };
        let id = customers::insert(tx.conn(), &c, now).await?;
        for pl in &cat.price_lists {
            catalog::link_customer_price_list(tx.conn(), id, *pl).await?;
        }
        made.push(id);
    }
    tx.commit().await?;
    Ok(made)
}

fn line(sku: &SkuForOrder, order_id: i64, id: i64, quantity_milli: i64, weighed: bool, at: i64) -> Line {
    Line {
        id,
        order_id,
        sku_id: sku.id,
        spu_id: sku.spu_id,
        name: sku.name.clone(),
        category1_name: sku.category1_name.clone(),
        category2_name: sku.category2_name.clone(),
        std_unit_name: sku.std_unit_name.clone(),
        sale_unit_name: sku.sale_unit_name.clone(),
        sale_ratio_milli: sku.sale_ratio_milli,
        quantity_milli,
        real_quantity_milli: weighed.then_some(quantity_milli),
        accept_quantity_milli: None,
        purchase_quantity_milli: None,
        sale_price: sku.sale_price,
        is_weigh: sku.is_weigh,
        remark: String::new(),
        salemenu_name: sku.salemenu_name.clone(),
        supplier_name: sku.supplier_name.clone(),
        created_at: at,
    }
}

/// Totals as the domain computes them; the order as placed keeps them as its origin.
fn set_totals(o: &mut Order, lines: &[Line]) {
    dingdan_app::b2b::refresh_totals(o, lines);
    o.origin_total = o.ordered_total;
}

/// A B2B order of 1–5 lines received the next morning; signed and mostly paid unless recent.
fn b2b_order(
    rng: &mut StdRng,
    cat: &Catalog,
    next: &mut bulk::NextIds,
    customer: i64,
    created: i64,
    now: i64,
) -> ImportOrder {
    let mut o = Order::placed(cat.tenant_id, Channel::B2b, created);
    o.id = next.order;
    next.order += 1;
    o.customer_id = Some(customer);
    let day = time::local(created, DEFAULT_TZ).date() + Days::days(1);
    let at =
        |h: u32| time::from_local(day.and_time(NaiveTime::from_hms_opt(h, 0, 0).expect("a valid hour")), DEFAULT_TZ);
    o.receive_begin_at = Some(at(6));
    o.receive_end_at = Some(at(10));
    let recent = now - created < 2 * DAY_MS;
    let roll = rng.gen_range(0..100);
    let (fulfillment, paid) = match (recent, roll) {
        (true, _) => (Fulfillment::Pending, false),
        (false, 0..=79) => (Fulfillment::Delivered, true),
        (false, 80..=94) => (Fulfillment::Delivered, false),
        (false, _) => (Fulfillment::Cancelled, false),
    };
    let n = rng.gen_range(1..=5);
    let picked: Vec<&SkuForOrder> = cat.skus.choose_multiple(rng, n).collect();
    let weighed = fulfillment == Fulfillment::Delivered;
    let lines: Vec<Line> = picked
        .into_iter()
        .map(|sku| {
            let id = next.line;
            next.line += 1;
            line(sku, o.id, id, rng.gen_range(1..=40) * 500, weighed, created)
        })
        .collect();
    set_totals(&mut o, &lines);
    o.fulfillment = fulfillment;
    if paid {
        o.paid = o.total_pay;
    }
    o.payment = Payment::from_amounts(o.total_pay, o.paid, 0);
    if fulfillment == Fulfillment::Cancelled {
        o.close_reason = Some("customer_cancelled".into());
    }
    o.updated_at = created + if recent { 0 } else { DAY_MS };
    ImportOrder { order: o, lines, package: None }
}

/// A paid B2C order waiting at the demo store, with an unused code.
fn pickup_order(
    rng: &mut StdRng,
    cat: &Catalog,
    next: &mut bulk::NextIds,
    key: String,
    created: i64,
    now: i64,
) -> ImportOrder {
    let mut o = Order::placed(cat.tenant_id, Channel::B2c, created);
    o.id = next.order;
    next.order += 1;
    o.store_id = Some(cat.store_id);
    let lines: Vec<Line> = cat
        .skus
        .choose_multiple(rng, 2)
        .map(|sku| {
            let id = next.line;
            next.line += 1;
            line(sku, o.id, id, rng.gen_range(1..=6) * 500, false, created)
        })
        .collect();
    set_totals(&mut o, &lines);
    o.paid = o.total_pay;
    o.payment = Payment::from_amounts(o.total_pay, o.paid, 0);
    o.fulfillment = Fulfillment::ReadyForPickup;
    let token: String = (0..32).map(|_| rng.sample(rand::distributions::Alphanumeric) as char).collect();
    let package = Package {
        id: next.package,
        tenant_id: cat.tenant_id,
        store_id: cat.store_id,
        order_id: o.id,
        order_token: token,
        key,
        key_status: "unused".into(),
        stock_status: "unprepare".into(),
        expires_at: now + 7 * DAY_MS,
        used_at: None,
        used_by: None,
        created_at: created,
        updated_at: created,
    };
    next.package += 1;
    ImportOrder { order: o, lines, package: Some(package) }
}

/// Reads what the scenarios draw from.
async fn fixture(db: &Db) -> anyhow::Result<Fixture> {
    let cat = catalog_of(db).await?;
    let mut rng = StdRng::seed_from_u64(7);
    let customers: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM customers WHERE tenant_id = $1 AND username LIKE 'bench%' ORDER BY id")
            .bind(cat.tenant_id)
            .fetch_all(db.reader())
            .await?;
    // Three SKUs of the first price list, inside its receive times, tomorrow.
    let first_list = cat.price_lists[0];
    let on_first: Vec<&SkuForOrder> = cat.skus.iter().filter(|s| s.price_list_id == first_list).take(3).collect();
    let create_skus: Vec<String> = on_first.iter().map(|s| ids::SKU.format(s.id)).collect();
    let create_prices: Vec<i64> = on_first.iter().map(|s| s.sale_price).collect();
    anyhow::ensure!(create_skus.len() == 3, "the first price list has fewer than three SKUs");
    let times: Vec<String> = catalog::price_list(db.reader(), cat.tenant_id, first_list)
        .await?
        .and_then(|p| serde_json::from_str(&p.receive_times).ok())
        .unwrap_or_default();
    let (lo, hi) =
        (times.iter().min().cloned().unwrap_or("06:00".into()), times.iter().max().cloned().unwrap_or("10:00".into()));
    let tomorrow = chrono::Utc::now().with_timezone(&DEFAULT_TZ).date_naive() + Days::days(1);
    let (first, last): (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT MIN(created_at), MAX(created_at) FROM orders WHERE tenant_id = $1 AND channel = 'b2b'")
            .bind(cat.tenant_id)
            .fetch_one(db.reader())
            .await?;
    let all: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM orders WHERE tenant_id = $1 AND channel = 'b2b' AND fulfillment <> 'deleted'",
    )
    .bind(cat.tenant_id)
    .fetch_all(db.reader())
    .await?;
    anyhow::ensure!(!all.is_empty(), "there are no B2B orders to read");
    let order_ids: Vec<String> = (0..100_000).map(|_| ids::ORDER.format(all[rng.gen_range(0..all.len())])).collect();
    let day = |ms: Option<i64>| time::local(ms.unwrap_or(0), DEFAULT_TZ).date();
    let mut pickup_keys: Vec<String> = sqlx::query_scalar(
        "SELECT pickup_key FROM pickup_packages WHERE store_id = $1 AND key_status = 'unused' AND expires_at > $2",
    )
    .bind(cat.store_id)
    .bind(chrono::Utc::now().timestamp_millis() + DAY_MS)
    .fetch_all(db.reader())
    .await?;
    pickup_keys.shuffle(&mut rng);
    Ok(Fixture {
        customers: customers.into_iter().map(|k| ids::CUSTOMER.format(k)).collect(),
        create_skus,
        create_prices,
        receive_begin: format!("{tomorrow} {lo}:00"),
        receive_end: format!("{tomorrow} {hi}:00"),
        order_ids,
        first_day: day(first),
        last_day: day(last),
        pickup_keys,
    })
}
