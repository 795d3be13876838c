import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/env";
import { ApiError, validationError } from "../../lib/errors";
import { pageFields, parseId } from "../../lib/params";
import { validate } from "../../lib/validate";
import { evaluateRule } from "./evaluate";
import { createRule, deleteRule, getRule, listRules, ruleJson, ruleLog, ruleOf, updateRule } from "./queries";
import { checkRule, ruleBody, rulePatch } from "./schema";

const notFound = () => new ApiError("not_found", "Rule not found");

async function found(c: { var: AppEnv["Variables"]; req: { param: (k: "id") => string } }) {
  const row = await getRule(c.var.db, parseId(c.req.param("id"), "Rule"));
  if (!row) throw notFound();
  return row;
}

/** /api/rules (docs/rules.md). */
export const rulesApi = new Hono<AppEnv>()
  .post("/", validate("json", ruleBody), async (c) => {
    return c.json(ruleJson(await createRule(c.var.db, c.req.valid("json"))), 201);
  })
  .get("/", async (c) => c.json({ rules: (await listRules(c.var.db)).map(ruleJson) }))
  .get("/:id", async (c) => c.json(ruleJson(await found(c))))
  .patch("/:id", validate("json", rulePatch), async (c) => {
    const current = await found(c);
    // The patched rule must be valid whole (a pause with a dimension it cannot pause is not).
    const { id: _id, ...saved } = ruleOf(current);
    const merged = checkRule({ ...saved, ...c.req.valid("json") });
    if (!merged.success) throw validationError(merged.error, "Invalid json");
    const row = await updateRule(c.var.db, current, merged.data);
    if (!row) throw notFound();
    return c.json(ruleJson(row));
  })
  .delete("/:id", async (c) => {
    const row = await deleteRule(c.var.db, parseId(c.req.param("id"), "Rule"));
    if (!row) throw notFound();
    return c.json(ruleJson(row));
  })
  .post("/:id/run", async (c) => {
    const rule = ruleOf(await found(c));
    const ctx = { db: c.var.db, queue: c.env.SOURCE_POSTBACKS, now: Date.now() };
    return c.json({ ruleId: rule.id, ...(await evaluateRule(ctx, rule, true)) });
  })
  .post("/:id/preview", async (c) => {
    const rule = ruleOf(await found(c));
    return c.json({ ruleId: rule.id, ...(await evaluateRule({ db: c.var.db, now: Date.now() }, rule, false)) });
  })
  .get("/:id/log", validate("query", z.strictObject(pageFields)), async (c) => {
    const rule = await found(c);
    const { limit, cursor } = c.req.valid("query");
    return c.json({ ruleId: rule.id, ...(await ruleLog(c.var.db, rule.id, limit, cursor)) });
  });
