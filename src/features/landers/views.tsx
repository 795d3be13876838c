import type { LanderRow } from "../../db/schema";
import { ArchivableTable, NameCell } from "../../ui/components";
import { CopyField, PostForm } from "../../ui/layout";
import type { ListFigures } from "../../ui/list-figures";
import { ctaUrls, landerJson } from "./queries";
import { MAX_LANDER_OFFERS } from "./schema";

export type LanderValues = Partial<Record<"name" | "url" | "offerCount", string>>;

export function landerValues(row: LanderRow): LanderValues {
  const { name, url, offerCount } = landerJson(row);
  return { name, url, offerCount: String(offerCount) };
}

/** The links a lander's buttons point at, each with a Copy button (docs/tracking.md). */
export function CtaUrls({ origin, offerCount }: { origin: string; offerCount: number }) {
  const [any, ...numbered] = ctaUrls(origin, offerCount);
  return (
    <div>
      <CopyField value={any!} label="Call-to-action URL: an offer of the path by weight" />
      {numbered.map((url, i) => (
        <CopyField value={url} label={`Call-to-action URL of offer ${i + 1}`} />
      ))}
    </div>
  );
}

/** Each lander's call-to-action URLs (the settings page lists them beside the tracking URLs). */
export function LanderCtaList({ landers, origin }: { landers: LanderRow[]; origin: string }) {
  if (landers.length === 0) return <p class="muted">No landers yet.</p>;
  return (
    <table>
      <tbody>
        {landers.map((l) => (
          <tr>
            <td>{l.name}</td>
            <td>
              <CtaUrls origin={origin} offerCount={l.offerCount} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LanderTable(props: {
  rows: LanderRow[];
  origin: string;
  showingArchived: boolean;
  figures?: ListFigures;
}) {
  return (
    <ArchivableTable
      figures={props.figures}
      base="/admin/landers"
      columns={["Name", "URL", "Call-to-action URLs"]}
      rows={props.rows}
      empty="No landers yet."
      showingArchived={props.showingArchived}
      cells={(l) => (
        <>
          <NameCell name={l.name} archived={l.archived} />
          <td class="mono">{l.url}</td>
          <td>
            <CtaUrls origin={props.origin} offerCount={l.offerCount} />
          </td>
        </>
      )}
    />
  );
}

export function LanderForm(props: { action: string; values?: LanderValues; errors?: string[]; submit: string }) {
  const { action, values = {}, errors, submit } = props;
  return (
    <PostForm action={action} errors={errors} submit={submit}>
      <label>
        Name
        <input type="text" name="name" value={values.name ?? ""} required maxlength={200} />
      </label>
      <label>
        URL (the same tokens as offers, {"{lander.id}"} and {"{lander.name}"} too; pass {"{clickid}"} if the page links
        with ?cid=)
        <input
          type="url"
          name="url"
          value={values.url ?? ""}
          required
          placeholder="https://lander.example/?cid={clickid}"
        />
      </label>
      <label>
        Calls to action (offers the page links to: /click/1 … /click/N)
        <input
          type="number"
          name="offerCount"
          min={1}
          max={MAX_LANDER_OFFERS}
          step={1}
          value={values.offerCount ?? "1"}
          required
        />
      </label>
    </PostForm>
  );
}
