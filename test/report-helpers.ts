import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { conversions, visits } from "../src/db/schema";
import { getDb } from "../src/lib/db";
import { api } from "./helpers";

/** Rows written straight into the real local D1, for reports over chosen times and amounts. */
const db = () => getDb(env.DB);
let seq = 0;

export async function insertVisits(
  n: number,
  v: { campaignId: number; offerId: number; at: string | number; country?: string | null; costMicros?: number },
): Promise<string[]> {
  const ids = Array.from({ length: n }, () => `v${Date.now()}_${String(seq++).padStart(8, "0")}`.padEnd(32, "0"));
  const createdAt = typeof v.at === "number" ? v.at : Date.parse(v.at);
  // Chunks of 10 rows: D1 binds at most 100 parameters per statement.
  for (let i = 0; i < ids.length; i += 10) {
    await db()
      .insert(visits)
      .values(
        ids.slice(i, i + 10).map((clickId) => ({
          clickId,
          campaignId: v.campaignId,
          offerId: v.offerId,
          createdAt,
          country: v.country ?? null,
          costMicros: v.costMicros ?? 0,
        })),
      );
  }
  return ids;
}

export interface ConversionInput {
  campaignId: number;
  offerId: number;
  at: string | number;
  payoutMicros: number;
  clickId?: string;
  typeId?: number | null;
  txid?: string | null;
  source?: "postback" | "upload" | "pixel";
  receivedAt?: number;
  status?: "approved" | "pending" | "rejected";
}

export async function insertConversions(list: ConversionInput[]): Promise<string[]> {
  const rows = list.map((c) => {
    const id = `t${Date.now().toString(36)}_${String(seq++).padStart(8, "0")}`;
    const clickId = c.clickId ?? `c${id}`.padEnd(32, "0");
    const time = typeof c.at === "number" ? c.at : Date.parse(c.at);
    return {
      id,
      clickId,
      campaignId: c.campaignId,
      offerId: c.offerId,
      typeId: c.typeId ?? null,
      txid: c.txid ?? null,
      dedupeKey: `${clickId}|${c.typeId ?? ""}|${c.txid ?? id}`,
      payoutMicros: c.payoutMicros,
      conversionTime: time,
      receivedAt: c.receivedAt ?? time,
      source: c.source ?? "postback",
      status: c.status ?? "approved",
    };
  });
  // 13 bound columns a row: 7 rows stay under D1's 100 parameters.
  for (let i = 0; i < rows.length; i += 7)
    await db()
      .insert(conversions)
      .values(rows.slice(i, i + 7));
  return rows.map((r) => r.id);
}

export async function getJson(path: string): Promise<any> {
  const res = await api("GET", path);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

export function report(params: Record<string, string | number>) {
  return getJson(`/report?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`);
}
