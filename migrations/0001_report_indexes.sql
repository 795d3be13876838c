DROP INDEX `visits_created_at_idx`;--> statement-breakpoint
DROP INDEX `visits_campaign_created_idx`;--> statement-breakpoint
CREATE INDEX `visits_created_report_idx` ON `visits` (`created_at`,`campaign_id`,`offer_id`,`country`,`cost_micros`);--> statement-breakpoint
CREATE INDEX `visits_campaign_report_idx` ON `visits` (`campaign_id`,`created_at`,`offer_id`,`country`,`cost_micros`);--> statement-breakpoint
DROP INDEX `conversions_time_idx`;--> statement-breakpoint
DROP INDEX `conversions_campaign_time_idx`;--> statement-breakpoint
CREATE INDEX `conversions_time_report_idx` ON `conversions` (`conversion_time`,`id`,`campaign_id`,`offer_id`,`type_id`,`payout_micros`);--> statement-breakpoint
CREATE INDEX `conversions_campaign_report_idx` ON `conversions` (`campaign_id`,`conversion_time`,`id`,`offer_id`,`type_id`,`payout_micros`);