-- Conversion events are stored by the ingest shard's write and applied to the rollups later, in
-- large batches (src/visits/events.ts); until then reports add them from here. Rows already
-- stored were applied by the write that stored them.
ALTER TABLE `conversion_events` ADD `applied` integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
CREATE INDEX `conversion_events_unapplied_idx` ON `conversion_events` (`id`) WHERE `applied` = 0;
