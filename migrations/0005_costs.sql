CREATE TABLE `campaign_cost_models` (
	`campaign_id` integer NOT NULL,
	`since` integer NOT NULL,
	`cpa_micros` integer NOT NULL,
	`share_ppm` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `since`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `cost_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`from_day` text NOT NULL,
	`to_day` text NOT NULL,
	`tz` text NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`amount_micros` integer NOT NULL,
	`filters` text DEFAULT '{}' NOT NULL,
	`visits` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cost_updates_campaign_idx` ON `cost_updates` (`campaign_id`,`start`);--> statement-breakpoint
ALTER TABLE `campaigns` ADD `cost_model` text;--> statement-breakpoint
-- Custom: a cost per click becomes a cost model. Where the campaign's source passes a cost, the
-- click cost was only its fallback (auto with that amount); elsewhere it is a CPC.
UPDATE `campaigns` SET `cost_model` = CASE
  WHEN (SELECT `cost_param` FROM `traffic_sources` s WHERE s.`id` = `campaigns`.`traffic_source_id`) IS NOT NULL
    THEN json_object('type', 'auto', 'amountMicros', `cost_per_click_micros`)
  ELSE json_object('type', 'cpc', 'amountMicros', `cost_per_click_micros`) END
WHERE `cost_per_click_micros` IS NOT NULL;
--> statement-breakpoint
-- Custom: conversion deltas waiting for their visit carry the cost they add (cpa, revshare).
ALTER TABLE `awaiting_visit` ADD `cost_micros` integer DEFAULT 0 NOT NULL;
