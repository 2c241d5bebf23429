-- Webhooks: subscriptions of API apps, one delivery per (subscription, event), and every
-- delivery attempt. Kept in step with ../postgres/0007_webhooks.sql.

CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    api_app_id BIGINT NOT NULL REFERENCES api_apps(id),
    url TEXT NOT NULL,
    -- '*' or a JSON array of event types.
    event_types TEXT NOT NULL,
    -- The signing secret is needed in clear to sign; it never leaves the server after creation.
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_secret_until BIGINT,
    paused_at BIGINT,
    pause_reason TEXT,
    consecutive_failures BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX subscriptions_tenant ON subscriptions (tenant_id);

CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL,
    subscription_id BIGINT NOT NULL REFERENCES subscriptions(id),
    event_id BIGINT NOT NULL REFERENCES outbox(id),
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    -- pending, delivered, dead
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    lease_owner TEXT,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at, id);
CREATE INDEX deliveries_chain ON deliveries (subscription_id, entity, entity_id, id);

CREATE TABLE delivery_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id BIGINT NOT NULL REFERENCES deliveries(id),
    at BIGINT NOT NULL,
    status_code BIGINT,
    latency_ms BIGINT NOT NULL,
    error TEXT,
    response_excerpt TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, id);
