import { Hono } from "hono";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { parseId } from "../../lib/params";
import { notFoundPage } from "../../ui/errors";
import { parseForm, readForm } from "../../ui/forms";
import { Layout } from "../../ui/layout";
import { type Evaluation, evaluateRule } from "./evaluate";
import { RULE_LABELS, type RuleFormValues, ruleForm, ruleValues } from "./form";
import { RuleLog } from "./log-views";
import { createRule, deleteRule, getRule, listRules, ruleLog, ruleOf, updateRule } from "./queries";
import { describeRule, EvaluationView, RuleForm, RuleTable } from "./views";

async function ListPage(props: { db: Db; values?: RuleFormValues; errors?: string[]; preview?: Evaluation }) {
  const rows = await listRules(props.db);
  return (
    <Layout title="Rules" active="/admin/rules">
      <p class="muted">
        Every 5 minutes each enabled rule reads the report's figures of each campaign in scope over its window and acts
        once on each value that matches: blocklist it, pause it, or notify a webhook. See docs/rules.md.
      </p>
      <RuleTable rows={rows} />
      <h2>New rule</h2>
      <RuleForm action="/admin/rules" values={props.values} errors={props.errors} />
      {props.preview && <EvaluationView evaluation={props.preview} title="Preview: what this rule would do now" />}
    </Layout>
  );
}

async function LogPage({ db, id, preview }: { db: Db; id: number; preview?: Evaluation }) {
  const row = await getRule(db, id);
  if (!row) return null;
  const log = await ruleLog(db, id, 200);
  return (
    <Layout title={`Rule: ${row.name}`} active="/admin/rules">
      <p>
        {describeRule(row)}; action {row.action.type}; {row.enabled ? "enabled" : "disabled"}.
      </p>
      <form class="inline" method="post" action={`/admin/rules/${id}/preview`}>
        <button type="submit" class="secondary">
          Preview now
        </button>
      </form>{" "}
      <form class="inline" method="post" action={`/admin/rules/${id}/run`}>
        <button type="submit">Run now</button>
      </form>
      {preview && <EvaluationView evaluation={preview} title="Preview: what it would do now (nothing changed)" />}
      <RuleLog log={log} />
      <p>
        <a href="/admin/rules">Back to rules</a>
      </p>
    </Layout>
  );
}

/** /admin/rules: list, create (with preview), switch, run, delete; each rule's log. */
export const rulePages = new Hono<AppEnv>()
  .get("/", (c) => c.html(<ListPage db={c.var.db} />))
  .post("/", async (c) => {
    const form = await readForm(c);
    const parsed = parseForm(ruleForm, form, RULE_LABELS);
    if (!parsed.ok) return c.html(<ListPage db={c.var.db} values={form} errors={parsed.errors} />, parsed.status);
    if (form.intent === "preview") {
      const preview = await evaluateRule({ db: c.var.db, now: Date.now() }, { ...parsed.data, id: null }, false);
      return c.html(<ListPage db={c.var.db} values={form} preview={preview} />);
    }
    await createRule(c.var.db, parsed.data);
    return c.redirect("/admin/rules", 303);
  })
  .get("/:id", async (c) => {
    const page = await LogPage({ db: c.var.db, id: parseId(c.req.param("id"), "Rule") });
    return page ? c.html(page) : notFoundPage(c);
  })
  .post("/:id/preview", async (c) => {
    const row = await getRule(c.var.db, parseId(c.req.param("id"), "Rule"));
    if (!row) return notFoundPage(c);
    const preview = await evaluateRule({ db: c.var.db, now: Date.now() }, ruleOf(row), false);
    return c.html((await LogPage({ db: c.var.db, id: row.id, preview }))!);
  })
  .post("/:id/run", async (c) => {
    const row = await getRule(c.var.db, parseId(c.req.param("id"), "Rule"));
    if (!row) return notFoundPage(c);
    await evaluateRule({ db: c.var.db, queue: c.env.SOURCE_POSTBACKS, now: Date.now() }, ruleOf(row), true);
    return c.redirect(`/admin/rules/${row.id}`, 303);
  })
  .post("/:id/toggle", async (c) => {
    const row = await getRule(c.var.db, parseId(c.req.param("id"), "Rule"));
    if (!row) return notFoundPage(c);
    const parsed = parseForm(ruleForm, { ...ruleValues(row), enabled: row.enabled ? "" : "on" });
    if (parsed.ok) await updateRule(c.var.db, row, parsed.data);
    return c.redirect("/admin/rules", 303);
  })
  .post("/:id/delete", async (c) => {
    if (!(await deleteRule(c.var.db, parseId(c.req.param("id"), "Rule")))) return notFoundPage(c);
    return c.redirect("/admin/rules", 303);
  });
