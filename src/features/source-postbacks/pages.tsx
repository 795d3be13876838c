import { Hono } from "hono";
import type { z } from "zod";
import { getDelivery, listDeliveries } from "../../delivery/queries";
import type { AppEnv } from "../../lib/env";
import { labelsFor } from "../../reports/labels";
import { parseForm } from "../../ui/forms";
import { Errors, Layout, NoticeBox } from "../../ui/layout";
import { retryDelivery } from "./retry";
import { DELIVERY_LABELS, deliveryQuery } from "./schema";
import { DeliveryTable, StatusFilter } from "./views";

const LOG = "/admin/source-postbacks";
const PAGE_SIZE = 100;

/** The source-postback log: every delivery with its last answer; failed ones can be sent again. */
export const sourcePostbackPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    // The API's query schema; a hand-edited link with a bad filter gets the reason, not a guess.
    const parsed = parseForm(deliveryQuery, { ...c.req.query(), limit: PAGE_SIZE }, DELIVERY_LABELS);
    const query: z.output<typeof deliveryQuery> = parsed.ok ? parsed.data : { limit: PAGE_SIZE };
    const page = await listDeliveries(c.var.db, query);
    const { status } = query;
    const sourceNames = await labelsFor(c.var.db, "trafficSource", [
      ...new Set(page.rows.map((r) => r.trafficSourceId)),
    ]);
    const next =
      page.nextCursor && `${LOG}?${new URLSearchParams({ ...(status && { status }), cursor: page.nextCursor })}`;
    // Named only when it exists: the link cannot make the page claim anything else.
    const retried = await getDelivery(c.var.db, c.req.query("retried") ?? "");
    return c.html(
      <Layout title="Postbacks to traffic sources" active={LOG}>
        <p class="muted">
          Calls of traffic sources' postback URLs, newest first. Network errors, timeouts, 429 and 5xx are retried for
          about 28 hours; other answers are not. A failed delivery can be sent again.
        </p>
        {!parsed.ok && <Errors errors={parsed.errors} />}
        <NoticeBox notice={retried ? { kind: "good", text: `Delivery ${retried.id} is queued again.` } : undefined} />
        <StatusFilter current={status} />
        <DeliveryTable rows={page.rows} sourceNames={sourceNames} />
        {next && (
          <p>
            <a href={next}>Older deliveries</a>
          </p>
        )}
      </Layout>,
      parsed.ok ? 200 : parsed.status,
    );
  })
  .post("/:id/retry", async (c) => {
    // 404 and 409 come back as the admin error page (ApiError).
    const row = await retryDelivery(c.var.db, c.env, c.req.param("id"));
    return c.redirect(`${LOG}?${new URLSearchParams({ retried: row.id })}`, 303);
  });
