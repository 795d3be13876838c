import { DataTable } from "../../ui/components";
import type { VisitLookup } from "../../visits/lookup";
import type { VisitNames } from "./names";

type Found = Extract<VisitLookup, { click: unknown }>;

const show = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : String(v));

/** The click-lookup form: a GET form (it changes nothing), so no CSRF token. */
export function LookupForm({ value }: { value: string }) {
  return (
    <form method="get" action="/admin/visits" class="stack">
      <label>
        Click ID
        <input name="clickId" value={value} maxlength={64} required autocomplete="off" class="mono" />
      </label>
      <button type="submit">Look up</button>
    </form>
  );
}

/** An id with its name ("Push › Main (10001)"), or the id alone when nothing is named so. */
const named = (names: VisitNames, field: string, v: unknown) => {
  const name = names.ids[field]?.get(v);
  return name === undefined ? show(v) : `${name} (${show(v)})`;
};

function Fields({ fields, names }: { fields: Record<string, unknown>; names: VisitNames }) {
  return (
    <table>
      <tbody>
        {Object.entries(fields).map(([k, v]) => (
          <tr>
            <th>{names.fields[k] ?? k}</th>
            <td class="mono">{named(names, k, v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The statuses before the current one, oldest first; nothing for a conversion that never changed. */
function StatusHistory({ history }: { history: Found["conversions"][number]["history"] }) {
  if (history.length < 2) return null;
  return (
    <ol class="history">
      {history.map((h) => (
        <li>
          {h.status}, {h.payout}
          {h.at && ` at ${h.at}`}
        </li>
      ))}
    </ol>
  );
}

/** What is stored about a click ID: the visit (or why it is not there), lander clicks, conversions. */
export function LookupResult({ result, names }: { result: Found; names: VisitNames }) {
  return (
    <>
      <h2>What the click ID says</h2>
      <Fields fields={result.click} names={names} />
      <h2>Visit</h2>
      {result.visit ? (
        <Fields fields={result.visit} names={names} />
      ) : (
        <p id="visit-missing">
          {result.archive
            ? `Archived: the visits of ${result.archive.day} are in the R2 file ${result.archive.file}.`
            : "No visit stored for this click ID: not written yet (visits reach the database within seconds), or never recorded."}
        </p>
      )}
      <h2>Lander clicks</h2>
      <DataTable
        id="lander-clicks"
        columns={["Time", "Lander", "Path", "Offer"]}
        rows={result.landerClicks}
        empty="No lander clicks."
        row={(c) => (
          <tr>
            <td>{c.time}</td>
            <td>{named(names, "landerId", c.landerId)}</td>
            <td>{named(names, "pathId", c.pathId)}</td>
            <td>{named(names, "offerId", c.offerId)}</td>
          </tr>
        )}
      />
      <h2>Conversions</h2>
      <DataTable
        id="conversions"
        columns={[
          "Conversion time",
          "Type",
          "Transaction ID",
          "Status",
          { label: "Payout", num: true },
          "Source",
          "Received",
        ]}
        rows={result.conversions}
        empty="No conversions."
        row={(c) => (
          <tr>
            <td>{c.conversionTime}</td>
            <td>{c.type ?? "(default)"}</td>
            <td class="mono">{show(c.txid)}</td>
            <td>
              {c.status}
              <StatusHistory history={c.history} />
            </td>
            <td class="num">{c.payout}</td>
            <td>{c.source}</td>
            <td>{c.receivedAt}</td>
          </tr>
        )}
      />
    </>
  );
}
