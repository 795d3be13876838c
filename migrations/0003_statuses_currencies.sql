CREATE TABLE `conversion_events` (
	`id` text PRIMARY KEY NOT NULL,
	`conversion_id` text NOT NULL,
	`click_id` text NOT NULL,
	`visit_time` integer NOT NULL,
	`campaign_id` integer NOT NULL,
	`offer_id` integer NOT NULL,
	`lander_id` integer,
	`type_id` integer,
	`status` text NOT NULL,
	`previous_status` text,
	`payout_micros` integer NOT NULL,
	`previous_payout_micros` integer NOT NULL,
	`at` integer NOT NULL
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
ALTER TABLE `postback_log` ADD `read_from` text;--> statement-breakpoint
ALTER TABLE `settings` ADD `status_map` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `settings` ADD `currency` text DEFAULT 'USD' NOT NULL;--> statement-breakpoint
ALTER TABLE `settings` ADD `currency_rates` text DEFAULT '{}' NOT NULL;