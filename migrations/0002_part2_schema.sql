CREATE TABLE `admin_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `landers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`offer_count` integer DEFAULT 1 NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `source_postbacks` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`conversion_id` text NOT NULL,
	`conversion_status` text NOT NULL,
	`traffic_source_id` integer NOT NULL,
	`click_id` text NOT NULL,
	`campaign_id` integer NOT NULL,
	`offer_id` integer NOT NULL,
	`type_name` text,
	`txid` text,
	`payout_micros` integer NOT NULL,
	`template` text NOT NULL,
	`url` text,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_http_status` integer,
	`last_error` text,
	`enqueued_at` integer,
	`lease_until` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `source_postbacks_id_idx` ON `source_postbacks` (`id`);--> statement-breakpoint
CREATE INDEX `source_postbacks_state_idx` ON `source_postbacks` (`state`,`seq`);--> statement-breakpoint
CREATE INDEX `source_postbacks_unsent_idx` ON `source_postbacks` (`enqueued_at`,`state`);--> statement-breakpoint
CREATE INDEX `source_postbacks_created_idx` ON `source_postbacks` (`created_at`);--> statement-breakpoint
CREATE TABLE `traffic_sources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`external_id_param` text,
	`external_id_placeholder` text,
	`cost_param` text,
	`cost_placeholder` text,
	`variables` text DEFAULT '[]' NOT NULL,
	`postback_url` text,
	`postback_for` text DEFAULT 'conversions' NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `conversions_time_report_idx`;--> statement-breakpoint
DROP INDEX `conversions_campaign_report_idx`;--> statement-breakpoint
ALTER TABLE `conversions` ADD `status` text DEFAULT 'approved' NOT NULL;--> statement-breakpoint
ALTER TABLE `conversions` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversions` ADD `status_changed_at` integer;--> statement-breakpoint
ALTER TABLE `conversions` ADD `currency` text;--> statement-breakpoint
ALTER TABLE `conversions` ADD `original_payout_micros` integer;--> statement-breakpoint
ALTER TABLE `conversions` ADD `extra` text;--> statement-breakpoint
CREATE INDEX `conversions_time_report_idx` ON `conversions` (`conversion_time`,`id`,`campaign_id`,`offer_id`,`type_id`,`payout_micros`,`status`);--> statement-breakpoint
CREATE INDEX `conversions_campaign_report_idx` ON `conversions` (`campaign_id`,`conversion_time`,`id`,`offer_id`,`type_id`,`payout_micros`,`status`);--> statement-breakpoint
ALTER TABLE `campaigns` ADD `traffic_source_id` integer REFERENCES traffic_sources(id);--> statement-breakpoint
ALTER TABLE `campaigns` ADD `flow` text;--> statement-breakpoint
ALTER TABLE `settings` ADD `status_map` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `settings` ADD `currency` text DEFAULT 'USD' NOT NULL;--> statement-breakpoint
ALTER TABLE `settings` ADD `currency_rates` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `settings` ADD `visit_retention_days` integer DEFAULT 90 NOT NULL;--> statement-breakpoint
ALTER TABLE `postback_log` ADD `read_from` text;