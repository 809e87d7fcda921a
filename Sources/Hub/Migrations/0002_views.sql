-- svledger hub, migration 2: views for work across councils. Every figure here is read from
-- the events' payloads as recorded; money and quantities are the exact decimals the ledgers
-- wrote (strings in the payload, numeric here).

-- Each contract as registered, with its latest award.
CREATE VIEW contracts AS
SELECT r.council,
       r.payload->>'reference'                             AS contract,
       r.payload->>'title'                                 AS title,
       r.payload->>'buyerDepartment'                       AS buyer_department,
       r.payload->>'category'                              AS category,
       (r.payload->>'estimatedWholeLifeValueGBP')::numeric AS estimated_value_gbp,
       (r.payload->>'startDate')::date                     AS start_date,
       (r.payload->>'endDate')::date                       AS end_date,
       r.payload->>'policyId'                              AS policy_id,
       coalesce(a.payload->>'supplier', r.payload->>'existingSupplier') AS supplier,
       (coalesce(c.payload, a.payload)->>'valueGBP')::numeric   AS award_value_gbp,
       (coalesce(c.payload, a.payload)->>'awardDate')::date     AS award_date
FROM events r
LEFT JOIN LATERAL (
    SELECT payload FROM events
    WHERE council = r.council AND stream_id = r.stream_id AND event_type = 'ContractAwarded'
    ORDER BY position DESC LIMIT 1
) a ON true
LEFT JOIN LATERAL (   -- an award corrected since (its date and value; the supplier stays)
    SELECT payload FROM events
    WHERE council = r.council AND stream_id = r.stream_id AND event_type = 'AwardCorrected'
    ORDER BY position DESC LIMIT 1
) c ON true
WHERE r.event_type = 'ContractRegistered';

-- The commitments in force at each ledger's head: the lines of each contract's latest pledge
-- or review refresh.
CREATE VIEW commitments AS
SELECT e.council,
       split_part(e.stream_id, '/', 2)         AS contract,
       e.payload->>'catalogId'                 AS catalog_id,
       l->>'measure'                           AS measure,
       l->>'unit'                              AS unit,
       (l->>'quantity')::numeric               AS quantity,
       (l->>'proxyGBP')::numeric               AS proxy_gbp,
       (l->>'valueGBP')::numeric               AS value_gbp,
       e.position                              AS recorded_at_position
FROM events e
CROSS JOIN LATERAL jsonb_array_elements(e.payload->'lines') AS l
WHERE e.event_type IN ('PledgeRecorded', 'CommitmentsRefreshed')
  AND e.position = (
      SELECT max(position) FROM events
      WHERE council = e.council AND stream_id = e.stream_id AND event_type IN ('PledgeRecorded', 'CommitmentsRefreshed'));

-- What each return claimed, by quarter and measure: the latest line recorded for it (a
-- correction's line replaces the return's).
CREATE VIEW deliveries AS
SELECT DISTINCT ON (e.council, e.stream_id, e.payload->>'quarter', l->>'measure')
       e.council,
       split_part(e.stream_id, '/', 2) AS contract,
       e.payload->>'quarter'           AS quarter,
       l->>'measure'                   AS measure,
       (l->>'quantity')::numeric       AS quantity,
       (l->>'pledged')::boolean        AS pledged,
       e.event_type                    AS source,
       e.position
FROM events e
CROSS JOIN LATERAL jsonb_array_elements(e.payload->'lines') AS l
WHERE e.event_type IN ('DeliveryReported', 'DeliveryCorrected')
ORDER BY e.council, e.stream_id, e.payload->>'quarter', l->>'measure', e.position DESC;

-- Pledged against claimed delivery, by council and measure: the commitments in force, and
-- every quarter's claimed quantity, valued at the proxy in force.
CREATE VIEW pledged_against_delivered AS
SELECT c.council,
       c.measure,
       sum(c.quantity)                                          AS pledged_quantity,
       sum(c.value_gbp)                                         AS pledged_value_gbp,
       coalesce(sum(d.delivered), 0)                            AS delivered_quantity,
       coalesce(sum(round(d.delivered * c.proxy_gbp, 2)), 0)    AS delivered_value_gbp
FROM commitments c
LEFT JOIN (
    SELECT council, contract, measure, sum(quantity) AS delivered FROM deliveries GROUP BY council, contract, measure
) d ON d.council = c.council AND d.contract = c.contract AND d.measure = c.measure
GROUP BY c.council, c.measure;
