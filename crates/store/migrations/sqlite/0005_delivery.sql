-- Station delivery: carriers, car models, drivers, routes, and the driver an order is assigned
-- to. Kept in step with ../postgres/0005_delivery.sql.

CREATE TABLE carriers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE car_models (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    max_load BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

-- state: 1 enabled, 2 disabled.
CREATE TABLE drivers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    carrier_id BIGINT NOT NULL REFERENCES carriers(id),
    car_model_id BIGINT NOT NULL REFERENCES car_models(id),
    plate_number TEXT NOT NULL,
    share BIGINT NOT NULL DEFAULT 0,
    state BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE routes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    create_user TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

-- A customer is on at most one route.
CREATE TABLE route_customers (
    route_id BIGINT NOT NULL REFERENCES routes(id),
    customer_id BIGINT NOT NULL UNIQUE REFERENCES customers(id)
);
CREATE INDEX route_customers_route ON route_customers (route_id);

ALTER TABLE orders ADD COLUMN driver_id BIGINT REFERENCES drivers(id);
CREATE INDEX orders_driver ON orders (tenant_id, driver_id);
