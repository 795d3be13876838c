-- Offers behind a lander (docs/reports.md): a visit sent to a lander counts under the offer of its
-- first lander click. Rows stored before this release counted the visit under no offer and each
-- lander click under its own offer. This moves, for every visit still in raw_visits: its clicks to
-- its first click's offer, then its visit and cost (src/visits/offer-settle.ts, with every click
-- counted as already applied), and writes that offer into its raw row. Visits already archived to
-- R2 keep their old rows; conversions keep the offer they were registered with. Safe to run again:
-- a visit with an offer is not selected twice.
WITH c AS MATERIALIZED (SELECT lc.visit_time, v.campaign_id, coalesce(v.traffic_source_id, 0) AS ts,
    v.lander_id AS l, coalesce(v.path_id, 0) AS p, v.country, v.region, v.city, v.language, v.device, v.brand, v.model, v.os, v.os_version, v.browser, v.browser_version, v.isp, v.referrer_domain, v.var1, v.var2, v.var3, v.var4, v.var5, v.var6, v.var7, v.var8, v.var9, v.var10, lc.offer_id AS own,
    (SELECT f.offer_id FROM lander_clicks f WHERE f.visit_time = lc.visit_time AND f.click_id = lc.click_id
      ORDER BY f.created_at, f.offer_id LIMIT 1) AS o
  FROM lander_clicks lc CROSS JOIN raw_visits v
    ON v.created_at >= lc.visit_time AND v.created_at < lc.visit_time + 1000 AND +v.click_id = lc.click_id
  WHERE v.offer_id IS NULL AND v.lander_id IS NOT NULL),
x AS (SELECT c.*, d.column1 AS dim, CASE d.column1 WHEN 0 THEN 0 WHEN 1 THEN c.country WHEN 2 THEN c.region WHEN 3 THEN c.city WHEN 4 THEN c.language WHEN 5 THEN c.device WHEN 6 THEN c.brand WHEN 7 THEN c.model WHEN 8 THEN c.os WHEN 9 THEN c.os_version WHEN 10 THEN c.browser WHEN 11 THEN c.browser_version WHEN 12 THEN c.isp WHEN 13 THEN c.referrer_domain WHEN 15 THEN c.var1 WHEN 16 THEN c.var2 WHEN 17 THEN c.var3 WHEN 18 THEN c.var4 WHEN 19 THEN c.var5 WHEN 20 THEN c.var6 WHEN 21 THEN c.var7 WHEN 22 THEN c.var8 WHEN 23 THEN c.var9 WHEN 24 THEN c.var10 END AS val, sg.column1 AS sign
  FROM c, (VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13),(15),(16),(17),(18),(19),(20),(21),(22),(23),(24)) d, (VALUES (-1), (1)) sg WHERE c.o <> c.own)
INSERT INTO rollup_q (dim, bucket, campaign_id, traffic_source_id, offer_id, lander_id, path_id, value, clicks)
SELECT dim, (visit_time / 900000), campaign_id, ts, CASE WHEN sign < 0 THEN own ELSE o END, l, p, val, sum(sign)
FROM x 
WHERE val IS NOT NULL AND true AND (dim = 0 OR visit_time < (SELECT dims_until FROM rollup_state WHERE id = 1))
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET clicks = clicks + excluded.clicks;
--> statement-breakpoint
WITH c AS MATERIALIZED (SELECT lc.visit_time, v.campaign_id, coalesce(v.traffic_source_id, 0) AS ts,
    v.lander_id AS l, coalesce(v.path_id, 0) AS p, v.country, v.region, v.city, v.language, v.device, v.brand, v.model, v.os, v.os_version, v.browser, v.browser_version, v.isp, v.referrer_domain, v.var1, v.var2, v.var3, v.var4, v.var5, v.var6, v.var7, v.var8, v.var9, v.var10, lc.offer_id AS own,
    (SELECT f.offer_id FROM lander_clicks f WHERE f.visit_time = lc.visit_time AND f.click_id = lc.click_id
      ORDER BY f.created_at, f.offer_id LIMIT 1) AS o
  FROM lander_clicks lc CROSS JOIN raw_visits v
    ON v.created_at >= lc.visit_time AND v.created_at < lc.visit_time + 1000 AND +v.click_id = lc.click_id
  WHERE v.offer_id IS NULL AND v.lander_id IS NOT NULL),
