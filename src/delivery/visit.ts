import { verifyClickId } from "../lib/clickid";
import { VAR_SLOTS } from "../model/vars";
import { getVisit } from "../visits/queries";
import type { VisitValues } from "./tokens";

/**
 * The visit's external ID, variables and country, or null while the visit is not in D1 (visits
 * reach D1 through the visit queue after the redirect). The click ID gives the visit's second,
 * so this is one primary-key seek in raw_visits (src/visits/queries.ts).
 */
export async function visitValues(
  secret: string,
  d1: D1Database,
  delivery: { clickId: string },
): Promise<VisitValues | null> {
  const click = await verifyClickId(secret, delivery.clickId);
  if (!click) return null;
  const visit = await getVisit(d1, delivery.clickId, click.visitTime);
  if (!visit) return null;
  const a = visit.attributes;
  return {
    externalId: visit.externalId,
    vars: Array.from({ length: VAR_SLOTS }, (_, i) => a[`var${i + 1}`] ?? null),
    country: a.country ?? null,
  };
}
