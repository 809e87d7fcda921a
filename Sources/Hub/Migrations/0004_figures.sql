-- svledger hub, migration 4: each council's figures (Schemas/README.md §10) worked out in SQL
-- from the hub's rows alone, so that its totals can be matched with the council's own figures
-- file to the penny, and the digest the council publishes recomputed here. This is a third
-- implementation of the reconciliation (after svledger and tools/reconcile_ledger.py), written
-- from the same definitions; the hub's tests check that all three agree byte for byte.
--
-- Exactness: every figure is `numeric` (exact decimals). Where the definitions round a quotient
-- ("halves away from zero"), it is worked with integer division (`div`) on exact values, never
-- with a division whose last digit is itself rounded.

-- a ÷ b rounded to `places` decimals, halves away from zero.
CREATE FUNCTION svledger_ratio(a numeric, b numeric, places integer) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT round(sign(a) * sign(b) * div(abs(a) * 2 * 10::numeric ^ places + abs(b), 2 * abs(b))
                 / 10::numeric ^ places, places)
$$;

-- The first and last days of a financial quarter written YYYY-YY-QN (April to March).
CREATE FUNCTION svledger_quarter_first_day(quarter text) RETURNS date
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT (make_date(left(quarter, 4)::integer, 4, 1) + make_interval(months => 3 * (right(quarter, 1)::integer - 1)))::date
$$;

CREATE FUNCTION svledger_quarter_last_day(quarter text) RETURNS date
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT (svledger_quarter_first_day(quarter) + interval '3 months' - interval '1 day')::date
$$;

-- The rating of docs/rules.md: delivered ÷ expected to six decimals against the cut-offs
-- (good, approaching target, requires improvement); nothing expected is not yet due.
CREATE FUNCTION svledger_rating(delivered numeric, expected numeric, cut_offs numeric[]) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE
        WHEN expected = 0 THEN 'not yet due'
        WHEN svledger_ratio(delivered, expected, 6) >= cut_offs[1] THEN 'good'
        WHEN svledger_ratio(delivered, expected, 6) >= cut_offs[2] THEN 'approaching target'
        WHEN svledger_ratio(delivered, expected, 6) >= cut_offs[3] THEN 'requires improvement'
        ELSE 'inadequate'
    END
$$;

-- svledger's cut-offs, for a policy that states none and for a group whose lines' differ.
CREATE FUNCTION svledger_default_cut_offs() RETURNS numeric[]
LANGUAGE sql IMMUTABLE AS $$ SELECT ARRAY[0.95, 0.80, 0.50]::numeric[] $$;

-- The root of the Merkle tree of a council's events 1 to `size` (Schemas/README.md §11,
-- RFC 9162): worked level by level, each pair of nodes hashed into one and an odd last node
-- carried up as it is, which gives RFC 9162's root. Only reads, so a read-only replica of the
-- hub can work it out too.
CREATE FUNCTION svledger_tree_root(p_council text, size bigint) RETURNS bytea
LANGUAGE plpgsql STABLE STRICT AS $$
DECLARE
    level bytea[];
BEGIN
    IF size = 0 THEN RETURN sha256(''::bytea); END IF;
    level := ARRAY(SELECT sha256('\x00'::bytea || convert_to(canonical, 'UTF8'))
                   FROM events WHERE council = p_council AND position <= size ORDER BY position);
    WHILE cardinality(level) > 1 LOOP
        level := ARRAY(
            SELECT CASE WHEN count(*) = 2 THEN sha256('\x01'::bytea || string_agg(node, ''::bytea ORDER BY number))
                        ELSE (array_agg(node))[1] END
            FROM unnest(level) WITH ORDINALITY AS t(node, number)
            GROUP BY (number - 1) / 2 ORDER BY (number - 1) / 2);
    END LOOP;
    RETURN level[1];
END
$$;

-- One row per commitment line of each contract with a commitment in force on the reporting
-- date, with its £ figures, rating and quantities (the `measure` rows of the figures file),
-- and what the roll-ups need: the contract's supplier, the line's theme and priorities, and
-- the cut-offs it was rated on. A contract in force with no lines gives one row whose
-- measure is null, so that it still has its contract and supplier rows.
CREATE FUNCTION svledger_figure_lines(p_council text, p_period text, p_reporting date)
RETURNS TABLE (
    contract text, measure text, supplier text, theme text, priorities text[], cut_offs numeric[],
    original numeric, current numeric, delivered numeric, validated numeric, capped numeric,
    expected numeric, rating text,
    delivered_quantity numeric, validated_quantity numeric, expected_quantity numeric)
