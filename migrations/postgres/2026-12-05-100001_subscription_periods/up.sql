-- ebok:offline: nodes of the previous version would keep issuing invoices without recording the billed period while this one backfills it, and the rule "a period is billed once" would not hold for them
-- "This service's subscription for this billing period is invoiced" (domain::subscription_periods),
-- recorded by every path that issues a subscription line. Kept in step with the SQLite twin.
CREATE TABLE subscription_periods (
    id BIGSERIAL PRIMARY KEY,
    service_id BIGINT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    -- The service's contract when the fact was recorded, for staff's counts per contract.
    contract_id BIGINT REFERENCES contracts (id) ON DELETE SET NULL,
    -- The billing period, 'YYYY-MM'.
    period TEXT NOT NULL,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    source TEXT NOT NULL CHECK (source IN ('billing_run', 'manual', 'demo', 'earlier')),
    created_at TIMESTAMP NOT NULL,
    -- The corrective invoice that cancelled the subscription line and so freed the period.
    released_by_invoice_id BIGINT REFERENCES invoices (id),
    released_at TIMESTAMP
);
-- The rule itself: one subscription in force per service and period, whatever issued it.
CREATE UNIQUE INDEX subscription_periods_in_force
    ON subscription_periods (service_id, period) WHERE released_by_invoice_id IS NULL;
CREATE INDEX subscription_periods_invoice ON subscription_periods (invoice_id);
CREATE INDEX subscription_periods_period ON subscription_periods (period, source);

-- Invoices issued before the fact was recorded: their service lines billed in a period ('usł.'
-- lines; queued one-off charges are 'szt.'). Where wave 1 billed a period twice, the first
-- invoice holds the fact.
INSERT INTO subscription_periods (service_id, contract_id, period, invoice_id, source, created_at)
SELECT l.service_id, s.contract_id, to_char(i.period_start, 'YYYY-MM'), MIN(i.id), 'earlier',
       MIN(i.created_at)
FROM invoice_lines l
JOIN invoices i ON i.id = l.invoice_id
JOIN services s ON s.id = l.service_id
WHERE i.kind = 'invoice' AND i.status = 'issued' AND i.period_start IS NOT NULL
  AND l.side = 'line' AND l.unit = 'usł.'
GROUP BY l.service_id, s.contract_id, to_char(i.period_start, 'YYYY-MM');
