-- dingdan schema, first version. Kept in step with ../postgres/0001_init.sql: same tables,
-- columns and indexes; only the key syntax differs. Money columns are integer fen, quantities
-- integer thousandths (_milli), instants UTC milliseconds (_at, BIGINT), flags 0/1.

CREATE TABLE tenants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    domain TEXT NOT NULL UNIQUE,
    timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    created_at BIGINT NOT NULL
);

-- Platform administrators (admin API and console).
CREATE TABLE admins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Open-platform applications (openapi and station dialects): access_id + secret.
CREATE TABLE api_apps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    access_id TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- Physical stores: offline pickup shops and mall stores are the same rows.
CREATE TABLE stores (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, name)
);

-- People who work for a merchant: staff, managers, clerks, drivers.
CREATE TABLE staff (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    store_id BIGINT REFERENCES stores(id),
    role TEXT NOT NULL,
    username TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, username)
);

-- Bearer credentials of every kind, stored as SHA-256 of the token.
CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    tenant_id BIGINT,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX tokens_subject ON tokens (kind, subject_id);

-- Category tree: level 1 (category1), 2 (category2), 3 (pinlei).
CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    level BIGINT NOT NULL,
    parent_id BIGINT REFERENCES categories(id),
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX categories_parent ON categories (tenant_id, level, parent_id);

CREATE TABLE spus (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    pinlei_id BIGINT NOT NULL REFERENCES categories(id),
    name TEXT NOT NULL,
    std_unit_name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    p_type BIGINT NOT NULL DEFAULT 1,
    dispatch_method BIGINT NOT NULL DEFAULT 2,
    image TEXT NOT NULL DEFAULT '',
    detail_images TEXT NOT NULL DEFAULT '[]',
    deleted_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX spus_pinlei ON spus (tenant_id, pinlei_id);

-- Price lists (salemenu) with their receive-time slots (JSON array of "HH:MM").
CREATE TABLE price_lists (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    is_active BIGINT NOT NULL DEFAULT 1,
    time_config_id TEXT NOT NULL DEFAULT '',
    time_config_name TEXT NOT NULL DEFAULT '',
    receive_times TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL
);

CREATE TABLE skus (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    spu_id BIGINT NOT NULL REFERENCES spus(id),
    price_list_id BIGINT NOT NULL REFERENCES price_lists(id),
    name TEXT NOT NULL,
    sale_unit_name TEXT NOT NULL,
    std_unit_name TEXT NOT NULL,
    sale_ratio_milli BIGINT NOT NULL DEFAULT 1000,
    std_price BIGINT NOT NULL,
    sale_price BIGINT NOT NULL,
    sale_num_least_milli BIGINT NOT NULL DEFAULT 1000,
    is_weigh BIGINT NOT NULL DEFAULT 0,
    is_price_timing BIGINT NOT NULL DEFAULT 0,
    state BIGINT NOT NULL DEFAULT 1,
    supplier_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    img_url TEXT NOT NULL DEFAULT '',
    deleted_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX skus_spu ON skus (tenant_id, spu_id);
CREATE INDEX skus_price_list ON skus (tenant_id, price_list_id);

-- B2B customers: the account (SID) and its finance account (KID) share this key.
CREATE TABLE customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    username TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    resname TEXT NOT NULL,
    payer_name TEXT NOT NULL DEFAULT '',
    payer_phone TEXT NOT NULL DEFAULT '',
    receiver_name TEXT NOT NULL DEFAULT '',
    receiver_phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    district_code TEXT NOT NULL DEFAULT '',
    area_level1 TEXT NOT NULL DEFAULT '',
    area_level2 TEXT NOT NULL DEFAULT '',
    settle_way BIGINT NOT NULL DEFAULT 1,
    pay_method BIGINT NOT NULL DEFAULT 1,
    whitelist BIGINT NOT NULL DEFAULT 0,
    check_out BIGINT NOT NULL DEFAULT 0,
    frozen BIGINT NOT NULL DEFAULT 0,
    balance BIGINT NOT NULL DEFAULT 0,
    deleted_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (tenant_id, username)
);

CREATE TABLE customer_price_lists (
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    price_list_id BIGINT NOT NULL REFERENCES price_lists(id),
    PRIMARY KEY (customer_id, price_list_id)
);

-- Orders of every dialect. Three independent status dimensions; money in fen.
CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    channel TEXT NOT NULL,
    customer_id BIGINT REFERENCES customers(id),
    store_id BIGINT REFERENCES stores(id),
    fulfillment TEXT NOT NULL,
    payment TEXT NOT NULL,
    after_sale TEXT NOT NULL DEFAULT 'none',
    close_reason TEXT,
    freight BIGINT NOT NULL DEFAULT 0,
    origin_total BIGINT NOT NULL DEFAULT 0,
    ordered_total BIGINT NOT NULL DEFAULT 0,
    real_total BIGINT NOT NULL DEFAULT 0,
    total_pay BIGINT NOT NULL DEFAULT 0,
    paid BIGINT NOT NULL DEFAULT 0,
    refunded BIGINT NOT NULL DEFAULT 0,
    abnormal_money BIGINT NOT NULL DEFAULT 0,
    refund_money BIGINT NOT NULL DEFAULT 0,
    remark TEXT,
    receive_begin_at BIGINT,
    receive_end_at BIGINT,
    sort_id BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX orders_created ON orders (tenant_id, channel, created_at, id);
CREATE INDEX orders_receive ON orders (tenant_id, channel, receive_begin_at, id);
CREATE INDEX orders_customer ON orders (tenant_id, customer_id, created_at);

CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders(id),
    sku_id BIGINT NOT NULL REFERENCES skus(id),
    spu_id BIGINT NOT NULL REFERENCES spus(id),
    name TEXT NOT NULL,
    category1_name TEXT NOT NULL DEFAULT '',
    category2_name TEXT NOT NULL DEFAULT '',
    std_unit_name TEXT NOT NULL DEFAULT '',
    sale_unit_name TEXT NOT NULL DEFAULT '',
    sale_ratio_milli BIGINT NOT NULL DEFAULT 1000,
    quantity_milli BIGINT NOT NULL,
    real_quantity_milli BIGINT,
    accept_quantity_milli BIGINT,
    purchase_quantity_milli BIGINT,
    sale_price BIGINT NOT NULL,
    is_weigh BIGINT NOT NULL DEFAULT 0,
    remark TEXT NOT NULL DEFAULT '',
    salemenu_name TEXT NOT NULL DEFAULT '',
    supplier_name TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (order_id, sku_id)
);

-- Who changed what, when, from which state to which: one row per change.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT,
    at BIGINT NOT NULL,
    actor_role TEXT NOT NULL,
    actor_id BIGINT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT,
    detail TEXT
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id, id);

-- Transactional outbox: written in the same transaction as the change it announces.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT,
    at BIGINT NOT NULL,
    event_type TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX outbox_entity ON outbox (entity, entity_id, id);
