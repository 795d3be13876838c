-- Moves what the old `visits` table holds into the new storage (raw_visits, dict, rollups) and
-- turns every stored conversion into its registration event (Contract B), applied to the rollups
-- with its visit's attributes (or without, when its visit is not stored). Safe to run again: the
-- old visits are deleted once moved, and an event is applied only by the run that inserts it.
-- A visit recorded before this release kept its country, user agent, referrer URL and query
-- parameters: they become country, user agent, referrer domain, var1…var10 and the external ID.
CREATE TABLE `backfill_visits` AS
WITH o AS (
  SELECT created_at, click_id, campaign_id, offer_id, cost_micros, nullif(user_agent, '') AS user_agent,
    nullif(country, '') AS country, CASE WHEN json_valid(params) THEN params ELSE '{}' END AS params,
    lower(CASE WHEN instr(referrer, '://') > 0 THEN substr(referrer, instr(referrer, '://') + 3) END) AS ref
  FROM visits
),
-- The referrer's host: cut at the path, query and fragment, then drop user info and port.
h1 AS (SELECT o.*, CASE WHEN instr(ref, '/') > 0 THEN substr(ref, 1, instr(ref, '/') - 1) ELSE ref END AS x FROM o),
h2 AS (SELECT h1.*, CASE WHEN instr(x, '?') > 0 THEN substr(x, 1, instr(x, '?') - 1) ELSE x END AS y FROM h1),
h3 AS (SELECT h2.*, CASE WHEN instr(y, '#') > 0 THEN substr(y, 1, instr(y, '#') - 1) ELSE y END AS z FROM h2),
h4 AS (SELECT h3.*, CASE WHEN instr(z, '@') > 0 THEN substr(z, instr(z, '@') + 1) ELSE z END AS w FROM h3),
h AS (SELECT h4.*, CASE WHEN instr(w, ':') > 0 THEN substr(w, 1, instr(w, ':') - 1) ELSE w END AS host FROM h4)
SELECT created_at, click_id, campaign_id, offer_id, cost_micros, user_agent, country,
  nullif(CASE WHEN host LIKE 'www.%' THEN substr(host, 5) ELSE host END, '') AS referrer_domain,
  nullif(params ->> '$.externalid', '') AS external_id,
  nullif(params ->> '$.var1', '') AS var1,
  nullif(params ->> '$.var2', '') AS var2,
  nullif(params ->> '$.var3', '') AS var3,
  nullif(params ->> '$.var4', '') AS var4,
  nullif(params ->> '$.var5', '') AS var5,
  nullif(params ->> '$.var6', '') AS var6,
  nullif(params ->> '$.var7', '') AS var7,
  nullif(params ->> '$.var8', '') AS var8,
  nullif(params ->> '$.var9', '') AS var9,
  nullif(params ->> '$.var10', '') AS var10
FROM h;
--> statement-breakpoint
INSERT INTO `dict` (value)
SELECT DISTINCT j.value FROM backfill_visits b, json_each(json_array(b.country, b.user_agent, b.referrer_domain, b.var1, b.var2, b.var3, b.var4, b.var5, b.var6, b.var7, b.var8, b.var9, b.var10)) j
WHERE j.value IS NOT NULL
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO `raw_visits` (created_at, click_id, campaign_id, offer_id, cost_micros, external_id, bot, user_agent, country, referrer_domain, var1, var2, var3, var4, var5, var6, var7, var8, var9, var10)
SELECT b.created_at, b.click_id, b.campaign_id, b.offer_id, b.cost_micros, b.external_id, 0, (SELECT id FROM dict WHERE value = b.user_agent),
  (SELECT id FROM dict WHERE value = b.country), (SELECT id FROM dict WHERE value = b.referrer_domain), (SELECT id FROM dict WHERE value = b.var1), (SELECT id FROM dict WHERE value = b.var2), (SELECT id FROM dict WHERE value = b.var3), (SELECT id FROM dict WHERE value = b.var4), (SELECT id FROM dict WHERE value = b.var5), (SELECT id FROM dict WHERE value = b.var6), (SELECT id FROM dict WHERE value = b.var7), (SELECT id FROM dict WHERE value = b.var8), (SELECT id FROM dict WHERE value = b.var9), (SELECT id FROM dict WHERE value = b.var10)
FROM backfill_visits b WHERE true
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO `rollup_q` (dim, bucket, campaign_id, traffic_source_id, offer_id, lander_id, path_id, value, visits, cost_micros)
SELECT d.column1, r.created_at / 900000, r.campaign_id, 0, coalesce(r.offer_id, 0), 0, 0,
  CASE d.column1 WHEN 0 THEN 0 WHEN 1 THEN r.country WHEN 13 THEN r.referrer_domain WHEN 15 THEN r.var1 WHEN 16 THEN r.var2 WHEN 17 THEN r.var3 WHEN 18 THEN r.var4 WHEN 19 THEN r.var5 WHEN 20 THEN r.var6 WHEN 21 THEN r.var7 WHEN 22 THEN r.var8 WHEN 23 THEN r.var9 WHEN 24 THEN r.var10 END AS val, count(*), sum(r.cost_micros)
FROM backfill_visits b CROSS JOIN raw_visits r ON r.created_at = b.created_at AND r.click_id = b.click_id
  CROSS JOIN (VALUES (0), (1), (13), (15), (16), (17), (18), (19), (20), (21), (22), (23), (24)) d
