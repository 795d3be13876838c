import { sql } from "drizzle-orm";
import { campaigns, landers, offers, type StoredOptimize } from "../db/schema";
import type { Db } from "../lib/db";
import { ApiError, type ErrorBody } from "../lib/errors";
import { flowItemId, PATHS_PER_CAMPAIGN, pathNumber } from "../lib/path-ids";
import type { Condition, FlowInput, FlowPathInput } from "./flow-schema";

/**
 * A flow as the campaigns.flow column holds it: rules and paths numbered within the campaign
 * (`number`; see lib/path-ids.ts), `last` the highest number ever given, so a deleted path's id
 * is never reused and a click minted before an edit still finds its path.
 */
export interface StoredPath {
  number: number;
  name: string;
  weight: number;
  landers: { landerId: number; weight: number }[];
  offers: { offerId: number; weight: number }[];
  optimize?: StoredOptimize;
}
export interface StoredRule {
  number: number;
  name: string;
  conditions: Condition[];
  paths: StoredPath[];
}
export interface StoredFlow {
  last: number;
  rules: StoredRule[];
  defaultPaths: StoredPath[];
}

type Issues = NonNullable<ErrorBody["issues"]>;
/** The stored flow text stays well inside D1's statement limits. */
export const MAX_FLOW_CHARS = 60_000;

export function parseStoredFlow(text: string | null): StoredFlow | null {
  return text ? (JSON.parse(text) as StoredFlow) : null;
}

/** Every path of a flow with where it sits, rules first, then the default paths. */
export function flowPaths<P>(flow: { rules: { paths: P[] }[]; defaultPaths: P[] }): [P, string][] {
  return [
    ...flow.rules.flatMap((r, i) => r.paths.map((p, j): [P, string] => [p, `flow.rules[${i}].paths[${j}]`])),
    ...flow.defaultPaths.map((p, j): [P, string] => [p, `flow.defaultPaths[${j}]`]),
  ];
}

/**
 * Numbers a valid flow for storage: items sent with an `id` keep its number (it must be one of
 * this campaign's current rules or paths), the others get new ones. `campaignId` null: a new
 * campaign, where no item has an id yet.
 */
export function numberFlow(input: FlowInput, campaignId: number | null, previous: StoredFlow | null) {
  const issues: Issues = [];
  const known = new Set<number>();
  for (const r of previous?.rules ?? []) known.add(r.number);
  for (const [p] of previous ? flowPaths(previous) : []) known.add(p.number);
  let last = previous?.last ?? 0;
  const used = new Set<number>();
  const numberOf = (id: number | undefined, at: string) => {
    if (id === undefined) return ++last;
    const n = campaignId === null ? null : pathNumber(id, campaignId);
    if (n === null || !known.has(n) || used.has(n)) {
      issues.push({
        path: `${at}.id`,
        message: `${id} is not a rule or path of this campaign (leave id out for a new one)`,
      });
      return 0;
    }
    used.add(n);
    return n;
  };
  const storePath = (p: FlowPathInput, at: string): StoredPath => ({
    number: numberOf(p.id, at),
    name: p.name,
    weight: p.weight,
    landers: p.landers,
    offers: p.offers,
    ...(p.optimize && { optimize: p.optimize }),
  });
  const flow: StoredFlow = {
    last: 0,
    rules: input.rules.map((r, i) => ({
      number: numberOf(r.id, `flow.rules[${i}]`),
      name: r.name,
      conditions: r.conditions,
      paths: r.paths.map((p, j) => storePath(p, `flow.rules[${i}].paths[${j}]`)),
    })),
    defaultPaths: input.defaultPaths.map((p, j) => storePath(p, `flow.defaultPaths[${j}]`)),
  };
  flow.last = last;
  if (last >= PATHS_PER_CAMPAIGN)
    issues.push({ path: "flow", message: "a campaign can number at most 9,999 rules and paths" });
  if (JSON.stringify(flow).length > MAX_FLOW_CHARS)
    issues.push({ path: "flow", message: `is too large (at most ${MAX_FLOW_CHARS} characters stored)` });
  return { flow, issues };
}

