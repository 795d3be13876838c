import type { Context, MiddlewareHandler } from "hono";
import { auditLog } from "../../db/schema";
import type { AppEnv } from "../../lib/env";
import { logError } from "../../lib/log";
import { endpointOf, ruleOf } from "../access/authorize";
import { ENTITIES, type EntitySpec, type Snapshot } from "./entities";

/** Fields named like these are never written to the log: only that they changed. */
export const SECRET_FIELD = /token|secret|password|key/i;
export const REDACTED = "[redacted]";
// Bookkeeping that changes with every save (or on its own), not a person's edit.
const IGNORED = new Set(["id", "createdAt", "updatedAt", "lastUsedAt"]);
const CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** A create through a form has no id in its answer: its rows are the ids above the highest before. */
const MAX_NEW_ROWS = 20;

export type Changes = Record<string, { from: unknown; to: unknown }>;

/** The fields that differ, secrets redacted (a secret that was unset shows as null). */
export function diff(before: Snapshot | undefined, after: Snapshot | undefined): Changes {
  const out: Changes = {};
  for (const field of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    if (IGNORED.has(field)) continue;
    const from = before?.[field] ?? null;
    const to = after?.[field] ?? null;
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    out[field] = SECRET_FIELD.test(field)
      ? { from: from === null ? null : REDACTED, to: to === null ? null : REDACTED }
      : { from, to };
  }
  return out;
}

function actionOf(before: Snapshot | undefined, after: Snapshot | undefined, changes: Changes): string {
  if (!before) return "create";
  if (!after) return "delete";
  if (changes.archived) return changes.archived.to ? "archive" : "restore";
  if (changes.disabled) return changes.disabled.to ? "disable" : "enable";
  if (changes.revokedAt && changes.revokedAt.to !== null) return "revoke";
  return "update";
}

/** The `:id` segment of the request path, by its place in the route pattern. */
function idOf(pattern: string, path: string): string | undefined {
  const at = pattern.split("/").findIndex((s) => s.startsWith(":id"));
  const raw = at < 0 ? undefined : path.split("/")[at];
  return raw === undefined ? undefined : decodeURIComponent(raw);
}

/** The id in a JSON answer (API creates), else undefined. */
async function answeredId(c: Context): Promise<string | undefined> {
  if (!c.res.headers.get("content-type")?.includes("json")) return undefined;
  const body = (await c.res
    .clone()
    .json()
    .catch(() => null)) as { id?: unknown } | null;
  return typeof body?.id === "number" || typeof body?.id === "string" ? String(body.id) : undefined;
}

/** The rows a create made: the answer's id, or (forms) the ids that appeared above `floor`. */
async function createdIds(c: Context<AppEnv>, spec: EntitySpec, floor: number): Promise<string[]> {
  const id = await answeredId(c);
  if (id !== undefined) return [id];
  const top = Math.min((await spec.newest?.(c.var.db)) ?? floor, floor + MAX_NEW_ROWS);
  return Array.from({ length: Math.max(0, top - floor) }, (_, i) => String(floor + 1 + i));
}

/**
 * Writes the audit log for every successful change through /api and /admin, whatever the
 * route: the access table names the route's entity, ENTITIES reads its state before and
 * after, and the difference is the entry. A failed request (4xx/5xx) changed nothing and is not
 * logged. A failure to log is logged and does not undo or fail the change.
 */
export function auditChanges(): MiddlewareHandler<AppEnv> {
  return async function auditChanges(c, next) {
    const endpoint = CHANGING.has(c.req.method) ? endpointOf(c) : null;
    const entity = endpoint ? ruleOf(endpoint.key)?.audit : undefined;
    if (!endpoint || !entity) return next();
    const spec: EntitySpec = ENTITIES[entity];
    const db = c.var.db;
    const pathId = spec.singleton ? entity : idOf(endpoint.path, c.req.path);
    const before = pathId && spec.load ? await spec.load(db, pathId) : undefined;
    const floor = !pathId && spec.newest ? await spec.newest(db) : 0;
    await next();
    if (c.res.status >= 400) return;
    try {
      const ids = pathId ? [pathId] : spec.load ? await createdIds(c, spec, floor) : [undefined];
      const entries = [];
      for (const id of ids) {
        const after = id && spec.load ? await spec.load(db, id) : undefined;
        const changes = diff(pathId ? before : undefined, after);
        if (spec.load && Object.keys(changes).length === 0) continue; // a save that changed nothing
        const action = spec.load ? actionOf(pathId ? before : undefined, after, changes) : (spec.event ?? "change");
        entries.push({ entity, entityId: id ?? null, action, changes: JSON.stringify(changes) });
      }
      if (entries.length === 0) return;
      const p = c.get("principal");
      const who = { actorKind: p.kind, actorId: p.id, actorLabel: p.label, at: Date.now() };
      const via = c.req.path.startsWith("/admin/") ? ("page" as const) : ("api" as const);
      await db.insert(auditLog).values(entries.map((e) => ({ ...who, via, ...e })));
    } catch (err) {
      logError("audit entry not written", c.req.method, c.req.path, String(err));
    }
  };
}
