import { timingSafeEqual } from "hono/utils/buffer";
import { ipAllowed } from "../lib/cidr";
import type { Settings } from "../model/settings";

/**
 * The postback's optional protection (docs/tracking.md): the source IP allow-list, then the shared secret.
 * Returns why the postback is refused, or null when it may pass. Both are off by default.
 */
export async function postbackRefusal(
  settings: Settings,
  ip: string | null,
  secret: string | undefined,
): Promise<string | null> {
  if (settings.postbackAllowedIps.length > 0 && !ipAllowed(ip, settings.postbackAllowedIps)) {
    return `source IP ${ip ?? "(unknown)"} is not on the postback allow-list`;
  }
  if (settings.postbackSecret !== null) {
    // Hono's timingSafeEqual hashes both sides first, so neither content nor length leaks.
    if (!secret || !(await timingSafeEqual(settings.postbackSecret, secret))) return "secret: missing or wrong";
  }
  return null;
}
