//! The demo data set (`shared/spec/DEMO.md`): one fresh-produce merchant with fixed
//! credentials, loaded into an empty database by `dingdan demo` or `dingdan serve --demo`.
//! Names and secrets here are fixed interfaces: walk-throughs and checks rely on them.

use crate::admin::{self, NewStaff};
use crate::b2b::{self, NewLine, PlaceOrder};
use crate::journal::{self, Change};
use crate::{Actor, App, Result, Role};
use dingdan_core::order::Action;
use dingdan_core::time::{self, DEFAULT_TZ};
use dingdan_core::{Fen, Quantity};
use dingdan_store::{catalog, customers, tenants};
use serde_json::json;

pub const TENANT_NAME: &str = "演示商户";
pub const TENANT_DOMAIN: &str = "demo.dingdan.local";
pub const ADMIN: (&str, &str) = ("admin", "admin123");
pub const API_APP: (&str, &str) = ("demo-station", "demo-station-secret");
pub const OTHER_DOMAIN: &str = "other.dingdan.local";
pub const OTHER_API_APP: (&str, &str) = ("other-station", "other-station-secret");
pub const STORE: &str = "演示门店";
pub const STORE2: &str = "演示二店";
pub const MANAGER: (&str, &str) = ("manager", "manager123");
pub const STAFF: (&str, &str) = ("staff", "staff123");
pub const CLERK: (&str, &str) = ("clerk", "clerk123");
pub const CLERK2: (&str, &str) = ("clerk2", "clerk123");
pub const MEMBER: ((&str, &str), &str) = (("demo", "demo123"), "13800000001");
pub const MEMBER2: ((&str, &str), &str) = (("demo2", "demo123"), "13800000002");

/// What was loaded.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Loaded {
    pub tenant_id: i64,
    pub other_tenant_id: i64,
    pub skus: usize,
    pub customers: usize,
    pub orders: usize,
    pub packages: usize,
}