x AS (SELECT c.*, d.column1 AS dim, CASE d.column1 WHEN 0 THEN 0 WHEN 1 THEN c.country WHEN 2 THEN c.region WHEN 3 THEN c.city WHEN 4 THEN c.language WHEN 5 THEN c.device WHEN 6 THEN c.brand WHEN 7 THEN c.model WHEN 8 THEN c.os WHEN 9 THEN c.os_version WHEN 10 THEN c.browser WHEN 11 THEN c.browser_version WHEN 12 THEN c.isp WHEN 13 THEN c.referrer_domain WHEN 15 THEN c.var1 WHEN 16 THEN c.var2 WHEN 17 THEN c.var3 WHEN 18 THEN c.var4 WHEN 19 THEN c.var5 WHEN 20 THEN c.var6 WHEN 21 THEN c.var7 WHEN 22 THEN c.var8 WHEN 23 THEN c.var9 WHEN 24 THEN c.var10 END AS val, sg.column1 AS sign
  FROM c, (VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13),(15),(16),(17),(18),(19),(20),(21),(22),(23),(24)) d, (VALUES (-1), (1)) sg WHERE c.o <> c.own)
INSERT INTO rollup_d (dim, bucket, campaign_id, traffic_source_id, offer_id, lander_id, path_id, value, clicks)
SELECT dim, ((visit_time / 900000)) / 96, campaign_id, ts, CASE WHEN sign < 0 THEN own ELSE o END, l, p, val, sum(sign)
FROM x 
WHERE val IS NOT NULL AND (visit_time / 900000) < (SELECT compacted_until FROM rollup_state WHERE id = 1) AND (dim = 0 OR visit_time < (SELECT dims_until FROM rollup_state WHERE id = 1))
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET clicks = clicks + excluded.clicks;
--> statement-breakpoint
WITH c AS MATERIALIZED (SELECT lc.visit_time, v.campaign_id, coalesce(v.traffic_source_id, 0) AS ts,
    v.lander_id AS l, coalesce(v.path_id, 0) AS p, v.country, v.region, v.city, v.language, v.device, v.brand, v.model, v.os, v.os_version, v.browser, v.browser_version, v.isp, v.referrer_domain, v.var1, v.var2, v.var3, v.var4, v.var5, v.var6, v.var7, v.var8, v.var9, v.var10, lc.offer_id AS own,
    (SELECT f.offer_id FROM lander_clicks f WHERE f.visit_time = lc.visit_time AND f.click_id = lc.click_id
      ORDER BY f.created_at, f.offer_id LIMIT 1) AS o
  FROM lander_clicks lc CROSS JOIN raw_visits v
    ON v.created_at >= lc.visit_time AND v.created_at < lc.visit_time + 1000 AND +v.click_id = lc.click_id
  WHERE v.offer_id IS NULL AND v.lander_id IS NOT NULL),
x AS (SELECT c.*, d.column1 AS dim, CASE d.column1 WHEN 0 THEN 0 WHEN 1 THEN c.country WHEN 2 THEN c.region WHEN 3 THEN c.city WHEN 4 THEN c.language WHEN 5 THEN c.device WHEN 6 THEN c.brand WHEN 7 THEN c.model WHEN 8 THEN c.os WHEN 9 THEN c.os_version WHEN 10 THEN c.browser WHEN 11 THEN c.browser_version WHEN 12 THEN c.isp WHEN 13 THEN c.referrer_domain WHEN 15 THEN c.var1 WHEN 16 THEN c.var2 WHEN 17 THEN c.var3 WHEN 18 THEN c.var4 WHEN 19 THEN c.var5 WHEN 20 THEN c.var6 WHEN 21 THEN c.var7 WHEN 22 THEN c.var8 WHEN 23 THEN c.var9 WHEN 24 THEN c.var10 END AS val, sg.column1 AS sign
  FROM c, (VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13),(15),(16),(17),(18),(19),(20),(21),(22),(23),(24)) d, (VALUES (-1), (1)) sg WHERE c.o <> c.own)