LANGUAGE sql STABLE AS $$
WITH
ev AS (SELECT * FROM events WHERE council = p_council),
-- Each policy version, and the one in force on the reporting date: the latest effective on or
-- before it (the one adopted later between equal dates), else the first adopted.
policy_versions AS (
    SELECT e.payload->'policy'->>'policyId' AS policy_id,
           (e.payload->'policy'->>'effectiveDate')::date AS effective,
           e.position,
           CASE WHEN e.payload->'policy'->'ratingCutOffs' IS NULL THEN svledger_default_cut_offs()
                ELSE ARRAY[(e.payload->'policy'->'ratingCutOffs'->>'good')::numeric,
                           (e.payload->'policy'->'ratingCutOffs'->>'approachingTarget')::numeric,
                           (e.payload->'policy'->'ratingCutOffs'->>'requiresImprovement')::numeric] END AS cut_offs,
           coalesce(e.payload->'policy'->>'ratedDelivery', 'claimed') AS rated
    FROM ev e WHERE e.event_type = 'PolicyAdopted'),
policy_in_force AS (
    SELECT DISTINCT ON (policy_id) policy_id, cut_offs, rated
    FROM policy_versions
    ORDER BY policy_id, (effective <= p_reporting) DESC,
             CASE WHEN effective <= p_reporting THEN effective END DESC,
             CASE WHEN effective <= p_reporting THEN position END DESC,
             position),
-- Each catalog version as last published, measure by measure.
catalogs AS (
    SELECT DISTINCT ON (e.payload->'catalog'->>'catalogId', e.payload->'catalog'->>'version')
           e.payload->'catalog'->>'catalogId' AS catalog_id, e.payload->'catalog'->>'version' AS catalog_version,
           e.payload->'catalog'->'measures' AS measures
    FROM ev e WHERE e.event_type = 'CatalogPublished'
    ORDER BY e.payload->'catalog'->>'catalogId', e.payload->'catalog'->>'version', e.position DESC),
catalog_measures AS (
    SELECT DISTINCT ON (c.catalog_id, c.catalog_version, m.value->>'code')
           c.catalog_id, c.catalog_version, m.value->>'code' AS measure, m.value->>'theme' AS theme,
           coalesce(m.value->>'returns', 'add-up') AS accrual,
           ARRAY(SELECT DISTINCT f.key || ': ' || n.value
                 FROM jsonb_each(coalesce(m.value->'priorities', '{}'::jsonb)) f
                 CROSS JOIN LATERAL jsonb_array_elements_text(f.value) n) AS priorities
    FROM catalogs c CROSS JOIN LATERAL jsonb_array_elements(c.measures) WITH ORDINALITY m
    ORDER BY c.catalog_id, c.catalog_version, m.value->>'code', m.ordinality DESC),
registered AS (
    SELECT DISTINCT ON (stream_id) stream_id, substr(stream_id, 10) AS contract,
           payload->>'policyId' AS policy_id, (payload->>'startDate')::date AS start_date, (payload->>'endDate')::date AS end_date
    FROM ev WHERE event_type = 'ContractRegistered' AND stream_id LIKE 'contract/%'
    ORDER BY stream_id, position DESC),
-- The pledge in force: the last one effective on or before the reporting date. It sets the
-- original lines; the review refreshes in force after it change the current ones.
pledge AS (
    SELECT DISTINCT ON (stream_id) stream_id, position, effective_date, payload
    FROM ev WHERE event_type = 'PledgeRecorded' AND effective_date <= p_reporting
    ORDER BY stream_id, position DESC),
commitment_events AS (
    SELECT e.stream_id, e.position, e.payload
    FROM ev e JOIN pledge p ON p.stream_id = e.stream_id
    WHERE e.position = p.position
       OR (e.event_type = 'CommitmentsRefreshed' AND e.effective_date <= p_reporting AND e.position > p.position)),
in_force AS (
    SELECT DISTINCT ON (stream_id) stream_id, payload FROM commitment_events ORDER BY stream_id, position DESC),
