-- Storage for 1 billion clicks a month (src/visits, src/reports; docs/scale.md). Custom SQL:
-- drizzle cannot express WITHOUT ROWID tables. Every table here has one B-tree and no secondary
-- index unless noted, because D1 bills each index entry as a row written.

-- Attribute strings (user agent, city, var values, …) stored once; other tables hold the ids.
CREATE TABLE `dict` (`id` INTEGER PRIMARY KEY, `value` TEXT NOT NULL UNIQUE);
--> statement-breakpoint
-- One row per visit, kept visitRetentionDays then archived to R2. Keyed by time first: a click
-- ID carries its visit second, so a lookup seeks (created_at range, click_id); a report range
-- and the archive read one stretch of the B-tree.
CREATE TABLE `raw_visits` (
  `created_at` INTEGER NOT NULL,
  `click_id` TEXT NOT NULL,
  `campaign_id` INTEGER NOT NULL,
  `traffic_source_id` INTEGER,
  `offer_id` INTEGER,
  `lander_id` INTEGER,
  `path_id` INTEGER,
  `rule_id` INTEGER,
  `cost_micros` INTEGER NOT NULL,
  `external_id` TEXT,
  `ip` TEXT,
  `asn` INTEGER,
  `bot` INTEGER NOT NULL,
  `user_agent` INTEGER,
  `device` INTEGER,
  `brand` INTEGER,
  `model` INTEGER,
  `os` INTEGER,
  `os_version` INTEGER,
  `browser` INTEGER,
  `browser_version` INTEGER,
  `language` INTEGER,
  `country` INTEGER,
  `region` INTEGER,
  `city` INTEGER,
  `isp` INTEGER,
  `referrer_domain` INTEGER,
  `var1` INTEGER, `var2` INTEGER, `var3` INTEGER, `var4` INTEGER, `var5` INTEGER,
  `var6` INTEGER, `var7` INTEGER, `var8` INTEGER, `var9` INTEGER, `var10` INTEGER,
  PRIMARY KEY (`created_at`, `click_id`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Lander clicks (GET /click), at their visit's time: seek by click ID like raw_visits.
CREATE TABLE `lander_clicks` (
  `visit_time` INTEGER NOT NULL,
  `click_id` TEXT NOT NULL,
  `created_at` INTEGER NOT NULL,
  `campaign_id` INTEGER NOT NULL,
  `lander_id` INTEGER NOT NULL,
  `path_id` INTEGER,
  `offer_id` INTEGER NOT NULL,
  PRIMARY KEY (`visit_time`, `click_id`, `created_at`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Contract B: every change of a conversion that moves a number. Written with the conversion row.
CREATE TABLE `conversion_events` (
  `id` TEXT PRIMARY KEY NOT NULL,
  `conversion_id` TEXT NOT NULL,
  `click_id` TEXT NOT NULL,
  `visit_time` INTEGER NOT NULL,
  `campaign_id` INTEGER NOT NULL,
  `offer_id` INTEGER NOT NULL,
  `lander_id` INTEGER,
  `type_id` INTEGER,
  `status` TEXT NOT NULL,
  `previous_status` TEXT,
  `payout_micros` INTEGER NOT NULL,
  `previous_payout_micros` INTEGER NOT NULL,
  `at` INTEGER NOT NULL,
  -- A token of the D1 batch that inserted the row: that batch (and no retry) applies it.
  `batch` TEXT NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
-- Drill-downs over raw visits read the events of a time range.
CREATE INDEX `conversion_events_at_idx` ON `conversion_events` (`at`);
--> statement-breakpoint
-- Lander clicks and conversion events whose visit is not in D1 yet: the visit's write applies
-- them to the rollups (or, after a grace period, the cron applies them without the visit).
CREATE TABLE `awaiting_visit` (
  `click_id` TEXT NOT NULL,
  `ref` TEXT NOT NULL,
  `visit_time` INTEGER NOT NULL,
  `bucket` INTEGER NOT NULL,
  `campaign_id` INTEGER NOT NULL,
  `offer_id` INTEGER,
  `lander_id` INTEGER,
  `path_id` INTEGER,
  `type_id` INTEGER,
  `clicks` INTEGER NOT NULL,
  `conversions` INTEGER NOT NULL,
  `revenue_micros` INTEGER NOT NULL,
  `pending` INTEGER NOT NULL,
  `pending_revenue_micros` INTEGER NOT NULL,
  PRIMARY KEY (`click_id`, `ref`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Pre-aggregated report rows per quarter hour (15 minutes: every zone's day and hour is a whole
-- number of them), entity ids (0 = none), and one dimension (0 = none) with its value.
CREATE TABLE `rollup_q` (
  `dim` INTEGER NOT NULL,
  `bucket` INTEGER NOT NULL,
  `campaign_id` INTEGER NOT NULL,
  `traffic_source_id` INTEGER NOT NULL,
  `offer_id` INTEGER NOT NULL,
  `lander_id` INTEGER NOT NULL,
  `path_id` INTEGER NOT NULL,
  `value` INTEGER NOT NULL,
  `visits` INTEGER NOT NULL DEFAULT 0,
  `clicks` INTEGER NOT NULL DEFAULT 0,
  `cost_micros` INTEGER NOT NULL DEFAULT 0,
  `conversions` INTEGER NOT NULL DEFAULT 0,
  `revenue_micros` INTEGER NOT NULL DEFAULT 0,
  `pending` INTEGER NOT NULL DEFAULT 0,
  `pending_revenue_micros` INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (`dim`, `bucket`, `campaign_id`, `traffic_source_id`, `offer_id`, `lander_id`, `path_id`, `value`)
) WITHOUT ROWID;
--> statement-breakpoint
-- The same per UTC day, for quarters before rollup_state.compacted_until (the cron folds closed
-- quarters in; a late write to an older quarter updates both tables).
CREATE TABLE `rollup_d` (
  `dim` INTEGER NOT NULL,
  `bucket` INTEGER NOT NULL,
  `campaign_id` INTEGER NOT NULL,
  `traffic_source_id` INTEGER NOT NULL,
  `offer_id` INTEGER NOT NULL,
  `lander_id` INTEGER NOT NULL,
  `path_id` INTEGER NOT NULL,
  `value` INTEGER NOT NULL,
  `visits` INTEGER NOT NULL DEFAULT 0,
  `clicks` INTEGER NOT NULL DEFAULT 0,
  `cost_micros` INTEGER NOT NULL DEFAULT 0,
  `conversions` INTEGER NOT NULL DEFAULT 0,
  `revenue_micros` INTEGER NOT NULL DEFAULT 0,
  `pending` INTEGER NOT NULL DEFAULT 0,
  `pending_revenue_micros` INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (`dim`, `bucket`, `campaign_id`, `traffic_source_id`, `offer_id`, `lander_id`, `path_id`, `value`)
) WITHOUT ROWID;
--> statement-breakpoint
-- The same over aligned spans of 2, 4, 8, 16 and 32 UTC days (level k: bucket = k << 20 | day >> k),
-- for days before rollup_state.levels_until: a 30-day range reads about 8 spans instead of 30 days.
CREATE TABLE `rollup_l` (
  `dim` INTEGER NOT NULL,
  `bucket` INTEGER NOT NULL,
  `campaign_id` INTEGER NOT NULL,
  `traffic_source_id` INTEGER NOT NULL,
  `offer_id` INTEGER NOT NULL,
  `lander_id` INTEGER NOT NULL,
  `path_id` INTEGER NOT NULL,
  `value` INTEGER NOT NULL,
  `visits` INTEGER NOT NULL DEFAULT 0,
  `clicks` INTEGER NOT NULL DEFAULT 0,
  `cost_micros` INTEGER NOT NULL DEFAULT 0,
  `conversions` INTEGER NOT NULL DEFAULT 0,
  `revenue_micros` INTEGER NOT NULL DEFAULT 0,
  `pending` INTEGER NOT NULL DEFAULT 0,
  `pending_revenue_micros` INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (`dim`, `bucket`, `campaign_id`, `traffic_source_id`, `offer_id`, `lander_id`, `path_id`, `value`)
) WITHOUT ROWID;
--> statement-breakpoint
-- compacted_until: quarters before it are folded into rollup_d; levels_until: UTC days before it
-- are in rollup_l. dims_until (epoch ms): the
-- attribute rows of visits and lander clicks (by visit time) before it are in the rollups; newer
-- ones are aggregated from raw rows by the cron (reports read them raw meanwhile). guard: a write
-- that decided by a stale dims_until sets it to 1, which the CHECK refuses (the batch rolls back).
CREATE TABLE `rollup_state` (
  `id` INTEGER PRIMARY KEY CHECK (`id` = 1),
  `compacted_until` INTEGER NOT NULL,
  `levels_until` INTEGER NOT NULL DEFAULT 0,
  `dims_until` INTEGER NOT NULL,
  `guard` INTEGER NOT NULL DEFAULT 0 CHECK (`guard` = 0)
);
--> statement-breakpoint
INSERT INTO `rollup_state` (`id`, `compacted_until`, `dims_until`) VALUES (1, 0, 0);
--> statement-breakpoint
-- Queue messages whose visits are in D1: a redelivered message is skipped. Ids start with their
-- time in base 36, so old ones are pruned by a range delete.
CREATE TABLE `applied_messages` (`id` TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
--> statement-breakpoint
-- UTC days whose raw visits went to R2 (one gzip NDJSON file per day) and left D1.
CREATE TABLE `archived_days` (
  `day` INTEGER PRIMARY KEY NOT NULL,
  `object_key` TEXT NOT NULL,
  `visits` INTEGER NOT NULL,
  `archived_at` INTEGER NOT NULL
);
