-- Station finance: incoming payments (strikes), what they settled, and the customer ledger whose
-- entries always add up to customers.balance. Kept in step with ../postgres/0004_finance.sql.

CREATE TABLE strikes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    deal_code TEXT NOT NULL,
    arrival_time BIGINT NOT NULL,
    arrival_id TEXT NOT NULL,
    arrival_method TEXT NOT NULL,
    arrival_money BIGINT NOT NULL,
    strike_money BIGINT NOT NULL,
    balance_after BIGINT NOT NULL,
    remark TEXT NOT NULL DEFAULT '',
    operator TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, deal_code)
);
CREATE INDEX strikes_customer ON strikes (tenant_id, customer_id, arrival_time);

-- The part of a strike that settled one order.
CREATE TABLE strike_flows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    strike_id BIGINT NOT NULL REFERENCES strikes(id),
    order_id BIGINT NOT NULL REFERENCES orders(id),
    amount BIGINT NOT NULL,
    order_payment TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX strike_flows_strike ON strike_flows (strike_id, id);
CREATE INDEX strike_flows_order ON strike_flows (order_id);

-- Every change of a customer's balance; balance_after is the running sum.
CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    change BIGINT NOT NULL,
    balance_after BIGINT NOT NULL,
    change_type BIGINT NOT NULL,
    extra TEXT NOT NULL DEFAULT '',
    order_ids TEXT NOT NULL DEFAULT '[]',
    at BIGINT NOT NULL
);
CREATE INDEX ledger_customer ON ledger_entries (tenant_id, customer_id, id);
