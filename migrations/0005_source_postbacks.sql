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
CREATE INDEX `source_postbacks_created_idx` ON `source_postbacks` (`created_at`);