WHERE val IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET visits = visits + excluded.visits, cost_micros = cost_micros + excluded.cost_micros;
--> statement-breakpoint
INSERT INTO `rollup_d` (dim, bucket, campaign_id, traffic_source_id, offer_id, lander_id, path_id, value, visits, cost_micros)
SELECT d.column1, r.created_at / 900000 / 96, r.campaign_id, 0, coalesce(r.offer_id, 0), 0, 0,
  CASE d.column1 WHEN 0 THEN 0 WHEN 1 THEN r.country WHEN 13 THEN r.referrer_domain WHEN 15 THEN r.var1 WHEN 16 THEN r.var2 WHEN 17 THEN r.var3 WHEN 18 THEN r.var4 WHEN 19 THEN r.var5 WHEN 20 THEN r.var6 WHEN 21 THEN r.var7 WHEN 22 THEN r.var8 WHEN 23 THEN r.var9 WHEN 24 THEN r.var10 END AS val, count(*), sum(r.cost_micros)
FROM backfill_visits b CROSS JOIN raw_visits r ON r.created_at = b.created_at AND r.click_id = b.click_id
  CROSS JOIN (VALUES (0), (1), (13), (15), (16), (17), (18), (19), (20), (21), (22), (23), (24)) d
WHERE val IS NOT NULL
  AND r.created_at / 900000 < (SELECT compacted_until FROM rollup_state WHERE id = 1)
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET visits = visits + excluded.visits, cost_micros = cost_micros + excluded.cost_micros;
--> statement-breakpoint
INSERT INTO `conversion_events` (id, conversion_id, click_id, visit_time, campaign_id, offer_id, lander_id, type_id,
  status, previous_status, payout_micros, previous_payout_micros, at, batch)
SELECT c.id || ':1', c.id, c.click_id, coalesce(b.created_at / 1000 * 1000, 0), c.campaign_id, c.offer_id, NULL,
  c.type_id, 'approved', NULL, c.payout_micros, 0, c.conversion_time, 'backfill'
FROM conversions c LEFT JOIN backfill_visits b ON b.click_id = c.click_id WHERE true
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO `rollup_q` (dim, bucket, campaign_id, traffic_source_id, offer_id, lander_id, path_id, value, conversions, revenue_micros)
SELECT d.column1, e.at / 900000, e.campaign_id, coalesce(r.traffic_source_id, 0), e.offer_id, coalesce(r.lander_id, 0), coalesce(r.path_id, 0),
  CASE d.column1 WHEN 0 THEN 0 WHEN 14 THEN e.type_id WHEN 1 THEN r.country WHEN 13 THEN r.referrer_domain WHEN 15 THEN r.var1 WHEN 16 THEN r.var2 WHEN 17 THEN r.var3 WHEN 18 THEN r.var4 WHEN 19 THEN r.var5 WHEN 20 THEN r.var6 WHEN 21 THEN r.var7 WHEN 22 THEN r.var8 WHEN 23 THEN r.var9 WHEN 24 THEN r.var10 END AS val,
  sum((CASE WHEN t.include_in_conversions = 0 THEN 0 ELSE 1 END)), sum(e.payout_micros)
FROM conversion_events e LEFT JOIN conversion_types t ON t.id = e.type_id
  LEFT JOIN raw_visits r ON r.created_at >= e.visit_time AND r.created_at < e.visit_time + 1000 AND +r.click_id = e.click_id
  CROSS JOIN (VALUES (0), (14), (1), (13), (15), (16), (17), (18), (19), (20), (21), (22), (23), (24)) d
WHERE e.batch = 'backfill' AND val IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET conversions = conversions + excluded.conversions, revenue_micros = revenue_micros + excluded.revenue_micros;
--> statement-breakpoint
INSERT INTO `rollup_d` (dim, bucket, campaign_id, traffic_source_id, offer_id, lander_id, path_id, value, conversions, revenue_micros)
SELECT d.column1, e.at / 900000 / 96, e.campaign_id, coalesce(r.traffic_source_id, 0), e.offer_id, coalesce(r.lander_id, 0), coalesce(r.path_id, 0),
  CASE d.column1 WHEN 0 THEN 0 WHEN 14 THEN e.type_id WHEN 1 THEN r.country WHEN 13 THEN r.referrer_domain WHEN 15 THEN r.var1 WHEN 16 THEN r.var2 WHEN 17 THEN r.var3 WHEN 18 THEN r.var4 WHEN 19 THEN r.var5 WHEN 20 THEN r.var6 WHEN 21 THEN r.var7 WHEN 22 THEN r.var8 WHEN 23 THEN r.var9 WHEN 24 THEN r.var10 END AS val,
  sum((CASE WHEN t.include_in_conversions = 0 THEN 0 ELSE 1 END)), sum(e.payout_micros)
FROM conversion_events e LEFT JOIN conversion_types t ON t.id = e.type_id
  LEFT JOIN raw_visits r ON r.created_at >= e.visit_time AND r.created_at < e.visit_time + 1000 AND +r.click_id = e.click_id
  CROSS JOIN (VALUES (0), (14), (1), (13), (15), (16), (17), (18), (19), (20), (21), (22), (23), (24)) d
WHERE e.batch = 'backfill' AND val IS NOT NULL
  AND e.at / 900000 < (SELECT compacted_until FROM rollup_state WHERE id = 1)
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET conversions = conversions + excluded.conversions, revenue_micros = revenue_micros + excluded.revenue_micros;
--> statement-breakpoint
UPDATE `conversion_events` SET batch = 'backfilled' WHERE batch = 'backfill';
--> statement-breakpoint
-- Their attribute rows are written above: the cron's aggregation starts after the last of them.
UPDATE `rollup_state`
SET dims_until = max(dims_until, (SELECT coalesce((max(created_at) / 1000 + 1) * 1000, 0) FROM backfill_visits))
WHERE id = 1;
--> statement-breakpoint
DELETE FROM `visits`;
--> statement-breakpoint
DROP TABLE `backfill_visits`;
