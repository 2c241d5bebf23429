-- Lookups on hot paths that had no index of their own: a pickup code at a store whatever its
-- status (check, consume and rollback find cancelled and expired codes too, to say why).
CREATE INDEX pickup_store_key ON pickup_packages (store_id, pickup_key, id);
