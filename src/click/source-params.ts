import type { SourceForClick } from "../features/traffic-sources/queries";
import { parseMicros } from "../lib/money";

export const VAR_SLOTS = 10;

/** What a click's query string says, once read through the campaign's traffic source (SPEC §9). */
export interface SourceParamValues {
  externalId: string | null;
  /** The network's cost for this visit, or null: missing or malformed, so the campaign's cost applies. */
  costMicros: number | null;
  /** var1 … var10. */
  vars: (string | null)[];
}

/**
 * Reads the external ID, cost and variables from the click's query. A source's named parameters
 * win; slots it does not name, and campaigns without a source, read `var1`…`var10` and
 * `externalid` (SPEC §3). An empty value, or the network's placeholder left unreplaced (a link
 * tested by hand), counts as absent. Pure: no I/O, never throws.
 */
export function readSourceParams(source: SourceForClick | null, query: Record<string, string>): SourceParamValues {
  const read = (param: string, placeholder?: string) => {
    const value = query[param];
    return value === undefined || value === "" || value === placeholder ? null : value;
  };
  const vars = Array.from({ length: VAR_SLOTS }, (_, i) => read(`var${i + 1}`));
  for (const v of source?.variables ?? []) vars[v.slot - 1] = read(v.param, v.placeholder);
  const externalId = source?.externalId
    ? read(source.externalId.param, source.externalId.placeholder)
    : read("externalid");
  const rawCost = source?.cost ? read(source.cost.param, source.cost.placeholder) : null;
  const micros = rawCost === null ? null : parseMicros(rawCost);
  return { externalId, costMicros: micros !== null && micros >= 0 ? micros : null, vars };
}