/** Offers and landers a flow names that do not exist or are archived, and landers with more calls to action than offers. */
export async function flowReferenceIssues(db: Db, input: FlowInput): Promise<Issues> {
  const all = flowPaths(input);
  const offerIds = [...new Set(all.flatMap(([p]) => p.offers.map((o) => o.offerId)))];
  const landerIds = [...new Set(all.flatMap(([p]) => p.landers.map((l) => l.landerId)))];
  const inList = (ids: number[]) => sql`(select value from json_each(${JSON.stringify(ids)}))`;
  const [offerRows, landerRows] = await db.batch([
    db
      .select({ id: offers.id, archived: offers.archived })
      .from(offers)
      .where(sql`${offers.id} in ${inList(offerIds)}`),
    db
      .select({ id: landers.id, archived: landers.archived, offerCount: landers.offerCount })
      .from(landers)
      .where(sql`${landers.id} in ${inList(landerIds)}`),
  ]);
  const liveOffers = new Set(offerRows.filter((o) => !o.archived).map((o) => o.id));
  const liveLanders = new Map(landerRows.filter((l) => !l.archived).map((l) => [l.id, l.offerCount]));
  const issues: Issues = [];
  for (const [p, at] of all) {
    p.offers.forEach((o, k) => {
      if (!liveOffers.has(o.offerId))
        issues.push({
          path: `${at}.offers[${k}].offerId`,
          message: `offer ${o.offerId} does not exist or is archived`,
        });
    });
    p.landers.forEach((l, k) => {
      const count = liveLanders.get(l.landerId);
      const place = `${at}.landers[${k}].landerId`;
      if (count === undefined)
        issues.push({ path: place, message: `lander ${l.landerId} does not exist or is archived` });
      else if (count > p.offers.length)
        issues.push({
          path: place,
          message: `lander ${l.landerId} links to ${count} offers (/click/1 … /click/${count}) but the path has ${p.offers.length}`,
        });
    });
  }
  return issues;
}

/** Everything a flow must pass beyond its schema; throws the 400 naming each place, or returns what to store. */
export async function checkFlow(
  db: Db,
  input: FlowInput,
  campaignId: number | null,
  previous: StoredFlow | null,
): Promise<StoredFlow> {
  const { flow, issues } = numberFlow(input, campaignId, previous);
  issues.push(...(await flowReferenceIssues(db, input)));
  if (issues.length > 0)
    throw new ApiError(
      "invalid_parameter",
      `Invalid json: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      issues,
    );
  return flow;
}

/** The API's view of a stored flow: ids unique across campaigns (lib/path-ids.ts). */
export function flowJson(campaignId: number, flow: StoredFlow | null) {
  if (!flow) return null;
  const path = ({ number, ...p }: StoredPath) => ({ id: flowItemId(campaignId, number), ...p });
  return {
    rules: flow.rules.map(({ number, paths, ...r }) => ({
      id: flowItemId(campaignId, number),
      ...r,
      paths: paths.map(path),
    })),
    defaultPaths: flow.defaultPaths.map(path),
  };
}

/** "Campaign › Path" for path ids (reports name their rows so); ids of removed paths are left out. */
export function flowPathNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  return flowItemNames(db, ids, (flow) => flowPaths(flow).map(([p]) => p));
}

/** "Campaign › Rule" for rule ids, as flowPathNames names paths. */
export function flowRuleNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  return flowItemNames(db, ids, (flow) => flow.rules);
}

async function flowItemNames(
  db: Db,
  ids: number[],
  items: (flow: StoredFlow) => { number: number; name: string }[],
): Promise<Map<number, string>> {
  const campaignIds = [...new Set(ids.map((id) => Math.floor(id / PATHS_PER_CAMPAIGN)))];
  const rows = await db
    .select({ id: campaigns.id, name: campaigns.name, flow: campaigns.flow })
    .from(campaigns)
    .where(sql`${campaigns.id} in (select value from json_each(${JSON.stringify(campaignIds)}))`);
  const names = new Map<number, string>();
  for (const row of rows) {
    const flow = parseStoredFlow(row.flow);
    for (const p of flow ? items(flow) : []) names.set(flowItemId(row.id, p.number), `${row.name} › ${p.name}`);
  }
  return names;
}
