import { cidrMatcher } from "../lib/cidr";
import { flowItemId } from "../lib/path-ids";
import { offsetAt } from "../lib/timezone";
import type { VisitAttributes } from "../visits/attributes/types";
import type { Condition, ConditionField, VAR_FIELDS } from "./flow-schema";
import type { StoredFlow, StoredPath } from "./flow-store";
import { pickWeighted } from "./rotation";

/**
 * Routing a visit through a campaign's flow (docs/tracking.md), pure: the flow is compiled once when the
 * campaign is cached (value sets lower-cased, CIDRs parsed), so a click only runs predicates.
 */
export interface Target {
  id: number;
  name: string;
  url: string;
}
export interface LanderTarget extends Target {
  offerCount: number;
}
export interface FlowPath {
  /** Unique across campaigns (lib/path-ids.ts). */
  id: number;
  name: string;
  weight: number;
  /** Live landers only. */
  landers: (LanderTarget & { weight: number })[];
  /** In the order given, so /click/n keeps its meaning; null where the offer is archived. */
  offers: ((Target & { weight: number }) | null)[];
}
export interface CompiledFlow {
  /** Each rule with its usable paths only (a live offer with weight): what a click picks from. */
  rules: { id: number; test: (s: FlowSubject) => boolean; paths: FlowPath[] }[];
  defaultPaths: FlowPath[];
  paths: Map<number, FlowPath>;
  /** Every lander the flow names, archived ones too (GET /click still fills their tokens). */
  landers: Map<number, LanderTarget & { archived: boolean }>;
}

export type FlowAttributes = Pick<
  VisitAttributes,
  | "deviceType"
  | "brand"
  | "os"
  | "browser"
  | "language"
  | "country"
  | "region"
  | "city"
  | "isp"
  | "asn"
  | "ip"
  | "referrerDomain"
  | "bot"
>;

export interface FlowSubject {
  attributes: FlowAttributes;
  /** var1…var10 of the visit. */
  vars: readonly (string | null | undefined)[];
  /** Local weekday (0 = Sunday) and hour in the settings' time zone; called only by rules that need it. */
  clock: () => { weekday: number; hour: number };
  /** Whether a value of the visit is on the campaign's blocklist; called only by rules that ask. */
  blocklisted?: () => boolean;
}

export interface Route {
  ruleId: number | null;
  path: FlowPath;
  /** Set: send the visitor to this lander; null: straight to `offer`. */
  lander: LanderTarget | null;
  offer: Target | null;
}

export function compileFlow(
  campaignId: number,
  flow: StoredFlow,
  offers: Map<number, Target>,
  landers: Map<number, LanderTarget & { archived: boolean }>,
): CompiledFlow {
  const paths = new Map<number, FlowPath>();
  const compilePath = (p: StoredPath): FlowPath => {
    const path: FlowPath = {
      id: flowItemId(campaignId, p.number),
      name: p.name,
      weight: p.weight,
      landers: p.landers.flatMap((l) => {
        const found = landers.get(l.landerId);
        return found && !found.archived ? [{ ...found, weight: l.weight }] : [];
      }),
      offers: p.offers.map((o) => {
        const found = offers.get(o.offerId);
        return found ? { ...found, weight: o.weight } : null;
      }),
    };
    paths.set(path.id, path);
    return path;
  };
  return {
    rules: flow.rules.map((r) => {
      const tests = r.conditions.map(compileCondition);
      return {
        id: flowItemId(campaignId, r.number),
        test: (s) => tests.every((t) => t(s)),
        paths: r.paths.map(compilePath).filter(usable),
      };
    }),
    defaultPaths: flow.defaultPaths.map(compilePath).filter(usable),
    paths,
    landers,
  };
}

function compileCondition(c: Condition): (s: FlowSubject) => boolean {
  const read = reader(c.field);
  let inList: (s: FlowSubject) => boolean;
  if (c.field === "ip") {
    const matches = cidrMatcher(c.values);
    inList = (s) => matches(s.attributes.ip);
  } else {
    const set = new Set(c.values.map((v) => v.toLowerCase()));
    inList = (s) => {
      const value = read(s);
      return value !== null && set.has(value.toLowerCase());
    };
  }
  return c.op === "in" ? inList : (s) => !inList(s);
}

type VarField = (typeof VAR_FIELDS)[number];

function reader(field: ConditionField): (s: FlowSubject) => string | null {
  if (field.startsWith("var")) {
    const slot = Number(field.slice(3)) - 1;
    return (s) => s.vars[slot] ?? ""; // a missing variable matches the value ""
  }
  switch (field) {
    case "device":
      return (s) => s.attributes.deviceType;
    case "asn":
      return (s) => (s.attributes.asn === null ? null : String(s.attributes.asn));
    case "bot":
      return (s) => String(s.attributes.bot);
    case "blocklisted":
      return (s) => String(s.blocklisted?.() ?? false);
    case "weekday":
      return (s) => String(s.clock().weekday);
    case "hour":
      return (s) => String(s.clock().hour);
    default:
      return (s) =>
        s.attributes[
          field as Exclude<ConditionField, "device" | "asn" | "bot" | "blocklisted" | "weekday" | "hour" | VarField>
        ];
  }
}

const liveOffers = (path: FlowPath) => path.offers.filter((o): o is Target & { weight: number } => o !== null);
const usable = (path: FlowPath) => liveOffers(path).some((o) => o.weight > 0);

/**
 * The first rule whose conditions all hold and that has a usable path (a live offer with weight)
 * picks one of them by weight; else a default path. Then a lander by weight, or, when the path
 * has no live lander, an offer. null: nothing can take the visit.
 */
export function routeVisit(flow: CompiledFlow, subject: FlowSubject, random: () => number): Route | null {
  for (const rule of [...flow.rules, { id: null, test: () => true, paths: flow.defaultPaths }]) {
    if (rule.paths.length === 0 || !rule.test(subject)) continue;
    const path = pickWeighted(rule.paths, random());
    if (!path) continue;
    const lander = pickWeighted(path.landers, random()) ?? null;
    return { ruleId: rule.id, path, lander, offer: lander ? null : offerForClick(path, undefined, random) };
  }
  return null;
}

/** GET /click: an offer of the path by weight; GET /click/n: its n-th offer (1-based). null: none. */
export function offerForClick(path: FlowPath, n: number | undefined, random: () => number): Target | null {
  if (n !== undefined) return path.offers[n - 1] ?? null;
  return pickWeighted(liveOffers(path), random()) ?? null;
}

/** Weekday (0 = Sunday) and hour at `instant` in the IANA zone `tz`. */
export function localClock(tz: string, instant: number): { weekday: number; hour: number } {
  const local = new Date(instant + offsetAt(tz, instant));
  return { weekday: local.getUTCDay(), hour: local.getUTCHours() };
}
