-- The ad platforms' click IDs of a visit (fbclid, gclid, gbraid, wbraid, ttclid, msclkid) and
-- Meta's browser IDs (fbp, fbc): plain text, NULL when the visit carried none. The conversion
-- APIs read them with the visit's IP and user agent, which raw_visits already holds.
ALTER TABLE `raw_visits` ADD `fbclid` TEXT;
--> statement-breakpoint
ALTER TABLE `raw_visits` ADD `gclid` TEXT;
--> statement-breakpoint
ALTER TABLE `raw_visits` ADD `gbraid` TEXT;
--> statement-breakpoint
ALTER TABLE `raw_visits` ADD `wbraid` TEXT;
--> statement-breakpoint
ALTER TABLE `raw_visits` ADD `ttclid` TEXT;
--> statement-breakpoint
ALTER TABLE `raw_visits` ADD `msclkid` TEXT;
--> statement-breakpoint
ALTER TABLE `raw_visits` ADD `fbp` TEXT;
--> statement-breakpoint
ALTER TABLE `raw_visits` ADD `fbc` TEXT;
