import { z } from "zod";
import type { OfferRow } from "../db/schema";
import { parseMicros } from "../lib/money";
import type { Payout } from "../offers/queries";
import { offerUrlSchema } from "../routes/offers";
import { ArchiveButton, ArchivedToggle, money } from "./components";
import { Errors } from "./layout";

const manualAmount = z.string().transform((value, ctx) => {
  const micros = parseMicros(value);
  if (micros === null) {
    ctx.addIssue({ code: "custom", message: "a manual payout needs a decimal amount, e.g. 12.50" });
    return z.NEVER;
  }
  return micros;
});

// An intersection, so a bad amount is reported together with a bad name or URL.
export const offerForm = z
  .object({ name: z.string().trim().min(1, "is required").max(200), url: offerUrlSchema })
  .and(
    z.discriminatedUnion("payoutMode", [
      z.object({ payoutMode: z.literal("auto") }),
      z.object({ payoutMode: z.literal("manual"), amount: manualAmount }),
    ]),
  )
  .transform((v) => {
    const payout: Payout = v.payoutMode === "manual" ? { mode: "manual", amountMicros: v.amount } : { mode: "auto" };
    return { name: v.name, url: v.url, payout };
  });

export const OFFER_LABELS = { name: "Name", url: "URL", payoutMode: "Payout", amount: "Amount" };

export type OfferValues = Partial<Record<"name" | "url" | "payoutMode" | "amount", string>>;

export function offerValues(row: OfferRow): OfferValues {
  return {
    name: row.name,
    url: row.url,
    payoutMode: row.payoutMode,
    amount: row.payoutMode === "manual" ? money(row.payoutMicros) : "",
  };
}

export function OfferTable({ rows, showingArchived }: { rows: OfferRow[]; showingArchived: boolean }) {
  return (
    <>
      <table>
        <thead>
          <tr>
            <th class="num">ID</th>
            <th>Name</th>
            <th>URL</th>
            <th>Payout</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colspan={5} class="muted">
                No offers yet.
              </td>
            </tr>
          )}
          {rows.map((o) => (
            <tr>
              <td class="num">{o.id}</td>
              <td>
                {o.name}
                {o.archived && <span class="muted"> (archived)</span>}
              </td>
              <td class="mono">{o.url}</td>
              <td>{o.payoutMode === "manual" ? `manual: ${money(o.payoutMicros)}` : "auto (from postback)"}</td>
              <td>
                <a class="button secondary" href={`/admin/offers/${o.id}`}>
                  Edit
                </a>{" "}
                <ArchiveButton base="/admin/offers" id={o.id} archived={o.archived} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ArchivedToggle base="/admin/offers" showing={showingArchived} />
    </>
  );
}

export function OfferForm({ action, values = {}, errors, submit }: { action: string; values?: OfferValues; errors?: string[]; submit: string }) {
  return (
    <form class="stack" method="post" action={action}>
      <Errors errors={errors} />
      <label>
        Name
        <input type="text" name="name" value={values.name ?? ""} required maxlength={200} />
      </label>
      <label>
        URL (tokens: {"{clickid}"}, {"{campaign.id}"}, {"{offer.id}"}, {"{country.code}"}, {"{var1}"}…{"{var10}"}, {"{externalid}"})
        <input type="url" name="url" value={values.url ?? ""} required placeholder="https://offer.example/lp?cid={clickid}" />
      </label>
      <label>
        Payout
        <select name="payoutMode">
          <option value="auto" selected={values.payoutMode !== "manual"}>
            auto: the payout the network sends
          </option>
          <option value="manual" selected={values.payoutMode === "manual"}>
            manual: always the amount below
          </option>
        </select>
      </label>
      <label>
        Amount (manual payout only)
        <input type="text" name="amount" value={values.amount ?? ""} inputmode="decimal" placeholder="12.50" />
      </label>
      <button type="submit">{submit}</button>
    </form>
  );
}
