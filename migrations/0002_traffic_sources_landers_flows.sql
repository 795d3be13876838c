CREATE TABLE `lander_clicks` (
	`id` text PRIMARY KEY NOT NULL,
	`click_id` text NOT NULL,
	`visit_time` integer NOT NULL,
	`created_at` integer NOT NULL,
	`campaign_id` integer NOT NULL,
	`lander_id` integer NOT NULL,
	`path_id` integer,
	`offer_id` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `lander_clicks_click_idx` ON `lander_clicks` (`click_id`);--> statement-breakpoint
CREATE INDEX `lander_clicks_visit_time_idx` ON `lander_clicks` (`visit_time`);--> statement-breakpoint
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
ALTER TABLE `campaigns` ADD `traffic_source_id` integer REFERENCES traffic_sources(id);--> statement-breakpoint
ALTER TABLE `campaigns` ADD `flow` text;