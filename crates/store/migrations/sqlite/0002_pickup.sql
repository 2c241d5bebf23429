-- Offline pickup packages, rate-limit events, and the store an audit record belongs to.
-- Kept in step with ../postgres/0002_pickup.sql.

-- A package waiting at a store, with its six-digit pickup code (`pickup_key`).
CREATE TABLE pickup_packages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    store_id BIGINT NOT NULL REFERENCES stores(id),
    order_id BIGINT NOT NULL REFERENCES orders(id),
    order_token TEXT NOT NULL UNIQUE,
    pickup_key TEXT NOT NULL,
    key_status TEXT NOT NULL,
    stock_status TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    used_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- A code is unique among its store's live codes (unused or used, which a rollback may revive).
CREATE UNIQUE INDEX pickup_live_key ON pickup_packages (store_id, pickup_key) WHERE key_status IN ('unused', 'used');
CREATE INDEX pickup_order ON pickup_packages (tenant_id, order_id);
CREATE INDEX pickup_store ON pickup_packages (store_id, id);

-- Events counted by rate limits (failed sign-ins, failed code checks, ...).
CREATE TABLE rate_events (
    bucket TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX rate_events_bucket ON rate_events (bucket, at);

ALTER TABLE audit_log ADD COLUMN store_id BIGINT;
CREATE INDEX audit_store ON audit_log (tenant_id, store_id, id);