contracts AS (
    SELECT r.stream_id, r.contract, r.start_date, r.end_date,
           greatest(r.start_date, p.effective_date) AS spread_start,
           greatest(r.end_date - greatest(r.start_date, p.effective_date) + 1, 1) AS d,
           nullif(p.payload->>'supplier', '') AS supplier,
           i.payload->>'catalogId' AS catalog_id, i.payload->>'catalogVersion' AS catalog_version,
           coalesce(pol.cut_offs, svledger_default_cut_offs()) AS cut_offs,
           coalesce(pol.rated, 'claimed') AS rated
    FROM pledge p
    JOIN registered r ON r.stream_id = p.stream_id
    JOIN in_force i ON i.stream_id = p.stream_id
    LEFT JOIN policy_in_force pol ON pol.policy_id = r.policy_id),
spreads AS (
    SELECT c.*, least(greatest(p_reporting - c.spread_start + 1, 0), c.d) AS e FROM contracts c),
-- A commitment's lines: a proxy of 0 is none (a record-only line).
original_lines AS (
    SELECT p.stream_id, l.value->>'measure' AS measure, (l.value->>'quantity')::numeric AS quantity,
           nullif((l.value->>'proxyGBP')::numeric, 0) AS proxy
    FROM pledge p CROSS JOIN LATERAL jsonb_array_elements(p.payload->'lines') l),
current_lines AS (
    SELECT i.stream_id, l.value->>'measure' AS measure, (l.value->>'quantity')::numeric AS quantity,
           nullif((l.value->>'proxyGBP')::numeric, 0) AS proxy
    FROM in_force i CROSS JOIN LATERAL jsonb_array_elements(i.payload->'lines') l),
line_measures AS (
    SELECT DISTINCT c.stream_id, l.value->>'measure' AS measure
    FROM commitment_events c CROSS JOIN LATERAL jsonb_array_elements(c.payload->'lines') l),
-- Every figure named up to the period: a return's or correction's line, a query or answer, a
-- decision. The last to name a figure says whether it stands validated.
returned AS (
    SELECT e.stream_id, e.position, l.ordinality, e.payload->>'quarter' AS quarter, l.value->>'measure' AS measure,
           (l.value->>'quantity')::numeric AS quantity, (l.value->>'pledged')::boolean AS pledged
    FROM ev e CROSS JOIN LATERAL jsonb_array_elements(e.payload->'lines') WITH ORDINALITY l
    WHERE e.event_type IN ('DeliveryReported', 'DeliveryCorrected') AND e.payload->>'quarter' <= p_period COLLATE "C"),
figures AS (
    SELECT DISTINCT ON (stream_id, quarter, measure) stream_id, quarter, measure, quantity, pledged
    FROM returned ORDER BY stream_id, quarter, measure, position DESC, ordinality DESC),
namings AS (
    SELECT stream_id, position, quarter, measure, false AS validated FROM returned
    UNION ALL
    SELECT stream_id, position, payload->>'quarter', payload->>'measure', false
    FROM ev WHERE event_type IN ('DeliveryQueried', 'QueryAnswered') AND payload->>'quarter' <= p_period COLLATE "C"
    UNION ALL
    SELECT e.stream_id, e.position, e.payload->>'quarter', f.value->>'measure', e.event_type = 'DeliveryValidated'
    FROM ev e CROSS JOIN LATERAL jsonb_array_elements(e.payload->'figures') f
    WHERE e.event_type IN ('DeliveryValidated', 'DeliveryRejected') AND e.payload->>'quarter' <= p_period COLLATE "C"),
standing AS (
    SELECT DISTINCT ON (stream_id, quarter, measure) stream_id, quarter, measure, validated
    FROM namings ORDER BY stream_id, quarter, measure, position DESC),
-- Each pledged figure as delivery for its quarter: a level's return accrued by the quarter's
-- share (docs/rules.md "Levels and flows").
accrued AS (
    SELECT s.stream_id, f.measure, coalesce(st.validated, false) AS validated,
           CASE coalesce(m.accrual, 'add-up')
               WHEN 'level-per-year' THEN f.quantity * 0.25
               WHEN 'level-over-term' THEN svledger_ratio(
                   f.quantity * greatest(least(svledger_quarter_last_day(f.quarter), s.spread_start + s.d - 1)
                                         - greatest(svledger_quarter_first_day(f.quarter), s.spread_start) + 1, 0),
                   s.d, 4)
               ELSE f.quantity END AS quantity
    FROM figures f
    JOIN spreads s ON s.stream_id = f.stream_id
    LEFT JOIN catalog_measures m ON m.catalog_id = s.catalog_id AND m.catalog_version = s.catalog_version AND m.measure = f.measure
    LEFT JOIN standing st ON st.stream_id = f.stream_id AND st.quarter = f.quarter AND st.measure = f.measure
    WHERE f.pledged),
