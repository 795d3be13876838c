import { readSourceParams } from "../../click/source-params";
import type { Db } from "../../lib/db";
import { getTrafficSource, sourceForClick } from "../traffic-sources/queries";
import type { VisitValues } from "./tokens";

/**
 * The visit's external ID, variables and country, or null while the visit is not in D1 (visits
 * are written after the redirect). Until the storage helper's VisitRecord rows land, the visits
 * table keeps the click's query string, read back through the delivery's traffic source as the
 * click read it. With storage merged this becomes its getVisit(d1, clickId, visitTime):
 * { externalId, vars: var1…var10 from attributes, country: attributes.country }.
 */
export async function visitValues(
  db: Db,
  d1: D1Database,
  delivery: { clickId: string; trafficSourceId: number },
): Promise<VisitValues | null> {
  const visit = await d1
    .prepare("SELECT country, params FROM visits WHERE click_id = ?1")
    .bind(delivery.clickId)
    .first<{ country: string | null; params: string }>();
  if (!visit) return null;
  const source = await getTrafficSource(db, delivery.trafficSourceId);
  let query: Record<string, string> = {};
  try {
    query = JSON.parse(visit.params) as Record<string, string>;
  } catch {
    // A visit without readable parameters has no external ID or variables.
  }
  const params = readSourceParams(source ? sourceForClick(source) : null, query);
  return { externalId: params.externalId, vars: params.vars, country: visit.country };
}
