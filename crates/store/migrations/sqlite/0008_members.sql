-- Mall members and SMS captchas. Kept in step with ../postgres/0008_members.sql.

CREATE TABLE members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    username TEXT,
    phone TEXT,
    password_hash TEXT,
    openid TEXT,
    unionid TEXT,
    name TEXT NOT NULL DEFAULT '',
    real_name TEXT NOT NULL DEFAULT '',
    sex BIGINT NOT NULL DEFAULT 0,
    birthday TEXT,
    email TEXT,
    details TEXT NOT NULL DEFAULT '',
    avatar TEXT,
    weixin TEXT,
    invitation_code TEXT NOT NULL UNIQUE,
    inviter_id BIGINT REFERENCES members(id),
    status TEXT NOT NULL DEFAULT 'NORMAL',
    followed BIGINT NOT NULL DEFAULT 1,
    follow_time BIGINT,
    last_login_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (tenant_id, username),
    UNIQUE (tenant_id, phone),
    UNIQUE (tenant_id, openid)
);

-- A code sent by SMS; only its hash is kept.
CREATE TABLE captchas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    phone TEXT NOT NULL,
    template TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    client TEXT NOT NULL,
    wrong_tries BIGINT NOT NULL DEFAULT 0,
    used_at BIGINT,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX captchas_phone ON captchas (tenant_id, phone, id);