delivered AS (
    SELECT stream_id, measure, sum(quantity) AS quantity,
           sum(CASE WHEN validated THEN quantity ELSE 0 END) AS validated_quantity
    FROM accrued GROUP BY stream_id, measure),
lines AS (
    SELECT s.contract, s.supplier, s.cut_offs, s.rated, s.e, s.d, lm.measure,
           coalesce(m.theme, '(unknown theme)') AS theme, coalesce(m.priorities, '{}') AS priorities,
           coalesce(round(o.quantity * o.proxy, 2), 0) AS original,
           cl.measure IS NOT NULL AS in_current,
           coalesce(cl.quantity, 0) AS current_quantity,
           CASE WHEN cl.measure IS NOT NULL THEN cl.proxy ELSE o.proxy END AS proxy,
           coalesce(round(cl.quantity * cl.proxy, 2), 0) AS current,
           coalesce(dl.quantity, 0) AS delivered_quantity,
           coalesce(dl.validated_quantity, 0) AS validated_quantity
    FROM spreads s
    JOIN line_measures lm ON lm.stream_id = s.stream_id
    LEFT JOIN original_lines o ON o.stream_id = s.stream_id AND o.measure = lm.measure
    LEFT JOIN current_lines cl ON cl.stream_id = s.stream_id AND cl.measure = lm.measure
    LEFT JOIN delivered dl ON dl.stream_id = s.stream_id AND dl.measure = lm.measure
    LEFT JOIN catalog_measures m ON m.catalog_id = s.catalog_id AND m.catalog_version = s.catalog_version AND m.measure = lm.measure),
priced AS (
    SELECT l.*,
           coalesce(round(l.delivered_quantity * l.proxy, 2), 0) AS delivered,
           coalesce(round(l.validated_quantity * l.proxy, 2), 0) AS validated,
           svledger_ratio(l.current * l.e, l.d, 2) AS expected,
           svledger_ratio(l.current_quantity * l.e, l.d, 4) AS expected_quantity
    FROM lines l),
rated AS (
    SELECT p.*,
           CASE WHEN p.rated = 'validated' THEN p.validated ELSE p.delivered END AS rated_value,
           CASE WHEN p.rated = 'validated' THEN p.validated_quantity ELSE p.delivered_quantity END AS rated_quantity
    FROM priced p)
SELECT r.contract, r.measure, r.supplier, r.theme, r.priorities, r.cut_offs,
       r.original, r.current, r.delivered, r.validated,
       least(r.rated_value, greatest(r.expected, 0)),
       r.expected,
       CASE WHEN r.proxy IS NULL
            THEN svledger_rating(least(r.rated_quantity, r.expected_quantity), r.expected_quantity, r.cut_offs)
            ELSE svledger_rating(least(r.rated_value, greatest(r.expected, 0)), r.expected, r.cut_offs) END,
       r.delivered_quantity, r.validated_quantity, r.expected_quantity
FROM rated r
UNION ALL
SELECT s.contract, NULL, s.supplier, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL
FROM spreads s WHERE NOT EXISTS (SELECT 1 FROM line_measures lm WHERE lm.stream_id = s.stream_id)
$$;

