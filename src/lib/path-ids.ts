/**
 * Ids of a campaign's flow rules and paths (docs/tracking.md). Within a campaign they are numbered 1, 2, 3…
 * (never reused); the id the API, reports and visits use is campaignId × PATHS_PER_CAMPAIGN +
 * that number, so it is unique across campaigns (path 3 of campaign 7 is 70003) and a click ID
 * carries a path in a few bits beside the campaign id.
 */
export const PATHS_PER_CAMPAIGN = 10_000;

export function flowItemId(campaignId: number, number: number): number {
  return campaignId * PATHS_PER_CAMPAIGN + number;
}

/** The number within its campaign of a flow item id; null when the id is not of that campaign. */
export function pathNumber(id: number, campaignId: number): number | null {
  const number = id - campaignId * PATHS_PER_CAMPAIGN;
  return Number.isInteger(number) && number > 0 && number < PATHS_PER_CAMPAIGN ? number : null;
}
