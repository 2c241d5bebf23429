-- Queueing an event's webhook deliveries happens in the database, in the statement that writes
-- the event: one round trip per event instead of two. Same rule as before: every subscription of
-- the event's tenant whose event types are '*' or name the event. Kept in step with
-- ../sqlite/0010_outbox_fan_out.sql.
CREATE FUNCTION outbox_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deliveries (tenant_id, subscription_id, event_id, entity, entity_id, status, next_attempt_at, created_at)
    SELECT s.tenant_id, s.id, NEW.id, NEW.entity, NEW.entity_id, 'pending', NEW.at, NEW.at FROM subscriptions s
    WHERE s.tenant_id = NEW.tenant_id AND (s.event_types = '*' OR s.event_types LIKE '%"' || NEW.event_type || '"%');
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_fan_out AFTER INSERT ON outbox
    FOR EACH ROW WHEN (NEW.tenant_id IS NOT NULL) EXECUTE FUNCTION outbox_fan_out();
