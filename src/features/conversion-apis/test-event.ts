import type { TrafficSourceRow } from "../../db/schema";
import { USER_AGENT } from "../../delivery/call";
import { platformValue } from "../../delivery/platforms/deliver";
import type { PlatformEvent } from "../../delivery/platforms/requests";
import { sendEvent } from "../../delivery/platforms/send";
import { openConversionApi } from "../../delivery/platforms/store";
import { getConfig } from "../../lib/config";
import type { Db } from "../../lib/db";
import { eventName } from "../../model/conversion-api";
import { getSettings } from "../../model/settings";
import type { AdClickIds } from "../../visits/ad-click-ids";

// Made-up click IDs: the platform shows the event under its test tools, attributed to no ad.
const TEST_CLICK_IDS: Record<string, AdClickIds> = {
  meta: { fbclid: "clicktrail-test-event" },
  tiktok: { ttclid: "clicktrail-test-event" },
  google: { gclid: "clicktrail-test-event" },
};

/**
 * "Send a test event" on the source's page: one event of 1.00 in the account currency with the
 * admin's own IP and browser, through the platform's test tools (Meta's and TikTok's test event
 * code; Google's validateOnly, which records nothing). Returns what to tell the admin.
 */
export async function sendTestEvent(
  env: Env,
  db: Db,
  source: TrafficSourceRow,
  from: { ip: string | null; userAgent: string | null },
): Promise<{ status: 200 | 400 | 502; text: string }> {
  const api = await openConversionApi(getConfig(env), source).catch(() => null);
  if (!api)
    return { status: 400, text: "No readable conversion API on this source: set one up (and its tokens) first." };
  if (api.type !== "google" && !api.testEventCode)
    return {
      status: 400,
      text: "Set a test event code first: without one the platform would count the test as a real conversion.",
    };
  const { currency } = await getSettings(db);
  const now = Date.now();
  const event: PlatformEvent = {
    conversionId: `test-${crypto.randomUUID()}`,
    conversionTime: now,
    eventName: eventName(api, null),
    value: platformValue(1_000_000, currency),
    currency,
    // Meta requires a user agent on website events: the tracker's own when the browser sent none.
    visit: {
      createdAt: now - 60_000,
      ip: from.ip,
      userAgent: from.userAgent ?? USER_AGENT,
      clickIds: TEST_CLICK_IDS[api.type]!,
    },
  };
  const { result } = await sendEvent(api, event, { validateOnly: true });
  if (result.outcome === "delivered")
    return {
      status: 200,
      text:
        api.type === "google"
          ? "Google Ads accepted the request (validateOnly: nothing recorded)."
          : `Sent: look for ${event.eventName} under Test events with code ${api.testEventCode}.`,
    };
  return { status: 502, text: `The platform refused the test event: ${result.error}` };
}
