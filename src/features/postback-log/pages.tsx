import { Hono } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../../lib/env";
import { OlderLink } from "../../ui/components";
import { parseForm } from "../../ui/forms";
import { Errors, Layout } from "../../ui/layout";
import { listLog } from "./list";
import { LOG_LABELS, logQuery } from "./schema";
import { LogTable, StatusFilter } from "./views";

const PAGE_SIZE = 100;

export const postbackPages = new Hono<AppEnv>().get("/", async (c) => {
  // The API's query schema; a hand-edited link with a bad filter gets the reason, not a guess.
  const parsed = parseForm(logQuery, { ...c.req.query(), limit: PAGE_SIZE }, LOG_LABELS);
  const query: z.output<typeof logQuery> = parsed.ok ? parsed.data : { limit: PAGE_SIZE };
  const page = await listLog(c.var.db, query);
  const { status } = query;
  const next =
    page.nextCursor &&
    `/admin/postbacks?${new URLSearchParams({ ...(status && { status }), cursor: page.nextCursor })}`;
  return c.html(
    <Layout title="Postback log" active="/admin/postbacks">
      <p class="muted">Every postback and pixel hit, refused ones included, newest first. The secret is never shown.</p>
      {!parsed.ok && <Errors errors={parsed.errors} />}
      <StatusFilter current={status} />
      <LogTable rows={page.rows} />
      <OlderLink href={next} />
    </Layout>,
    parsed.ok ? 200 : parsed.status,
  );
});
