import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { parseId } from "../../lib/params";
import { DataTable } from "../../ui/components";
import { notFoundPage } from "../../ui/errors";
import { readForm } from "../../ui/forms";
import { Layout } from "../../ui/layout";
import { getCampaign } from "../campaigns/queries";
import { blocklistOf, pausesOf, unblock, unpause } from "./blocklist";

const page = (id: number) => `/admin/campaigns/${id}/blocklist`;

/**
 * /admin/campaigns/:id/blocklist: what rules blocked and paused in a campaign, each undoable;
 * each dimension's list copyable as text for the network's blacklist.
 */
export const campaignRulePages = new Hono<AppEnv>()
  .get("/:id/blocklist", async (c) => {
    const campaign = await getCampaign(c.var.db, parseId(c.req.param("id"), "Campaign"));
    if (!campaign) return notFoundPage(c);
    const [lists, pauses] = await Promise.all([blocklistOf(c.var.db, campaign.id), pausesOf(c.var.db, campaign.id)]);
    return c.html(
      <Layout title={`Blocklist and pauses: ${campaign.name}`} active="/admin/campaigns">
        <p class="muted">
          Visitors whose value is listed here match the flow condition <code>blocklisted</code>. Paste a list into the
          network's zone blacklist with Copy.
        </p>
        {Object.keys(lists).length === 0 && <p>Nothing is blocklisted.</p>}
        {Object.entries(lists).map(([dimension, values]) => (
          <section>
            <h2>
              {dimension} ({values.length})
            </h2>
            <p class="copy">
              <textarea readonly rows={Math.min(values.length, 8)} aria-label={`${dimension} values`}>
                {values.join("\n")}
              </textarea>
              <button type="button" class="secondary" data-copy={values.join("\n")}>
                Copy
              </button>
            </p>
            <DataTable
              columns={["Value", ""]}
              rows={values}
              row={(value) => (
                <tr>
                  <td class="mono">{value}</td>
                  <td>
                    <form class="inline" method="post" action={`${page(campaign.id)}/remove`}>
                      <input type="hidden" name="dimension" value={dimension} />
                      <input type="hidden" name="value" value={value} />
                      <button type="submit" class="secondary">
                        Remove
                      </button>
                    </form>
                  </td>
                </tr>
              )}
            />
          </section>
        ))}
        <h2>Paused</h2>
        <DataTable
          columns={["What", "Id", "By rule", ""]}
          rows={pauses}
          empty="Nothing is paused."
          row={(p) => (
            <tr>
              <td>{p.dimension}</td>
              <td>{p.itemId}</td>
              <td>{p.ruleId === null ? "" : <a href={`/admin/rules/${p.ruleId}`}>{p.ruleId}</a>}</td>
              <td>
                <form class="inline" method="post" action={`${page(campaign.id)}/unpause`}>
                  <input type="hidden" name="dimension" value={p.dimension} />
                  <input type="hidden" name="itemId" value={String(p.itemId)} />
                  <button type="submit" class="secondary">
                    Unpause
                  </button>
                </form>
              </td>
            </tr>
          )}
        />
        <p>
          <a href={`/admin/campaigns/${campaign.id}`}>Back to the campaign</a>
        </p>
      </Layout>,
    );
  })
  .post("/:id/blocklist/remove", async (c) => {
    const id = parseId(c.req.param("id"), "Campaign");
    const form = await readForm(c);
    await unblock(c.var.db, id, form.dimension ?? "", form.value ?? "");
    return c.redirect(page(id), 303);
  })
  .post("/:id/blocklist/unpause", async (c) => {
    const id = parseId(c.req.param("id"), "Campaign");
    const form = await readForm(c);
    if (/^\d{1,15}$/.test(form.itemId ?? "")) await unpause(c.var.db, id, form.dimension ?? "", Number(form.itemId));
    return c.redirect(page(id), 303);
  });
