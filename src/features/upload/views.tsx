import { DataTable } from "../../ui/components";
import { PostForm } from "../../ui/layout";
import { LINE_FORMAT, MAX_UPLOAD_BYTES, MAX_UPLOAD_LINES } from "./parse";
import type { UploadProblem, UploadReport } from "./run";

/**
 * A textarea's content. The HTML parser drops one newline right after <textarea>, so one is
 * added: a text that starts with a blank line keeps its line numbers through the round trip.
 */
function TextArea({ text, hidden }: { text: string; hidden?: boolean }) {
  return (
    <textarea
      name="text"
      rows={14}
      hidden={hidden}
      spellcheck={false}
      aria-label="Conversion lines"
      placeholder="c384EFV6JHQODRN70575OK6U,-50,,app_install"
    >
      {"\n" + text}
    </textarea>
  );
}

export function UploadForm({ text = "" }: { text?: string }) {
  return (
    <PostForm action="/admin/upload/check" submit="Save">
      <p>
        One conversion per line, fields separated by commas: <code>{LINE_FORMAT}</code>. Only the click ID is required;
        keep the commas of empty middle fields (<code>c384EFV6JHQODRN70575OK6U,-50,,app_install</code>) and leave
        trailing fields off. A payout given here is booked as is (negative amounts correct revenue); without one the
        offer's payout rule applies. Times are ISO-8601 (<code>2011-12-03T10:15:30+01:00</code>; no offset means UTC),
        default now. A status (approved, the default; pending; rejected; or a word of the settings) moves a conversion
        uploaded or posted before: pending to approved or rejected, approved to rejected. A currency (ISO 4217) is
        converted to the account's at the rate set in Settings. At most {MAX_UPLOAD_LINES.toLocaleString("en-US")} lines
        and {MAX_UPLOAD_BYTES / 1024 / 1024} MiB per upload.
      </p>
      <TextArea text={text} />
    </PostForm>
  );
}

export function ProblemTable({ lines }: { lines: UploadProblem[] }) {
  return (
    <DataTable
      columns={[{ label: "Line", num: true }, "Click ID", "Status", "Reason"]}
      rows={lines}
      row={(l) => (
        <tr>
          <td class="num">{l.line}</td>
          <td class="mono">{l.clickId}</td>
          <td>{l.status}</td>
          <td>{l.error}</td>
        </tr>
      )}
    />
  );
}

/** Step 2: what a dry run found; nothing is registered until "Yes, upload conversions". */
export function Confirmation({ text, report }: { text: string; report: UploadReport }) {
  const { total, rejected, duplicate } = report.summary;
  const valid = total - rejected;
  return (
    <>
      <p class={`notice ${valid > 0 ? "good" : "bad"}`} id="upload-count">
        {valid === 1 ? "1 line will be uploaded." : `${valid} lines will be uploaded.`}
        {duplicate > 0 &&
          ` ${duplicate} of them ${duplicate === 1 ? "repeats" : "repeat"} a registered conversion or an earlier line and will be reported as ${duplicate === 1 ? "a duplicate" : "duplicates"}.`}
      </p>
      {rejected > 0 && (
        <>
          <h2>{rejected === 1 ? "1 invalid line will be skipped" : `${rejected} invalid lines will be skipped`}</h2>
          <ProblemTable lines={report.lines} />
        </>
      )}
      <form method="post" action="/admin/upload/confirm">
        <TextArea text={text} hidden />
        {valid > 0 && <button type="submit">Yes, upload conversions</button>}{" "}
        <button type="submit" class="secondary" formaction="/admin/upload/edit">
          Edit lines
        </button>
      </form>
    </>
  );
}

/** Step 3: the counts and every line that was not accepted. */
export function Result({ report }: { report: UploadReport }) {
  const { total, accepted, updated, duplicate, rejected } = report.summary;
  return (
    <>
      <div class="counts" id="upload-summary">
        {(
          [
            [total, "lines"],
            [accepted, "accepted"],
            [updated, "updated"],
            [duplicate, "duplicate"],
            [rejected, "rejected"],
          ] as const
        )
          // "updated" only when a line moved a conversion's status.
          .filter(([count, label]) => label !== "updated" || count > 0)
          .map(([count, label]) => (
            <div>
              <strong>{count}</strong> {label}
            </div>
          ))}
      </div>
      {report.lines.length > 0 ? (
        <>
          <h2>Lines not accepted</h2>
          <ProblemTable lines={report.lines} />
        </>
      ) : (
        <p class="notice good">Every line was accepted.</p>
      )}
      <p>
        <a class="button" href="/admin/upload">
          Upload more conversions
        </a>
      </p>
    </>
  );
}
