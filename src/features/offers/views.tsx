import { TOKEN_NAMES } from "../../click/tokens";
import type { OfferRow } from "../../db/schema";
import { MAX_NAME_LENGTH } from "../../lib/names";
import { ArchivableTable, money, NameCell } from "../../ui/components";
import { PostForm } from "../../ui/layout";
import type { ListFigures } from "../../ui/list-figures";

export type OfferValues = Partial<Record<"name" | "url" | "payoutMode" | "amount", string>>;

export function offerValues(row: OfferRow): OfferValues {
  return {
    name: row.name,
    url: row.url,
    payoutMode: row.payoutMode,
    amount: row.payoutMode === "manual" ? money(row.payoutMicros) : "",
  };
}

export function OfferTable({
  rows,
  showingArchived,
  figures,
}: {
  rows: OfferRow[];
  showingArchived: boolean;
  figures?: ListFigures;
}) {
  return (
    <ArchivableTable
      figures={figures}
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
        <input type="text" name="name" value={values.name ?? ""} required maxlength={MAX_NAME_LENGTH} />
      </label>
      <label>
        URL <small class="muted">(tokens: {TOKEN_NAMES.map((t) => `{${t}}`).join(", ")})</small>
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
