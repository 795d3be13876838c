import type { Db } from "../lib/db";
import { type ReportRow, runReport } from "./queries";
import { windowRange } from "./rolling-window";
import { MAX_LIMIT } from "./schema";

/**
 * A campaign's report rows over a window ending now: GET /api/report's own engine, so a rule or
 * the optimiser and the report never disagree. Memoised for one pass of the cron, where rules
 * sharing a dimension and window read each campaign's figures once.
 */
export class Figures {
  private readonly memo = new Map<string, Promise<ReportRow[]>>();
  private readonly active_ = new Map<string, Promise<Set<number>>>();
  constructor(
    private readonly db: Db,
    readonly now: number,
  ) {}

  /** Campaigns with any figures in the window (one report by campaign): the others have no rows to match. */
  active(hours: number): Promise<Set<number>> {
    const key = JSON.stringify(["active", hours]);
    let found = this.active_.get(key);
    if (!found) {
      const range = windowRange(this.now, hours);
      found = runReport(this.db, { range, groupBy: "campaign", limit: MAX_LIMIT }).then(
        (r) => new Set(r.rows.map((row) => Number(row.key))),
      );
      this.active_.set(key, found);
    }
    return found;
  }

  rows(campaignId: number, groupBy: string, hours: number, filters: Record<string, number> = {}): Promise<ReportRow[]> {
    const key = JSON.stringify([campaignId, groupBy, hours, filters]);
    let rows = this.memo.get(key);
    if (!rows) {
      const range = windowRange(this.now, hours);
      rows = runReport(this.db, { range, groupBy, filters: { campaignId, ...filters }, limit: MAX_LIMIT }).then(
        (r) => r.rows,
      );
      this.memo.set(key, rows);
    }
    return rows;
  }
}
