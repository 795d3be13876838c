-- Rules that act (docs/rules.md): the rules, which values already acted, the firing log, the
-- blocklists and pauses they write, notify deliveries, and the optimiser's learned weights.
CREATE TABLE `rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`campaign_ids` text,
	`dimension` text NOT NULL,
	`window_hours` integer NOT NULL,
	`conditions` text NOT NULL,
	`action` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
-- A value that matched and acted; the row goes when it stops matching, so it can act anew.
CREATE TABLE `rule_matches` (
	`rule_id` integer NOT NULL,
	`campaign_id` integer NOT NULL,
	`value` text NOT NULL,
	`since` integer NOT NULL,
	PRIMARY KEY(`rule_id`, `campaign_id`, `value`)
);
--> statement-breakpoint
CREATE TABLE `rule_firings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule_id` integer NOT NULL,
	`campaign_id` integer NOT NULL,
	`dimension` text NOT NULL,
	`value` text NOT NULL,
	`label` text NOT NULL,
	`metrics` text NOT NULL,
	`action` text NOT NULL,
	`result` text NOT NULL,
	`fired_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rule_firings_rule_idx` ON `rule_firings` (`rule_id`,`id`);--> statement-breakpoint
CREATE INDEX `rule_firings_time_idx` ON `rule_firings` (`fired_at`);--> statement-breakpoint
CREATE TABLE `campaign_blocklist` (
	`campaign_id` integer NOT NULL,
	`dimension` text NOT NULL,
	`value` text NOT NULL,
	`rule_id` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `dimension`, `value`)
);
--> statement-breakpoint
CREATE TABLE `campaign_pauses` (
	`campaign_id` integer NOT NULL,
	`dimension` text NOT NULL,
	`item_id` integer NOT NULL,
	`rule_id` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `dimension`, `item_id`)
);
--> statement-breakpoint
CREATE TABLE `rule_notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule_id` integer NOT NULL,
	`campaign_id` integer NOT NULL,
	`url` text NOT NULL,
	`payload` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_http_status` integer,
	`last_error` text,
	`enqueued_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rule_notifications_rule_idx` ON `rule_notifications` (`rule_id`,`id`);--> statement-breakpoint
CREATE INDEX `rule_notifications_unsent_idx` ON `rule_notifications` (`enqueued_at`,`state`);--> statement-breakpoint
-- One row per campaign and recomputation: the newest is what the redirect uses.
CREATE TABLE `learned_weights` (
	`campaign_id` integer NOT NULL,
	`computed_at` integer NOT NULL,
	`weights` text NOT NULL,
	PRIMARY KEY(`campaign_id`, `computed_at`)
);
--> statement-breakpoint
ALTER TABLE `campaigns` ADD `optimize` text;
