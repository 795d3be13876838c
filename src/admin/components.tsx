import { microsToDecimal } from "../lib/money";

/** Decimal text of a micro-unit amount, exact (no float formatting drift for 6 decimals). */
export function money(micros: number): string {
  return String(microsToDecimal(micros));
}

/** Archive / Restore as a one-button POST form (state changes never ride on GET links). */
export function ArchiveButton({ base, id, archived }: { base: string; id: number; archived: boolean }) {
  return (
    <form class="inline" method="post" action={`${base}/${id}/${archived ? "restore" : "archive"}`}>
      <button type="submit" class={archived ? "secondary" : "danger"}>
        {archived ? "Restore" : "Archive"}
      </button>
    </form>
  );
}

/** "Show archived" / "Hide archived" toggle under a list. */
export function ArchivedToggle({ base, showing }: { base: string; showing: boolean }) {
  return (
    <p>
      <a href={showing ? base : `${base}?archived=1`}>{showing ? "Hide archived" : "Show archived"}</a>
    </p>
  );
}