INSERT INTO rollup_l (dim, bucket, campaign_id, traffic_source_id, offer_id, lander_id, path_id, value, clicks)
SELECT dim, (lv.column1 << 20) + (((visit_time / 900000)) / 96 >> lv.column1), campaign_id, ts, CASE WHEN sign < 0 THEN own ELSE o END, l, p, val, sum(sign)
FROM x CROSS JOIN (VALUES (1), (2), (3), (4), (5)) lv
WHERE val IS NOT NULL AND ((visit_time / 900000)) / 96 < (SELECT levels_until FROM rollup_state WHERE id = 1) AND (dim = 0 OR visit_time < (SELECT dims_until FROM rollup_state WHERE id = 1))
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET clicks = clicks + excluded.clicks;
--> statement-breakpoint
WITH m AS MATERIALIZED (SELECT * FROM (SELECT v.created_at, v.click_id, v.campaign_id, coalesce(v.traffic_source_id, 0) AS ts,
    v.lander_id AS l, coalesce(v.path_id, 0) AS p, v.cost_micros, v.country, v.region, v.city, v.language, v.device, v.brand, v.model, v.os, v.os_version, v.browser, v.browser_version, v.isp, v.referrer_domain, v.var1, v.var2, v.var3, v.var4, v.var5, v.var6, v.var7, v.var8, v.var9, v.var10, coalesce(v.offer_id, 0) AS old,
    (SELECT lc.offer_id FROM lander_clicks lc WHERE lc.visit_time = v.created_at / 1000 * 1000 AND lc.click_id = v.click_id
  ORDER BY lc.created_at, lc.offer_id LIMIT 1) AS o, (SELECT count(*) FROM lander_clicks lc WHERE lc.visit_time = v.created_at / 1000 * 1000 AND lc.click_id = v.click_id)
  - (SELECT count(*) FROM awaiting_visit a WHERE a.click_id = v.click_id AND a.clicks = 1) - s.batch_clicks AS n
  FROM (SELECT click_id, visit_time, sum(batch_clicks) AS batch_clicks FROM (SELECT click_id, visit_time, count(*) AS batch_clicks FROM lander_clicks GROUP BY visit_time, click_id) GROUP BY 1, 2) s
    CROSS JOIN raw_visits v
    ON v.created_at >= s.visit_time AND v.created_at < s.visit_time + 1000 AND +v.click_id = s.click_id
  WHERE v.lander_id IS NOT NULL) WHERE o IS NOT NULL AND o <> old),
x AS (SELECT m.*, d.column1 AS dim, CASE d.column1 WHEN 0 THEN 0 WHEN 1 THEN m.country WHEN 2 THEN m.region WHEN 3 THEN m.city WHEN 4 THEN m.language WHEN 5 THEN m.device WHEN 6 THEN m.brand WHEN 7 THEN m.model WHEN 8 THEN m.os WHEN 9 THEN m.os_version WHEN 10 THEN m.browser WHEN 11 THEN m.browser_version WHEN 12 THEN m.isp WHEN 13 THEN m.referrer_domain WHEN 15 THEN m.var1 WHEN 16 THEN m.var2 WHEN 17 THEN m.var3 WHEN 18 THEN m.var4 WHEN 19 THEN m.var5 WHEN 20 THEN m.var6 WHEN 21 THEN m.var7 WHEN 22 THEN m.var8 WHEN 23 THEN m.var9 WHEN 24 THEN m.var10 END AS val, sg.column1 AS sign
  FROM m, (VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13),(15),(16),(17),(18),(19),(20),(21),(22),(23),(24)) d, (VALUES (-1), (1)) sg)
INSERT INTO rollup_q (dim, bucket, campaign_id, traffic_source_id, offer_id, lander_id, path_id, value, visits, clicks, cost_micros)
SELECT dim, (created_at / 900000), campaign_id, ts, CASE WHEN sign < 0 THEN old ELSE o END, l, p, val,
  sum(sign), sum(sign * n), sum(sign * cost_micros)