/// A small deterministic generator, so every demo database looks the same.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// A pinlei and its SPUs.
type Pinlei = (&'static str, &'static [&'static str]);
/// category1 → category2 → pinlei → SPU names.
type Tree = &'static [(&'static str, &'static [(&'static str, &'static [Pinlei])])];

const CATALOG: Tree = &[
    (
        "蔬菜",
        &[
            (
                "叶菜类",
                &[
                    ("白菜", &["白菜苔", "大白菜", "娃娃菜"]),
                    ("菠菜", &["菠菜", "油麦菜", "生菜"]),
                    ("芥蓝", &["芥蓝", "菜心", "空心菜"]),
                ],
            ),
            (
                "根茎类",
                &[
                    ("土豆", &["土豆", "红薯", "山药"]),
                    ("萝卜", &["白萝卜", "胡萝卜", "青萝卜"]),
                    ("莲藕", &["莲藕", "莴笋", "芋头"]),
                ],
            ),
            ("菌菇类", &[("香菇", &["鲜香菇", "干香菇", "花菇"]), ("平菇", &["平菇", "金针菇", "杏鲍菇"])]),
        ],
    ),
    (
        "肉类",
        &[
            ("猪肉", &[("猪肉", &["五花肉", "猪里脊", "前腿肉"]), ("排骨", &["肋排", "筒骨", "猪蹄"])]),
            ("牛肉", &[("牛肉", &["牛腩", "牛腱子", "牛里脊"]), ("牛杂", &["牛肚", "牛筋", "牛百叶"])]),
            ("禽类", &[("鸡肉", &["鸡胸肉", "鸡腿", "鸡翅中"]), ("鸭肉", &["鸭腿", "鸭胸", "老鸭"])]),
        ],
    ),
    (
        "水果",
        &[
            (
                "瓜果",
                &[
                    ("西瓜", &["麒麟瓜", "黑美人西瓜", "哈密瓜"]),
                    ("甜瓜", &["香瓜", "网纹瓜", "木瓜"]),
                    ("黄瓜", &["水果黄瓜", "青瓜", "苦瓜"]),
                ],
            ),
            (
                "柑橘类",
                &[
                    ("橙子", &["脐橙", "血橙", "冰糖橙"]),
                    ("柚子", &["沙田柚", "红心柚", "葡萄柚"]),
                    ("橘子", &["砂糖橘", "沃柑", "丑橘"]),
                ],
            ),
        ],
    ),
];

const CUSTOMERS: &[(&str, &str, &str, &str)] = &[
    ("盐田区沙头角中学沙县小吃", "沙头角东和路55号", "邓华君", "18033432789"),
    ("湘有缘饭店", "福田区华强北路1号", "刘湘", "13712345601"),
    ("粤味轩酒家", "南山区科技园南路8号", "陈粤", "13712345602"),
    ("老北京炸酱面馆", "罗湖区东门中路12号", "王京", "13712345603"),
    ("川香阁", "宝安区新安六路33号", "李川", "13712345604"),
    ("潮汕牛肉火锅", "龙岗区龙城大道66号", "林潮", "13712345605"),
    ("兰州拉面", "福田区景田北路9号", "马兰", "13712345606"),
    ("东北饺子馆", "南山区南海大道101号", "赵东", "13712345607"),
    ("江南小厨", "罗湖区人民南路20号", "周江", "13712345608"),
    ("客家酿豆腐", "龙华区民治大道88号", "黄客", "13712345609"),
];

/// Loads the demo data set. Does nothing and returns `None` when the database already has a
/// tenant, so `serve --demo` may be run again on the same data.
pub async fn load(app: &App) -> Result<Option<Loaded>> {
    if tenants::count(app.db.reader()).await? > 0 {
        return Ok(None);
    }
    let sys = Actor::system();
    admin::create_admin(app, &sys, ADMIN.0, ADMIN.1).await?;
    let tenant_id = admin::create_tenant(app, &sys, TENANT_NAME, TENANT_DOMAIN, DEFAULT_TZ.name()).await?;
    admin::create_api_app(app, &sys, tenant_id, "演示站点", Some(API_APP.0), Some(API_APP.1)).await?;
    let other_tenant_id = admin::create_tenant(app, &sys, "其他商户", OTHER_DOMAIN, DEFAULT_TZ.name()).await?;
    admin::create_api_app(app, &sys, other_tenant_id, "其他站点", Some(OTHER_API_APP.0), Some(OTHER_API_APP.1)).await?;

    let store = admin::create_store(app, &sys, tenant_id, STORE, "深圳市福田区深南大道1000号", "0755-88880001").await?;
    let store2 = admin::create_store(app, &sys, tenant_id, STORE2, "深圳市南山区科苑路15号", "0755-88880002").await?;
    let mut staff_id = 0;
    for (role, (user, pass), store_id, name) in [
        (Role::Manager, MANAGER, store, "门店经理"),
        (Role::Staff, STAFF, store, "门店店员"),
        (Role::Clerk, CLERK, store, "演示门店导购"),
        (Role::Clerk, CLERK2, store2, "演示二店导购"),
    ] {
        let s = NewStaff {
            tenant_id,
            store_id: Some(store_id),
            role,
            username: user,
            password: pass,
            display_name: name,
            phone: "",
        };
        let id = admin::create_staff(app, &sys, &s).await?;
        if user == STAFF.0 {
            staff_id = id;
        }
    }

    let (skus, customer_ids, first_customer_skus) = load_catalog_and_customers(app, &sys, tenant_id).await?;
    let orders = load_orders(app, &sys, tenant_id, &customer_ids, &first_customer_skus, &skus).await?;
    let packages = load_packages(app, &sys, (tenant_id, store, store2, staff_id), &skus).await?;
    load_delivery(app, &sys, tenant_id, &customer_ids).await?;
    load_finance_and_stock(app, &sys, tenant_id, customer_ids[1]).await?;
    for (user, phone) in [MEMBER, MEMBER2] {
        crate::members::create_member(app, user.0, user.1, Some(phone))
            .await
            .map_err(|e| crate::AppError::Internal(format!("demo member: {e:?}")))?;
    }
    Ok(Some(Loaded { tenant_id, other_tenant_id, skus: skus.len(), customers: customer_ids.len(), orders, packages }))
}

/// Catalog, price lists and customers in one transaction.
async fn load_catalog_and_customers(app: &App, sys: &Actor, tenant_id: i64) -> Result<(Vec<i64>, Vec<i64>, Vec<i64>)> {
    let now = app.now();
    let mut rng = Lcg(20170621);
    let mut tx = app.db.begin().await?;
    let morning = catalog::NewPriceList {
        tenant_id,
        name: "早市报价单",
        description: "每日早市供应",
        is_active: true,
        time_config_id: "ST001",
        time_config_name: "早市收货",
        receive_times: r#"["06:00","06:30","07:00","08:00","09:00","10:00","11:00","12:00"]"#,
    };
    let all_day = catalog::NewPriceList {
        tenant_id,
        name: "全天报价单",
        description: "全天供应",
        is_active: true,
        time_config_id: "ST002",
        time_config_name: "全天收货",
        receive_times: r#"["06:00","09:00","12:00","15:00","18:00","21:00"]"#,
    };
    let price_lists = [
        catalog::insert_price_list(tx.conn(), &morning, now).await?,
        catalog::insert_price_list(tx.conn(), &all_day, now).await?,
    ];
    let mut skus = Vec::new();
    let mut n = 0usize;
    for (c1, c2s) in CATALOG {
        let c1_id = catalog::insert_category(tx.conn(), tenant_id, 1, None, c1, now).await?;
        for (c2, pinleis) in *c2s {
            let c2_id = catalog::insert_category(tx.conn(), tenant_id, 2, Some(c1_id), c2, now).await?;
            for (pinlei, spus) in *pinleis {
                let p_id = catalog::insert_category(tx.conn(), tenant_id, 3, Some(c2_id), pinlei, now).await?;
                for spu in *spus {
                    let weighed = n % 3 != 2;
                    let std_unit = if weighed { "斤" } else { "份" };
                    let spu_id = catalog::insert_spu(
                        tx.conn(),
                        &catalog::NewSpu {
                            tenant_id,
                            pinlei_id: p_id,
                            name: spu,
                            std_unit_name: std_unit,
                            description: &format!("新鲜{spu}"),
                            p_type: 1,
                            dispatch_method: 2,
                            image: "",
                            detail_images: "[]",
                        },
                        now,
                    )
                    .await?;
                    let price = 300 + rng.next(3000) as i64;
                    let sku = catalog::NewSku {
                        tenant_id,
                        spu_id,
                        price_list_id: price_lists[n % 2],
                        name: spu,
                        sale_unit_name: std_unit,
                        std_unit_name: std_unit,
                        sale_ratio_milli: 1000,
                        std_price: price,
                        sale_price: price,
                        sale_num_least_milli: 1000,
                        is_weigh: weighed,
                        supplier_name: "小农女",
                        description: "",
                    };
                    skus.push(catalog::insert_sku(tx.conn(), &sku, now).await?);
                    n += 1;
                }
            }
        }
    }
    let mut customer_ids = Vec::new();
    for (i, (resname, address, receiver, phone)) in CUSTOMERS.iter().enumerate() {
        // The district named in the address (Shenzhen), and its first street.
        let district = [
            ("罗湖区", "440303"),
            ("福田区", "440304"),
            ("南山区", "440305"),
            ("宝安区", "440306"),
            ("龙岗区", "440307"),
            ("盐田区", "440308"),
            ("沙头角", "440308"),
            ("龙华区", "440309"),
        ]
        .iter()
        .find(|(name, _)| address.contains(name))
        .map(|(_, code)| *code)
        .unwrap_or("440304");
        let street = dingdan_core::regions::path(district)
            .and_then(|p| p.last().and_then(|d| d.children.first()).map(|s| s.code.clone()))
            .unwrap_or_default();
        let c = customers::NewCustomer {
            tenant_id,
            username: &format!("customer{:02}", i + 1),
            password_hash: "",
            resname,
            payer_name: receiver,
            payer_phone: phone,
            receiver_name: receiver,
            receiver_phone: phone,
            address,
            district_code: "440300",
            area_level1: district,
            area_level2: &street,
        };
        let id = customers::insert(tx.conn(), &c, now).await?;
        catalog::link_customer_price_list(tx.conn(), id, price_lists[0]).await?;
        if i % 2 == 0 {
            catalog::link_customer_price_list(tx.conn(), id, price_lists[1]).await?;
        }
        customer_ids.push(id);
    }
    let first_customer_skus = catalog::skus_of_customer(tx.conn(), tenant_id, customer_ids[0]).await?;
    journal::audit(
        &mut tx,
        sys,
        Some(tenant_id),
        now,
        Change {
            entity: "tenant",
            entity_id: tenant_id,
            action: "demo_catalog",
            from: None,
            to: None,
            detail: Some(json!({ "skus": skus.len(), "customers": customer_ids.len() })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((skus, customer_ids, first_customer_skus))
}

/// Orders in every B2B status over the last 30 days, placed and moved through the use-cases.
async fn load_orders(
    app: &App,
    sys: &Actor,
    tenant_id: i64,
    customer_ids: &[i64],
    first_customer_skus: &[i64],
    _all_skus: &[i64],
) -> Result<usize> {
    let mut rng = Lcg(7);
    let now = app.now();
    let mut count = 0;
    // (days ago, actions after placing): one order a day for 30 days, then two more today.
    // Older orders are signed (every sixth deleted), the last days' still on their way.
    let mut plan: Vec<(i64, &[Action])> = (0..30i64)
        .map(|i| {
            let days_ago = 29 - i;
            let actions: &[Action] = match days_ago {
                0 => &[],
                1 => &[Action::StartSorting],
                2..=3 => &[Action::StartSorting, Action::Ship],
                _ if i % 6 == 5 => &[Action::Delete],
                _ => &[Action::StartSorting, Action::Ship, Action::Deliver],
            };
            (days_ago, actions)
        })
        .collect();
    plan.push((0, &[Action::StartSorting]));
    plan.push((0, &[Action::Ship]));
    for (i, (days_ago, actions)) in plan.into_iter().enumerate() {
        let customer_id = customer_ids[i % customer_ids.len()];
        let skus = dingdan_store::catalog::skus_of_customer(app.db.reader(), tenant_id, customer_id).await?;
        let skus = if skus.is_empty() { first_customer_skus.to_vec() } else { skus };
        let placed_at = now - days_ago * 86_400_000 - 60_000 * (1 + rng.next(50) as i64);
        let day = time::local(placed_at, DEFAULT_TZ).date() + chrono::Duration::days(1);
        let begin = time::from_local(day.and_hms_opt(6, 0, 0).unwrap_or_default(), DEFAULT_TZ);
        let mut lines = Vec::new();
        let first = rng.next(skus.len() as u64) as usize;
        for k in 0..3 {
            let sku_id = skus[(first + k * 7) % skus.len()];
            if lines.iter().any(|l: &NewLine| l.sku_id == sku_id) {
                continue;
            }
            lines.push(NewLine {
                sku_id,
                quantity: Quantity::from_units(1 + rng.next(10) as i64),
                unit_price: None,
                remark: String::new(),
            });
        }
        let cmd = PlaceOrder {
            tenant_id,
            customer_id,
            receive_begin_at: begin,
            receive_end_at: begin + 6 * 3_600_000,
            remark: if i % 4 == 0 { Some("请早上送达".into()) } else { None },
            freight: Fen(if i % 3 == 0 { 2000 } else { 0 }),
            lines,
            placed_at: Some(placed_at),
        };
        let id = b2b::place_order(app, sys, &cmd).await?;
        for action in actions.iter() {
            if *action == Action::Ship {
                // Weigh the first line a little over what was ordered, as the scales do.
                let view = b2b::get_order(app, sys, tenant_id, id).await?;
                if let Some(line) = view.lines.iter().find(|l| l.is_weigh) {
                    let real = Quantity(line.quantity_milli + 125);
                    b2b::weigh_line(app, sys, tenant_id, id, line.sku_id, real).await?;
                }
            }
            b2b::move_order(app, sys, tenant_id, id, *action).await?;
        }
        count += 1;
    }
    Ok(count)
}

/// Pickup packages at both stores: unused and unprepared, unused and prepared, used (by the
/// demo staff member), cancelled.
async fn load_packages(app: &App, sys: &Actor, at: (i64, i64, i64, i64), skus: &[i64]) -> Result<usize> {
    use crate::offline::{self, NewPackage};
    let (tenant_id, store, store2, staff_id) = at;
    let staff = Actor { role: Role::Staff, id: staff_id, tenant_id: Some(tenant_id), store_id: Some(store) };
    let mut made = 0;
    for (i, store_id) in [store, store, store, store, store2, store2].into_iter().enumerate() {
        let lines = vec![
            (skus[(i * 5) % skus.len()], Quantity::from_units(1 + i as i64)),
            (skus[(i * 5 + 2) % skus.len()], Quantity(1500)),
        ];
        let p = offline::create_package(app, sys, &NewPackage { tenant_id, store_id, lines, remark: None }).await?;
        match i {
            1 => {
                offline::prepare_stock(app, &staff, p.package.id).await?;
            }
            2 => {
                offline::prepare_stock(app, &staff, p.package.id).await?;
                offline::consume_code(app, &staff, &p.package.key).await?;
            }
            3 => {
                offline::cancel_package(app, sys, tenant_id, p.package.id).await?;
            }
            _ => {}
        }
        made += 1;
    }
    Ok(made)
}

/// Carriers, car models, drivers (one disabled) and two routes; today's delivering order is
/// assigned to the first driver.
async fn load_delivery(app: &App, sys: &Actor, tenant_id: i64, customer_ids: &[i64]) -> Result<()> {
    use crate::delivery::{self, DriverFields, DISABLED, ENABLED};
    let own = delivery::create_carrier(app, sys, tenant_id, "自有车队").await?;
    let hired = delivery::create_carrier(app, sys, tenant_id, "顺路物流").await?;
    let van = delivery::create_car_model(app, sys, tenant_id, "金杯面包车", 1500).await?;
    let truck = delivery::create_car_model(app, sys, tenant_id, "4.2米厢式货车", 5000).await?;
    let mut first = 0;
    for (name, phone, carrier, model, plate, state) in [
        ("张师傅", "13600000001", own, van, "粤B12345", ENABLED),
        ("李师傅", "13600000002", own, truck, "粤B67890", ENABLED),
        ("王师傅", "13600000003", hired, van, "粤B24680", DISABLED),
    ] {
        let f = DriverFields {
            name: name.into(),
            phone: phone.into(),
            carrier_id: carrier,
            car_model_id: model,
            plate_number: plate.into(),
            state,
        };
        let id = delivery::save_driver(app, sys, tenant_id, None, &f).await?;
        if first == 0 {
            first = id;
        }
    }
    delivery::create_route(app, sys, tenant_id, "盐田-罗湖线", &customer_ids[..5]).await?;
    delivery::create_route(app, sys, tenant_id, "福田-南山线", &customer_ids[5..8]).await?;
    // PL000032 is the delivering order placed today.
    delivery::assign_driver(app, sys, tenant_id, &[32], Some(first)).await?;
    Ok(())
}

/// A payment struck for the second customer (its oldest order paid, the next partly) and some
/// stock: a submitted in-stock sheet, a draft one, a stocktaking.
async fn load_finance_and_stock(app: &App, sys: &Actor, tenant_id: i64, customer_id: i64) -> Result<()> {
    use crate::finance::{self, StrikeCmd};
    use crate::inventory::{self, SheetLineRow};
    // PL000002 is the second customer's oldest order (signed).
    let oldest = b2b::get_order(app, sys, tenant_id, 2).await?;
    let cmd = StrikeCmd {
        customer_id,
        arrival_time: app.now() - 86_400_000,
        deal_code: "DEMO-20260001".into(),
        arrival_id: "wechat".into(),
        arrival_method: "微信对公".into(),
        arrival_money: Fen(oldest.order.total_pay + 1000),
        remark: "演示到账".into(),
    };
    finance::strike_payment(app, sys, tenant_id, &cmd).await?;
    let spus: Vec<i64> = (1..=10).collect();
    let lines = spus.iter().map(|s| SheetLineRow { spu_id: *s, quantity_milli: 100_000, price: 300 }).collect();
    let id = inventory::create_sheet(app, sys, tenant_id, inventory::IN, lines, "期初入库").await?;
    inventory::submit_sheet(app, sys, tenant_id, id).await?;
    let draft = vec![SheetLineRow { spu_id: 11, quantity_milli: 20_000, price: 450 }];
    inventory::create_sheet(app, sys, tenant_id, inventory::IN, draft, "待审核入库").await?;
    inventory::take_stock(app, sys, tenant_id, 1, Quantity(95_000)).await?;
    Ok(())
}
