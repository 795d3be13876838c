import { and, desc, eq, lt } from "drizzle-orm";
import { type RuleRow, ruleFirings, ruleMatches, ruleNotifications, rules } from "../../db/schema";
import type { Db } from "../../lib/db";
import type { RuleInput } from "./schema";

/** A rule as the evaluator and the API see it. */
export interface Rule extends RuleInput {
  id: number;
}

export function ruleOf(row: RuleRow): Rule {
  return {
    id: row.id,
    name: row.name,
    campaignIds: row.campaignIds ?? null,
    dimension: row.dimension as Rule["dimension"],
    window: { hours: row.windowHours },
    conditions: row.conditions as Rule["conditions"],
    action: row.action,
    enabled: row.enabled,
  };
}

function columns(input: RuleInput) {
  return {
    name: input.name,
    campaignIds: input.campaignIds ?? null,
    dimension: input.dimension,
    windowHours: input.window.hours,
    conditions: input.conditions,
    action: input.action,
    enabled: input.enabled,
  };
}

export function ruleJson(row: RuleRow) {
  return {
    ...ruleOf(row),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export async function createRule(db: Db, input: RuleInput): Promise<RuleRow> {
  const now = Date.now();
  return (await db
    .insert(rules)
    .values({ ...columns(input), createdAt: now, updatedAt: now })
    .returning()
    .get())!;
}

export const listRules = (db: Db) => db.select().from(rules).orderBy(rules.id).all();

export const getRule = (db: Db, id: number) => db.select().from(rules).where(eq(rules.id, id)).get();

/**
 * Saves the rule whole. A change of what the rule looks at (dimension, scope, window,
 * conditions, action) forgets which values already acted: the new rule acts on its own.
 */
export async function updateRule(db: Db, current: RuleRow, input: RuleInput): Promise<RuleRow | undefined> {
  const next = columns(input);
  const { enabled: _a, name: _b, ...before } = columns(ruleOf(current));
  const { enabled: _c, name: _d, ...after } = next;
  const reset = JSON.stringify(before) !== JSON.stringify(after);
  const [rows] = await db.batch([
    db
      .update(rules)
      .set({ ...next, updatedAt: Date.now() })
      .where(eq(rules.id, current.id))
      .returning(),
    ...(reset ? [db.delete(ruleMatches).where(eq(ruleMatches.ruleId, current.id))] : []),
  ] as [any, ...any[]]);
  return (rows as RuleRow[])[0];
}

/** A deleted rule leaves its blocklist entries and pauses (undone on their own pages) and its log. */
export async function deleteRule(db: Db, id: number): Promise<RuleRow | undefined> {
  const [rows] = await db.batch([
    db.delete(rules).where(eq(rules.id, id)).returning(),
    db.delete(ruleMatches).where(eq(ruleMatches.ruleId, id)),
  ]);
  return rows[0];
}

/** The newest firings and notify deliveries of a rule, newest first. */
export async function ruleLog(db: Db, ruleId: number, limit: number, cursor?: number) {
  const before = cursor === undefined ? undefined : lt(ruleFirings.id, cursor);
  const [firings, deliveries] = await db.batch([
    db
      .select()
      .from(ruleFirings)
      .where(and(eq(ruleFirings.ruleId, ruleId), before))
      .orderBy(desc(ruleFirings.id))
      .limit(limit + 1),
    db
      .select()
      .from(ruleNotifications)
      .where(eq(ruleNotifications.ruleId, ruleId))
      .orderBy(desc(ruleNotifications.id))
      .limit(limit),
  ]);
  const page = firings.slice(0, limit);
  return {
    firings: page.map((f) => ({
      id: f.id,
      firedAt: new Date(f.firedAt).toISOString(),
      campaignId: f.campaignId,
      dimension: f.dimension,
      key: f.value,
      label: f.label,
      metrics: f.metrics,
      action: f.action,
      result: f.result,
    })),
    deliveries: deliveries.map((d) => ({
      id: d.id,
      campaignId: d.campaignId,
      url: d.url,
      status: d.state,
      attempts: d.attempts,
      lastHttpStatus: d.lastHttpStatus,
      lastError: d.lastError,
      createdAt: new Date(d.createdAt).toISOString(),
      updatedAt: new Date(d.updatedAt).toISOString(),
    })),
    nextCursor: firings.length > limit ? String(page.at(-1)!.id) : null,
  };
}