FROM x 
WHERE val IS NOT NULL AND true AND (dim = 0 OR created_at < (SELECT dims_until FROM rollup_state WHERE id = 1))
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET visits = visits + excluded.visits, clicks = clicks + excluded.clicks, cost_micros = cost_micros + excluded.cost_micros;
--> statement-breakpoint
WITH m AS MATERIALIZED (SELECT * FROM (SELECT v.created_at, v.click_id, v.campaign_id, coalesce(v.traffic_source_id, 0) AS ts,
    v.lander_id AS l, coalesce(v.path_id, 0) AS p, v.cost_micros, v.country, v.region, v.city, v.language, v.device, v.brand, v.model, v.os, v.os_version, v.browser, v.browser_version, v.isp, v.referrer_domain, v.var1, v.var2, v.var3, v.var4, v.var5, v.var6, v.var7, v.var8, v.var9, v.var10, coalesce(v.offer_id, 0) AS old,
    (SELECT lc.offer_id FROM lander_clicks lc WHERE lc.visit_time = v.created_at / 1000 * 1000 AND lc.click_id = v.click_id
  ORDER BY lc.created_at, lc.offer_id LIMIT 1) AS o, (SELECT count(*) FROM lander_clicks lc WHERE lc.visit_time = v.created_at / 1000 * 1000 AND lc.click_id = v.click_id)
  - (SELECT count(*) FROM awaiting_visit a WHERE a.click_id = v.click_id AND a.clicks = 1) - s.batch_clicks AS n
  FROM (SELECT click_id, visit_time, sum(batch_clicks) AS batch_clicks FROM (SELECT click_id, visit_time, count(*) AS batch_clicks FROM lander_clicks GROUP BY visit_time, click_id) GROUP BY 1, 2) s
    CROSS JOIN raw_visits v
    ON v.created_at >= s.visit_time AND v.created_at < s.visit_time + 1000 AND +v.click_id = s.click_id
  WHERE v.lander_id IS NOT NULL) WHERE o IS NOT NULL AND o <> old),
x AS (SELECT m.*, d.column1 AS dim, CASE d.column1 WHEN 0 THEN 0 WHEN 1 THEN m.country WHEN 2 THEN m.region WHEN 3 THEN m.city WHEN 4 THEN m.language WHEN 5 THEN m.device WHEN 6 THEN m.brand WHEN 7 THEN m.model WHEN 8 THEN m.os WHEN 9 THEN m.os_version WHEN 10 THEN m.browser WHEN 11 THEN m.browser_version WHEN 12 THEN m.isp WHEN 13 THEN m.referrer_domain WHEN 15 THEN m.var1 WHEN 16 THEN m.var2 WHEN 17 THEN m.var3 WHEN 18 THEN m.var4 WHEN 19 THEN m.var5 WHEN 20 THEN m.var6 WHEN 21 THEN m.var7 WHEN 22 THEN m.var8 WHEN 23 THEN m.var9 WHEN 24 THEN m.var10 END AS val, sg.column1 AS sign
  FROM m, (VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13),(15),(16),(17),(18),(19),(20),(21),(22),(23),(24)) d, (VALUES (-1), (1)) sg)
INSERT INTO rollup_d (dim, bucket, campaign_id, traffic_source_id, offer_id, lander_id, path_id, value, visits, clicks, cost_micros)
SELECT dim, ((created_at / 900000)) / 96, campaign_id, ts, CASE WHEN sign < 0 THEN old ELSE o END, l, p, val,
  sum(sign), sum(sign * n), sum(sign * cost_micros)
FROM x 
WHERE val IS NOT NULL AND (created_at / 900000) < (SELECT compacted_until FROM rollup_state WHERE id = 1) AND (dim = 0 OR created_at < (SELECT dims_until FROM rollup_state WHERE id = 1))
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET visits = visits + excluded.visits, clicks = clicks + excluded.clicks, cost_micros = cost_micros + excluded.cost_micros;
--> statement-breakpoint
WITH m AS MATERIALIZED (SELECT * FROM (SELECT v.created_at, v.click_id, v.campaign_id, coalesce(v.traffic_source_id, 0) AS ts,
    v.lander_id AS l, coalesce(v.path_id, 0) AS p, v.cost_micros, v.country, v.region, v.city, v.language, v.device, v.brand, v.model, v.os, v.os_version, v.browser, v.browser_version, v.isp, v.referrer_domain, v.var1, v.var2, v.var3, v.var4, v.var5, v.var6, v.var7, v.var8, v.var9, v.var10, coalesce(v.offer_id, 0) AS old,
    (SELECT lc.offer_id FROM lander_clicks lc WHERE lc.visit_time = v.created_at / 1000 * 1000 AND lc.click_id = v.click_id
  ORDER BY lc.created_at, lc.offer_id LIMIT 1) AS o, (SELECT count(*) FROM lander_clicks lc WHERE lc.visit_time = v.created_at / 1000 * 1000 AND lc.click_id = v.click_id)
  - (SELECT count(*) FROM awaiting_visit a WHERE a.click_id = v.click_id AND a.clicks = 1) - s.batch_clicks AS n
  FROM (SELECT click_id, visit_time, sum(batch_clicks) AS batch_clicks FROM (SELECT click_id, visit_time, count(*) AS batch_clicks FROM lander_clicks GROUP BY visit_time, click_id) GROUP BY 1, 2) s
    CROSS JOIN raw_visits v
    ON v.created_at >= s.visit_time AND v.created_at < s.visit_time + 1000 AND +v.click_id = s.click_id
  WHERE v.lander_id IS NOT NULL) WHERE o IS NOT NULL AND o <> old),
