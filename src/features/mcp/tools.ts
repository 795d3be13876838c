import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { pageFields } from "../../lib/params";
import { reportQuery } from "../../reports/schema";
import { lookupVisit } from "../../visits/lookup";
import { campaignJson, listCampaigns } from "../campaigns/queries";
import { conversionsListQuery } from "../conversions/api";
import { DEFAULT_LIMIT, listConversions } from "../conversions/queries";
import { conversionsQuery } from "../conversions/schema";
import { reportFor } from "../reports/api";
import { evaluateRule } from "../rules/evaluate";
import { getRule, listRules, ruleJson, ruleLog, ruleOf } from "../rules/queries";

/**
 * The MCP server's tools. Each validates with the schema of its /api route and calls the same
 * function the route calls. `write: true` marks a tool that changes something: the server offers
 * it only to a caller allowed to write (route.ts), so a read-only key never sees it.
 */
export interface Tool<S extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  write: boolean;
  input: S;
  run: (c: Context<AppEnv>, args: z.infer<S>) => Promise<unknown>;
}

const tool = <S extends z.ZodType>(t: Tool<S>) => t as unknown as Tool;

const ruleId = z.number().int().positive();

async function ruleRow(c: Context<AppEnv>, id: number) {
  const row = await getRule(c.var.db, id);
  if (!row) throw new ApiError("not_found", `Rule ${id} not found`);
  return row;
}

export const TOOLS: Tool[] = [
  tool({
    name: "report",
    title: "Report",
    description:
      "Rows per group (groupBy: any dimension: campaign, offer, lander, trafficSource, day, hour, country, " +
      "device, os, browser, a var, …) with visits, clicks, conversions, revenue, cost, profit, CR, EPC, ROI " +
      "and totals over local days [from, to] in tz; every filter of GET /api/report.",
    write: false,
    // Strict: a tool refuses an argument it does not know (a misspelt filter would widen a report).
    input: reportQuery.strict(),
    run: (c, args) => reportFor(c.var.db, args),
  }),
  tool({
    name: "click_lookup",
    title: "Click lookup",
    description: "One click by its click ID: the visit with every attribute, its lander clicks and conversions.",
    write: false,
    input: z.strictObject({ clickId: z.string().min(1).max(200) }),
    run: (c, { clickId }) => lookupVisit(c.env, clickId),
  }),
  tool({
    name: "list_campaigns",
    title: "List campaigns",
    description: "Every campaign with its tracking URL, traffic source, offers and cost model.",
    write: false,
    input: z.strictObject({ includeArchived: z.boolean().default(false) }),
    run: async (c, { includeArchived }) => {
      const rows = await listCampaigns(c.var.db, { includeArchived });
      return { campaigns: rows.map((r) => campaignJson(r, new URL(c.req.url).origin)) };
    },
  }),
  tool({
    name: "list_conversions",
    title: "List conversions",
    description:
      "Conversions over local days [from, to] in tz, newest first, optionally of one campaign; pages with cursor.",
    write: false,
    input: conversionsQuery.omit({ format: true }).strict(),
    run: async (c, q) =>
      listConversions(c.var.db, { ...(await conversionsListQuery(c.var.db, q)), limit: q.limit ?? DEFAULT_LIMIT }),
  }),
  tool({
    name: "list_rules",
    title: "List rules",
    description: "Every rule: its campaigns, dimension, window, conditions, action and whether it is enabled.",
    write: false,
    input: z.strictObject({}),
    run: async (c) => ({ rules: (await listRules(c.var.db)).map(ruleJson) }),
  }),
  tool({
    name: "rule_firings",
    title: "Rule firings",
    description:
      "A rule's log, newest first: each firing's time, campaign, value, the metrics then, the action and its result.",
    write: false,
    input: z.strictObject({ ruleId: ruleId, ...pageFields }),
    run: async (c, { ruleId: id, limit, cursor }) => ({
      ruleId: id,
      ...(await ruleLog(c.var.db, (await ruleRow(c, id)).id, limit, cursor)),
    }),
  }),
  tool({
    name: "rule_preview",
    title: "Rule preview",
    description: "What a rule would do now: its matches per campaign and the actions it would take. Changes nothing.",
    write: false,
    input: z.strictObject({ ruleId: ruleId }),
    run: async (c, { ruleId: id }) => {
      const rule = ruleOf(await ruleRow(c, id));
      return { ruleId: rule.id, ...(await evaluateRule({ db: c.var.db, now: Date.now() }, rule, false)) };
    },
  }),
];
