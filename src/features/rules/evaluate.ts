import { and, eq, inArray, sql } from "drizzle-orm";
import { loadCampaignForClick } from "../../click/campaign-cache";
import { campaignBlocklist, campaignPauses, campaigns, ruleFirings, ruleMatches } from "../../db/schema";
import type { Db } from "../../lib/db";
import { Figures } from "../../reports/figures";
import type { ReportRow } from "../../reports/queries";
import { windowRange } from "../../reports/rolling-window";
import { notifyPayload, queueNotification } from "./notify";
import { notePaused, type PauseDimension, pauseBlocker } from "./pause";
import type { Rule } from "./queries";
import type { RuleInput } from "./schema";

/** A rule to evaluate; id null: not saved yet (the admin form's preview), so nothing has acted. */
export type RuleToRun = RuleInput & { id: number | null };

export interface Evaluation {
  window: { from: string; to: string };
  campaigns: number;
  /** Every value matching now; `acted`: it acted earlier and still matches, so it does not act again. */
  matches: (ReportRow & { campaignId: number; acted: boolean })[];
  /** What acts now (run) or would act (preview), with what came of it. */
  actions: { campaignId: number; key: string; label: string; action: string; result: string }[];
}

export interface RunContext {
  db: Db;
  queue?: Queue;
  now: number;
  /** Shared by the rules of one cron pass. */
  figures?: Figures;
}

/** Campaigns whose figures are being read at once. */
const READ_AHEAD = 6;

/** The campaigns a rule looks at: those it names, else every one; archived ones never. */
async function campaignsInScope(db: Db, rule: RuleToRun): Promise<number[]> {
  const live = eq(campaigns.archived, false);
  const rows = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(rule.campaignIds ? and(live, inArray(campaigns.id, rule.campaignIds)) : live)
    .orderBy(campaigns.id);
  return rows.map((r) => r.id);
}

const OPS = {
  ">": (a: number, b: number) => a > b,
  ">=": (a: number, b: number) => a >= b,
  "<": (a: number, b: number) => a < b,
  "<=": (a: number, b: number) => a <= b,
  "=": (a: number, b: number) => a === b,
};

/** Every condition holds; a ratio without a denominator (cr of no visits, roi of no cost) never does. */
export function matches(row: ReportRow, conditions: RuleInput["conditions"]): boolean {
  return conditions.every((c) => {
    const v = row[c.metric];
    return v !== null && OPS[c.op](v, c.value);
  });
}

/**
 * Evaluates a rule over each campaign in scope and the window ending now, on GET /api/report's
 * figures. `apply`: values that match and had not acted act now, are logged and remembered;
 * values that stopped matching are forgotten, so they act again when they match anew. Without
 * `apply` nothing is written (preview).
 */
export async function evaluateRule(ctx: RunContext, rule: RuleToRun, apply: boolean): Promise<Evaluation> {
  const { db, now } = ctx;
  const figures = ctx.figures ?? new Figures(db, now);
  const range = windowRange(now, rule.window.hours);
  const acted = rule.id === null ? [] : await db.select().from(ruleMatches).where(eq(ruleMatches.ruleId, rule.id));
  // Campaigns without figures in the window have no rows: their values only stop matching.
  const [inScope, active] = await Promise.all([campaignsInScope(db, rule), figures.active(rule.window.hours)]);
  const scope = inScope.filter((id) => active.has(id) || acted.some((a) => a.campaignId === id));
  const out: Evaluation = {
    window: { from: new Date(range.start).toISOString(), to: new Date(range.end).toISOString() },
    campaigns: inScope.length,
    matches: [],
    actions: [],
  };
  // The figures are read a few campaigns at a time (D1 round trips overlap); actions one by one.
  const reads = new Map<number, Promise<ReportRow[]>>();
  const read = (i: number) => {
    const id = scope[i];
    if (id !== undefined && !reads.has(id)) reads.set(id, figures.rows(id, rule.dimension, rule.window.hours));
  };
  for (let i = 0; i < READ_AHEAD; i++) read(i);
  for (const [i, campaignId] of scope.entries()) {
    read(i + READ_AHEAD);
    const rows = await reads.get(campaignId)!;
    reads.delete(campaignId);
    const before = new Set(acted.filter((a) => a.campaignId === campaignId).map((a) => a.value));
    // Rows without a value (no lander, no zone) name nothing to act on.
    const matching = rows.filter((r) => r.key !== null && matches(r, rule.conditions));
    const fresh = matching.filter((r) => !before.has(String(r.key)));
    for (const r of matching) out.matches.push({ campaignId, ...r, acted: before.has(String(r.key)) });
    const results = fresh.length === 0 ? [] : await act(ctx, rule, campaignId, fresh, apply);
    out.actions.push(
      ...fresh.map((r, i) => ({
        campaignId,
        key: String(r.key),
        label: r.label,
        action: rule.action.type,
        result: results[i]!,
      })),
    );
    if (!apply || rule.id === null) continue;
    const gone = [...before].filter((v) => !matching.some((r) => String(r.key) === v));
    await remember(db, rule as Rule, campaignId, fresh, results, gone, now);
  }
  return out;
}

