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
ALTER TABLE `campaigns` ADD `traffic_source_id` integer REFERENCES traffic_sources(id);