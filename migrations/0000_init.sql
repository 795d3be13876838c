CREATE TABLE `offers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`payout_mode` text NOT NULL,
	`payout_micros` integer DEFAULT 0 NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `campaign_offers` (
	`campaign_id` integer NOT NULL,
	`offer_id` integer NOT NULL,
	`weight` integer NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `offer_id`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`offer_id`) REFERENCES `offers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `campaign_offers_offer_idx` ON `campaign_offers` (`offer_id`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`cost_per_click_micros` integer,
	`archived` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `conversion_types` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`include_in_conversions` integer DEFAULT true NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversion_types_name_idx` ON `conversion_types` (`name`);--> statement-breakpoint
CREATE TABLE `visits` (
	`click_id` text PRIMARY KEY NOT NULL,
	`campaign_id` integer NOT NULL,
	`offer_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`country` text,
	`user_agent` text,
	`referrer` text,
	`params` text DEFAULT '{}' NOT NULL,
	`cost_micros` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `visits_created_at_idx` ON `visits` (`created_at`);--> statement-breakpoint
CREATE INDEX `visits_campaign_created_idx` ON `visits` (`campaign_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `conversions` (
	`id` text PRIMARY KEY NOT NULL,
	`click_id` text NOT NULL,
	`campaign_id` integer NOT NULL,
	`offer_id` integer NOT NULL,
	`type_id` integer,
	`txid` text,
	`dedupe_key` text NOT NULL,
	`payout_micros` integer NOT NULL,
	`conversion_time` integer NOT NULL,
	`received_at` integer NOT NULL,
	`source` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversions_dedupe_idx` ON `conversions` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `conversions_time_idx` ON `conversions` (`conversion_time`);--> statement-breakpoint
CREATE INDEX `conversions_campaign_time_idx` ON `conversions` (`campaign_id`,`conversion_time`);--> statement-breakpoint
CREATE INDEX `conversions_click_idx` ON `conversions` (`click_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`postback_secret` text,
	`postback_allowed_ips` text DEFAULT '[]' NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `postback_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`received_at` integer NOT NULL,
	`source` text NOT NULL,
	`ip` text,
	`params` text NOT NULL,
	`status` text NOT NULL,
	`http_status` integer NOT NULL,
	`reason` text,
	`conversion_id` text
);
--> statement-breakpoint
CREATE INDEX `postback_log_received_idx` ON `postback_log` (`received_at`);--> statement-breakpoint
CREATE INDEX `postback_log_status_idx` ON `postback_log` (`status`,`id`);