/** The firings logged, the new values remembered, the values that stopped matching forgotten: one transaction. */
async function remember(
  db: Db,
  rule: Rule,
  campaignId: number,
  fresh: ReportRow[],
  results: string[],
  gone: string[],
  now: number,
) {
  const firings = fresh.map((r, i) => ({
    ruleId: rule.id,
    campaignId,
    dimension: rule.dimension,
    value: String(r.key),
    label: r.label,
    metrics: metricsOf(r),
    action: rule.action.type,
    result: results[i]!,
    firedAt: now,
  }));
  const statements = [];
  // D1 binds at most 100 parameters per statement: chunks of 10 rows.
  for (let i = 0; i < firings.length; i += 10) {
    const chunk = firings.slice(i, i + 10);
    statements.push(db.insert(ruleFirings).values(chunk));
    statements.push(
      db
        .insert(ruleMatches)
        .values(chunk.map((f) => ({ ruleId: rule.id, campaignId, value: f.value, since: now })))
        .onConflictDoNothing(),
    );
  }
  if (gone.length > 0)
    statements.push(
      db
        .delete(ruleMatches)
        .where(
          and(
            eq(ruleMatches.ruleId, rule.id),
            eq(ruleMatches.campaignId, campaignId),
            sql`${ruleMatches.value} in (select value from json_each(${JSON.stringify(gone)}))`,
          ),
        ),
    );
  if (statements.length > 0) await db.batch(statements as [any, ...any[]]);
}

function metricsOf(r: ReportRow): Record<string, number | null> {
  const { key: _k, label: _l, ...metrics } = r;
  return metrics;
}

/** Takes (or, without apply, describes) the rule's action on each fresh value; one result line each. */
async function act(ctx: RunContext, rule: RuleToRun, campaignId: number, fresh: ReportRow[], apply: boolean) {
  const { db, now } = ctx;
  const action = rule.action;
  if (action.type === "notify") {
    const host = new URL(action.url).host;
    if (!apply || rule.id === null) return fresh.map(() => `would notify ${host}`);
    const payload = notifyPayload(rule, campaignId, rule.dimension, fresh, now);
    const id = await queueNotification(db, ctx.queue, { ruleId: rule.id, campaignId, url: action.url, payload }, now);
    return fresh.map(() => `notification ${id} queued for ${host}`);
  }
  if (action.type === "blocklist") {
    const values = fresh.map((r) => String(r.key));
    const listed = await db
      .select({ value: campaignBlocklist.value })
      .from(campaignBlocklist)
      .where(
        and(
          eq(campaignBlocklist.campaignId, campaignId),
          eq(campaignBlocklist.dimension, rule.dimension),
          sql`${campaignBlocklist.value} in (select value from json_each(${JSON.stringify(values)}))`,
        ),
      );
    const already = new Set(listed.map((l) => l.value));
    if (!apply) return values.map((v) => (already.has(v) ? "already on the blocklist" : "would add to the blocklist"));
    const adding = values.filter((v) => !already.has(v));
    const rows = adding.map((value) => ({
      campaignId,
      dimension: rule.dimension,
      value,
      ruleId: rule.id,
      createdAt: now,
    }));
    const statements = [];
    for (let i = 0; i < rows.length; i += 15)
      statements.push(
        db
          .insert(campaignBlocklist)
          .values(rows.slice(i, i + 15))
          .onConflictDoNothing(),
      );
    if (statements.length > 0) await db.batch(statements as [any, ...any[]]);
    return values.map((v) => (already.has(v) ? "already on the blocklist" : "added to the blocklist"));
  }
  // pause: one at a time, each guard seeing the pauses before it.
  const dim = rule.dimension as PauseDimension;
  const campaign = await loadCampaignForClick(db, campaignId);
  const results: string[] = [];
  for (const r of fresh) {
    const id = Number(r.key);
    const blocker = campaign ? pauseBlocker(campaign, dim, id) : "campaign not found";
    if (blocker) {
      results.push(`skipped: ${blocker}`);
      continue;
    }
    notePaused(campaign!, dim, id);
    if (apply)
      await db
        .insert(campaignPauses)
        .values({ campaignId, dimension: dim, itemId: id, ruleId: rule.id, createdAt: now })
        .onConflictDoNothing();
    results.push(apply ? "paused" : "would pause");
  }
  return results;
}
