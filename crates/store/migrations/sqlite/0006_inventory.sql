-- Inventory: stock per SPU (in its standard unit, thousandths), in-stock and out-stock sheets.
-- Kept in step with ../postgres/0006_inventory.sql.

CREATE TABLE stock (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    spu_id BIGINT NOT NULL REFERENCES spus(id),
    quantity_milli BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, spu_id)
);

-- kind: in / out; status: draft, submitted, rejected, deleted.
CREATE TABLE stock_sheets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    order_id BIGINT REFERENCES orders(id),
    remark TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT
);
CREATE INDEX stock_sheets_tenant ON stock_sheets (tenant_id, kind, id);
CREATE INDEX stock_sheets_order ON stock_sheets (order_id);

CREATE TABLE stock_sheet_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sheet_id BIGINT NOT NULL REFERENCES stock_sheets(id),
    spu_id BIGINT NOT NULL REFERENCES spus(id),
    quantity_milli BIGINT NOT NULL,
    price BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX stock_sheet_lines_sheet ON stock_sheet_lines (sheet_id, id);
