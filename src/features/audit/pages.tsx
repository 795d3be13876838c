import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { OlderLink } from "../../ui/components";
import { parseForm } from "../../ui/forms";
import { Errors, Layout } from "../../ui/layout";
import { listKeys } from "../api-keys/queries";
import { listUsers } from "../users/queries";
import { AUDIT_RETENTION_DAYS, listAudit } from "./queries";
import { AUDIT_LABELS, type AuditQuery, auditQuery } from "./schema";
import { AuditFilter, AuditTable } from "./views";

const PAGE_SIZE = 100;

export const auditPages = new Hono<AppEnv>().get("/", async (c) => {
  // Empty menu choices mean "any"; the rest is the API's own query schema.
  const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ""));
  const parsed = parseForm(auditQuery, { ...raw, limit: String(PAGE_SIZE) }, AUDIT_LABELS);
  const query: AuditQuery = parsed.ok ? parsed.data : { limit: PAGE_SIZE };
  const [page, users, keys] = await Promise.all([listAudit(c.var.db, query), listUsers(c.var.db), listKeys(c.var.db)]);
  const filters = { ...(raw.actor && { actor: raw.actor }), ...(raw.entity && { entity: raw.entity }) };
  const next = page.nextCursor && `/admin/audit?${new URLSearchParams({ ...filters, cursor: page.nextCursor })}`;
  return c.html(
    <Layout title="Audit log" active="/admin/audit">
      <p class="muted">
        Every change through the API and these pages, newest first; kept {AUDIT_RETENTION_DAYS} days. Secrets show only
        as [redacted].
      </p>
      {!parsed.ok && <Errors errors={parsed.errors} />}
      <AuditFilter users={users} keys={keys} actor={raw.actor} entity={raw.entity} />
      <AuditTable rows={page.rows} />
      <OlderLink href={next} />
    </Layout>,
    parsed.ok ? 200 : parsed.status,
  );
});
