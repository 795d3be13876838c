import type { SourceVariable, TrafficSourceRow } from "../db/schema";
import { parseMicros } from "../lib/money";
import { VAR_SLOTS } from "../model/vars";

export { VAR_SLOTS };

/** What the click needs from a source: its name and parameter map. */
export interface SourceForClick {
  id: number;
  name: string;
  externalId: { param: string; placeholder: string } | null;
  cost: { param: string; placeholder: string } | null;
  variables: SourceVariable[];
}

export function sourceForClick(row: TrafficSourceRow): SourceForClick {
  return { id: row.id, name: row.name, ...sourceParamsOf(row) };
}

/** A stored source's parameter map: external ID and cost pairs (null when either half is unset), variables. */
export function sourceParamsOf(row: TrafficSourceRow): Pick<SourceForClick, "externalId" | "cost" | "variables"> {
  const pair = (param: string | null, placeholder: string | null) =>
    param === null || placeholder === null ? null : { param, placeholder };
  return {
    externalId: pair(row.externalIdParam, row.externalIdPlaceholder),
    cost: pair(row.costParam, row.costPlaceholder),
    variables: row.variables,
  };
}

/**
 * The query string a campaign's tracking URL carries for its source: external ID, cost, then
 * variables by slot, each `param=placeholder` with the placeholder as the network writes it
 * (not URL-encoded: the network must find its own macro to replace it).
 */
export function sourceQuery(source: Pick<SourceForClick, "externalId" | "cost" | "variables"> | null): string {
  if (!source) return "";
  const pairs = [source.externalId, source.cost, ...source.variables].filter((p) => p !== null);
  return pairs.map((p) => `${p.param}=${p.placeholder}`).join("&");
}

/** What a click's query string says, once read through the campaign's traffic source (docs/tracking.md). */
export interface SourceParamValues {
  externalId: string | null;
  /** The network's cost for this visit, or null: missing or malformed, so the campaign's cost applies. */
  costMicros: number | null;
  /** var1 … var10. */
  vars: (string | null)[];
}

const VAR_PARAMS = Array.from({ length: VAR_SLOTS }, (_, i) => `var${i + 1}`);

/**
 * Reads the external ID, cost and variables from the click's query. A source's named parameters
 * win; slots it does not name, and campaigns without a source, read `var1`…`var10` and
 * `externalid` (docs/tracking.md). An empty value, or the network's placeholder left unreplaced (a link
 * tested by hand), counts as absent. Pure: no I/O, never throws.
 */
export function readSourceParams(source: SourceForClick | null, query: Record<string, string>): SourceParamValues {
  const read = (param: string, placeholder?: string) => {
    const value = query[param];
    return value === undefined || value === "" || value === placeholder ? null : value;
  };
  const vars = VAR_PARAMS.map((param) => read(param));
  for (const v of source?.variables ?? []) vars[v.slot - 1] = read(v.param, v.placeholder);
  const externalId = source?.externalId
    ? read(source.externalId.param, source.externalId.placeholder)
    : read("externalid");
  const rawCost = source?.cost ? read(source.cost.param, source.cost.placeholder) : null;
  const micros = rawCost === null ? null : parseMicros(rawCost);
  return { externalId, costMicros: micros !== null && micros >= 0 ? micros : null, vars };
}