x AS (SELECT m.*, d.column1 AS dim, CASE d.column1 WHEN 0 THEN 0 WHEN 1 THEN m.country WHEN 2 THEN m.region WHEN 3 THEN m.city WHEN 4 THEN m.language WHEN 5 THEN m.device WHEN 6 THEN m.brand WHEN 7 THEN m.model WHEN 8 THEN m.os WHEN 9 THEN m.os_version WHEN 10 THEN m.browser WHEN 11 THEN m.browser_version WHEN 12 THEN m.isp WHEN 13 THEN m.referrer_domain WHEN 15 THEN m.var1 WHEN 16 THEN m.var2 WHEN 17 THEN m.var3 WHEN 18 THEN m.var4 WHEN 19 THEN m.var5 WHEN 20 THEN m.var6 WHEN 21 THEN m.var7 WHEN 22 THEN m.var8 WHEN 23 THEN m.var9 WHEN 24 THEN m.var10 END AS val, sg.column1 AS sign
  FROM m, (VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13),(15),(16),(17),(18),(19),(20),(21),(22),(23),(24)) d, (VALUES (-1), (1)) sg)
INSERT INTO rollup_l (dim, bucket, campaign_id, traffic_source_id, offer_id, lander_id, path_id, value, visits, clicks, cost_micros)
SELECT dim, (lv.column1 << 20) + (((created_at / 900000)) / 96 >> lv.column1), campaign_id, ts, CASE WHEN sign < 0 THEN old ELSE o END, l, p, val,
  sum(sign), sum(sign * n), sum(sign * cost_micros)
FROM x CROSS JOIN (VALUES (1), (2), (3), (4), (5)) lv
WHERE val IS NOT NULL AND ((created_at / 900000)) / 96 < (SELECT levels_until FROM rollup_state WHERE id = 1) AND (dim = 0 OR created_at < (SELECT dims_until FROM rollup_state WHERE id = 1))
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET visits = visits + excluded.visits, clicks = clicks + excluded.clicks, cost_micros = cost_micros + excluded.cost_micros;
--> statement-breakpoint
UPDATE raw_visits AS r SET offer_id = m.o
FROM (SELECT * FROM (SELECT v.created_at, v.click_id, v.campaign_id, coalesce(v.traffic_source_id, 0) AS ts,
    v.lander_id AS l, coalesce(v.path_id, 0) AS p, v.cost_micros, v.country, v.region, v.city, v.language, v.device, v.brand, v.model, v.os, v.os_version, v.browser, v.browser_version, v.isp, v.referrer_domain, v.var1, v.var2, v.var3, v.var4, v.var5, v.var6, v.var7, v.var8, v.var9, v.var10, coalesce(v.offer_id, 0) AS old,
    (SELECT lc.offer_id FROM lander_clicks lc WHERE lc.visit_time = v.created_at / 1000 * 1000 AND lc.click_id = v.click_id
  ORDER BY lc.created_at, lc.offer_id LIMIT 1) AS o, (SELECT count(*) FROM lander_clicks lc WHERE lc.visit_time = v.created_at / 1000 * 1000 AND lc.click_id = v.click_id)
  - (SELECT count(*) FROM awaiting_visit a WHERE a.click_id = v.click_id AND a.clicks = 1) - s.batch_clicks AS n
  FROM (SELECT click_id, visit_time, sum(batch_clicks) AS batch_clicks FROM (SELECT click_id, visit_time, count(*) AS batch_clicks FROM lander_clicks GROUP BY visit_time, click_id) GROUP BY 1, 2) s
    CROSS JOIN raw_visits v
    ON v.created_at >= s.visit_time AND v.created_at < s.visit_time + 1000 AND +v.click_id = s.click_id
  WHERE v.lander_id IS NOT NULL) WHERE o IS NOT NULL AND o <> old) m
WHERE r.created_at = m.created_at AND r.click_id = m.click_id;
