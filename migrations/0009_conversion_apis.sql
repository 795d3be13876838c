-- Conversion APIs of ad platforms on traffic sources, and which statuses reach a source's postback URL.
-- conversion_api: the platform's settings without its secrets (JSON, null = none);
-- conversion_api_secrets: its secrets as one AES-GCM sealed JSON object (src/lib/secrets.ts).
ALTER TABLE `traffic_sources` ADD COLUMN `conversion_api` text;
--> statement-breakpoint
ALTER TABLE `traffic_sources` ADD COLUMN `conversion_api_secrets` text;
--> statement-breakpoint
ALTER TABLE `traffic_sources` ADD COLUMN `postback_statuses` text DEFAULT '["approved"]' NOT NULL;
--> statement-breakpoint
-- "url": a call of the source's postback URL; "meta" | "tiktok" | "google": a conversion API delivery.
ALTER TABLE `source_postbacks` ADD COLUMN `kind` text DEFAULT 'url' NOT NULL;