-- A field of the figures file: quoted only when it holds a comma, a double quote, CR or LF.
CREATE FUNCTION svledger_csv_field(field text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE WHEN field ~ '[,"\r\n]' THEN '"' || replace(field, '"', '""') || '"' ELSE field END
$$;

-- The figures file of Schemas/README.md §10, from the hub's rows: every level's rows, in the
-- file's order (keys by their UTF-8 bytes).
CREATE FUNCTION svledger_figure_rows(p_council text, p_period text, p_reporting date)
RETURNS TABLE (level text, key text, measure text, original numeric, current numeric, delivered numeric,
               validated numeric, capped numeric, expected numeric, variance numeric, rating text,
               delivered_quantity numeric, validated_quantity numeric, expected_quantity numeric)
LANGUAGE sql STABLE AS $$
WITH
lines AS (SELECT * FROM svledger_figure_lines(p_council, p_period, p_reporting)),
priced AS (SELECT * FROM lines WHERE measure IS NOT NULL),
groups AS (
    SELECT 2 AS rank, 'contract' AS level, contract AS key, l.* FROM lines l
    UNION ALL SELECT 3, 'theme', theme, l.* FROM priced l
    UNION ALL SELECT 4, 'priority', p.priority, l.* FROM priced l CROSS JOIN LATERAL unnest(l.priorities) AS p(priority)
    UNION ALL SELECT 5, 'supplier', coalesce(supplier, '(no supplier)'), l.* FROM lines l
    UNION ALL SELECT 6, 'portfolio', 'portfolio', l.* FROM lines l
    UNION ALL SELECT 6, 'portfolio', 'portfolio', NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL),
sums AS (
    SELECT rank, level, key,
           sum(original) AS original, sum(current) AS current, sum(delivered) AS delivered,
           sum(validated) AS validated, sum(capped) AS capped, sum(expected) AS expected,
           -- the cut-offs all its lines share, else svledger's
           CASE WHEN count(DISTINCT cut_offs) = 1 THEN min(cut_offs) ELSE svledger_default_cut_offs() END AS cut_offs
    FROM groups GROUP BY rank, level, key)
SELECT level, key, measure, original, current, delivered, validated, capped, expected, delivered - expected,
       rating, delivered_quantity, validated_quantity, expected_quantity
FROM (
    SELECT 1 AS rank, 'measure' AS level, contract AS key, measure, original, current, delivered, validated, capped,
           expected, rating, delivered_quantity, validated_quantity, expected_quantity
    FROM priced
    UNION ALL
    SELECT rank, level, key, NULL, original, current, delivered, validated, capped, expected,
           svledger_rating(capped, expected, cut_offs), NULL, NULL, NULL
    FROM sums) r
ORDER BY rank, key COLLATE "C", measure COLLATE "C"
$$;

-- The figures file itself, at the hub's head for the council.
CREATE FUNCTION svledger_figures(p_council text, p_period text, p_reporting date) RETURNS text
LANGUAGE sql STABLE AS $$
WITH head AS (
    SELECT coalesce(max(position), 0) AS position,
           coalesce((SELECT hash FROM events WHERE council = p_council ORDER BY position DESC LIMIT 1), repeat('0', 64)) AS hash
    FROM events WHERE council = p_council)
SELECT 'svledger-figures/4' || E'\n'
    || 'head,' || head.position || ',' || head.hash || E'\n'
    || 'tree,' || encode(svledger_tree_root(p_council, head.position), 'base64') || E'\n'
    || 'period,' || p_period || ',' || to_char(p_reporting, 'YYYY-MM-DD') || E'\n'
    || 'level,key,measure,original,current,delivered,validated,capped,expected,variance,rating,deliveredQuantity,validatedQuantity,expectedQuantity' || E'\n'
    || coalesce((
        SELECT string_agg(concat_ws(',', r.level, svledger_csv_field(r.key), svledger_csv_field(coalesce(r.measure, '')),
                   round(r.original, 2), round(r.current, 2), round(r.delivered, 2), round(r.validated, 2),
                   round(r.capped, 2), round(r.expected, 2), round(r.variance, 2), r.rating,
                   coalesce(trim_scale(r.delivered_quantity)::text, ''),
                   coalesce(trim_scale(r.validated_quantity)::text, ''),
                   coalesce(trim_scale(r.expected_quantity)::text, '')) || E'\n', '' ORDER BY r.ordinality)
        FROM svledger_figure_rows(p_council, p_period, p_reporting) WITH ORDINALITY r), '')
FROM head
$$;

-- The reporting date of a period as svledger reads it at the head: the period's last day, or
-- today (UTC) if earlier.
CREATE FUNCTION svledger_reporting_date(p_period text) RETURNS date
LANGUAGE sql STABLE STRICT AS $$
    SELECT least(svledger_quarter_last_day(p_period), (now() AT TIME ZONE 'UTC')::date)
$$;

-- The digest every read of the council's figures states: sha256: and 64 hex digits.
CREATE FUNCTION svledger_figures_digest(p_council text, p_period text) RETURNS text
LANGUAGE sql STABLE STRICT AS $$
    SELECT 'sha256:' || encode(sha256(convert_to(svledger_figures(p_council, p_period, svledger_reporting_date(p_period)), 'UTF8')), 'hex')
$$;
