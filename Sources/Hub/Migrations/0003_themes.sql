-- svledger hub, migration 3: each catalog's measures with their theme, and pledged against
-- claimed delivery by council, theme and measure.

-- The measures of each catalog as last published in each council's ledger.
CREATE VIEW catalog_measures AS
SELECT e.council,
       e.payload->'catalog'->>'catalogId'    AS catalog_id,
       m->>'code'                            AS measure,
       m->>'theme'                           AS theme,
       m->>'unit'                            AS unit,
       (m->>'proxyValueGBP')::numeric        AS proxy_gbp
FROM events e
CROSS JOIN LATERAL jsonb_array_elements(e.payload->'catalog'->'measures') AS m
WHERE e.event_type = 'CatalogPublished'
  AND e.position = (
      SELECT max(position) FROM events
      WHERE council = e.council AND event_type = 'CatalogPublished'
        AND payload->'catalog'->>'catalogId' = e.payload->'catalog'->>'catalogId');

DROP VIEW pledged_against_delivered;

CREATE VIEW pledged_against_delivered AS
SELECT c.council,
       coalesce(m.theme, '(not in the catalog)')                AS theme,
       c.measure,
       sum(c.quantity)                                          AS pledged_quantity,
       sum(c.value_gbp)                                         AS pledged_value_gbp,
       coalesce(sum(d.delivered), 0)                            AS delivered_quantity,
       coalesce(sum(round(d.delivered * c.proxy_gbp, 2)), 0)    AS delivered_value_gbp
FROM commitments c
LEFT JOIN catalog_measures m ON m.council = c.council AND m.catalog_id = c.catalog_id AND m.measure = c.measure
LEFT JOIN (
    SELECT council, contract, measure, sum(quantity) AS delivered FROM deliveries GROUP BY council, contract, measure
) d ON d.council = c.council AND d.contract = c.contract AND d.measure = c.measure
GROUP BY c.council, coalesce(m.theme, '(not in the catalog)'), c.measure;
