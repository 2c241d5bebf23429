-- Station after-sales: abnormal records and refunds of order lines. Kept in step with
-- ../postgres/0003_after_sales.sql. Cancelled records keep their row (canceled_at set).

CREATE TABLE order_abnormals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    order_id BIGINT NOT NULL REFERENCES orders(id),
    sku_id BIGINT NOT NULL,
    exception_reason BIGINT NOT NULL,
    final_amount_milli BIGINT NOT NULL,
    money_delta BIGINT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    canceled_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX order_abnormals_order ON order_abnormals (order_id, id);

CREATE TABLE order_refunds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    order_id BIGINT NOT NULL REFERENCES orders(id),
    sku_id BIGINT NOT NULL,
    exception_reason BIGINT NOT NULL,
    request_amount_milli BIGINT NOT NULL,
    real_amount_milli BIGINT NOT NULL DEFAULT 0,
    state BIGINT NOT NULL DEFAULT 1,
    text TEXT NOT NULL DEFAULT '',
    canceled_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX order_refunds_order ON order_refunds (order_id, id);
