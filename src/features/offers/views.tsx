import { z } from "zod";
import { ArchivableTable, money, NameCell } from "../../admin/components";
import { PostForm } from "../../admin/layout";
import type { OfferRow } from "../../db/schema";
import { parseMicros } from "../../lib/money";
import type { Payout } from "./queries";
import { offerUrlSchema } from "./schema";

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
    <ArchivableTable
      base="/admin/offers"
      columns={["Name", "URL", "Payout"]}
      rows={rows}
      empty="No offers yet."
      showingArchived={showingArchived}
      cells={(o) => (
        <>
          <NameCell name={o.name} archived={o.archived} />
          <td class="mono">{o.url}</td>
          <td>{o.payoutMode === "manual" ? `manual: ${money(o.payoutMicros)}` : "auto (from postback)"}</td>
        </>
      )}
    />
  );
}

export function OfferForm({
  action,
  values = {},
  errors,
  submit,
}: {
  action: string;
  values?: OfferValues;
  errors?: string[];
  submit: string;
}) {
  return (
    <PostForm action={action} errors={errors} submit={submit}>
      <label>
        Name
        <input type="text" name="name" value={values.name ?? ""} required maxlength={200} />
      </label>
      <label>
        URL (tokens: {"{clickid}"}, {"{campaign.id}"}, {"{offer.id}"}, {"{country.code}"}, {"{var1}"}…{"{var10}"},{" "}
        {"{externalid}"})
        <input
          type="url"
          name="url"
          value={values.url ?? ""}
          required
          placeholder="https://offer.example/lp?cid={clickid}"
        />
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
    </PostForm>
  );
}
