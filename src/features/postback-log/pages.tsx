import { Hono } from "hono";
import { Layout } from "../../admin/layout";
import type { AppEnv } from "../../lib/env";
import { listLog } from "./list";
import { LOG_STATUSES, LogTable, StatusFilter } from "./views";
import type { LogStatus } from "./write";

const PAGE_SIZE = 100;

export const postbackPages = new Hono<AppEnv>().get("/", async (c) => {
  const rawStatus = c.req.query("status");
  const status = LOG_STATUSES.find((s) => s === rawStatus) as LogStatus | undefined;
  const rawCursor = c.req.query("cursor");
  const cursor = rawCursor && /^\d{1,15}$/.test(rawCursor) ? Number(rawCursor) : undefined;
  const page = await listLog(c.var.db, { limit: PAGE_SIZE, cursor, status });
  const next =
    page.nextCursor &&
    `/admin/postbacks?${new URLSearchParams({ ...(status && { status }), cursor: page.nextCursor })}`;
  return c.html(
    <Layout title="Postback log" active="/admin/postbacks">
      <p class="muted">Every postback and pixel hit, refused ones included, newest first. The secret is never shown.</p>
      <StatusFilter current={status} />
      <LogTable rows={page.rows} />
      {next && (
        <p>
          <a href={next}>Older entries</a>
        </p>
      )}
    </Layout>,
  );
});
