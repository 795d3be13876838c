-- The lander visits one consumer transaction settles under their first click's offer
-- (src/visits/offer-settle.ts): found once, read by each rollup move and the raw rows' update,
-- emptied before the transaction ends. Always empty between transactions.
CREATE TABLE `settling_visits` (
  `created_at` integer NOT NULL,
  `click_id` text NOT NULL,
  `old` integer NOT NULL,
  `o` integer NOT NULL,
  `n` integer NOT NULL,
  PRIMARY KEY (`created_at`, `click_id`)
) WITHOUT ROWID;
