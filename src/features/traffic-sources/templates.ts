import type { z } from "zod";
import type { trafficSourceBody } from "./schema";

/**
 * A traffic source filled in from a network's public documentation: `source` is a POST
 * /api/traffic-sources body. What belongs to one account (keys, goal IDs, user names) is left as
 * an UPPER_CASE placeholder listed in `replace`, for the admin to swap for their own value.
 */
export interface TrafficSourceTemplate {
  id: string;
  name: string;
  source: z.input<typeof trafficSourceBody>;
  /** Placeholders in `source` the admin must replace before conversions can reach the network. */
  replace: string[];
  note: string;
  /** Where the macros and the postback URL were read. */
  docs: string[];
}

export const TRAFFIC_SOURCE_TEMPLATES: TrafficSourceTemplate[] = [
  // trafficstars.com/faq/articles/how-to-set-up-tracking-conversions (postback URL, key);
  // support.trafficstars.com/advertising/tracking/what-are-the-available-dynamic-parameters (macros).
  {
    id: "trafficstars",
    name: "TrafficStars",
    source: {
      name: "TrafficStars",
      externalId: { param: "clickid", placeholder: "{click_id}" },
      cost: { param: "cost", placeholder: "{cost}" },
      variables: [
        { slot: 1, param: "site", placeholder: "{site_id}", alias: "Site" },
        { slot: 2, param: "campaign", placeholder: "{campaign_id}", alias: "Source campaign" },
        { slot: 3, param: "creative", placeholder: "{creative_id}", alias: "Creative" },
        { slot: 4, param: "adspot", placeholder: "{adspot_id}", alias: "Ad spot" },
      ],
      postbackUrl:
        "https://tsyndicate.com/api/v1/cpa/action?clickid={externalid}&value={payout}&key=YOUR_TRAFFICSTARS_KEY",
      postbackFor: "conversions",
    },
    replace: ["YOUR_TRAFFICSTARS_KEY"],
    note: "The key is on TrafficStars' Tracking Tools page (S2S postback). {cost} is filled for DCPM campaigns only.",
    docs: [
      "https://trafficstars.com/faq/articles/how-to-set-up-tracking-conversions",
      "https://support.trafficstars.com/advertising/tracking/what-are-the-available-dynamic-parameters",
    ],
  },
  // docs.exoclick.com/docs/conversion-tracking-api/: GET tag.php?goal=<Goal ID>&tag=<{conversions_tracking}>.
  // Its examples name no real host, so the host is the admin's to paste.
  {
    id: "exoclick",
    name: "ExoClick",
    source: {
      name: "ExoClick",
      externalId: { param: "exoclick_id", placeholder: "{conversions_tracking}" },
      postbackUrl: "https://YOUR-EXOCLICK-POSTBACK-HOST.invalid/tag.php?goal=YOUR_GOAL_ID&tag={externalid}",
      postbackFor: "conversions",
    },
    replace: ["YOUR-EXOCLICK-POSTBACK-HOST.invalid", "YOUR_GOAL_ID"],
    note: "Copy the host and the 32-character Goal ID from Campaigns → Conversion Tracking. ExoClick refuses the same tag again within 24 hours.",
    docs: ["https://docs.exoclick.com/docs/conversion-tracking-api/"],
  },
  // help.mgid.com/postback-setting-algorithm-in-mgid-dashboard (c, e, r; e = event name, e.g.
  // status + campaign ID); help.mgid.com/macros.-setting-up-non-standard-markup-for-links-to-track-traffic.
  {
    id: "mgid",
    name: "MGID",
    source: {
      name: "MGID",
      externalId: { param: "clickid", placeholder: "{click_id}" },
      cost: { param: "cost", placeholder: "{click_price}" },
      variables: [
        { slot: 1, param: "widget", placeholder: "{widget_id}", alias: "Widget" },
        { slot: 2, param: "teaser", placeholder: "{teaser_id}", alias: "Teaser" },
        { slot: 3, param: "campaign", placeholder: "{campaign_id}", alias: "Source campaign" },
      ],
      postbackUrl: "https://a.mgid.com/postback?c={externalid}&e={status}YOUR_MGID_CAMPAIGN_ID&r={payout}",
      postbackFor: "all",
      // Its event name carries the status, so each status is its own conversion step at MGID.
      postbackStatuses: ["approved", "pending", "rejected"],
    },
    replace: ["YOUR_MGID_CAMPAIGN_ID"],
    note: "MGID counts an event whose name matches a conversion step of the campaign: name the steps approved…, pending…, rejected… followed by the campaign ID, or put the event name in place of e=.",
    docs: [
      "https://help.mgid.com/postback-setting-algorithm-in-mgid-dashboard/",
      "https://help.mgid.com/macros.-setting-up-non-standard-markup-for-links-to-track-traffic",
    ],
  },
  // help-advertisers.adsterra.com/en/articles/4575914-how-do-i-setup-postback (subid_short, atpay in USD).
  // The click-ID macro for the campaign link is shown in the Adsterra dashboard, not in that article.
  {
    id: "adsterra",
    name: "Adsterra",
    source: {
      name: "Adsterra",
      externalId: { param: "subid", placeholder: "YOUR_ADSTERRA_CLICK_ID_MACRO" },
      postbackUrl: "https://www.pbterra.com/name/YOUR_ADSTERRA_USERNAME/at?subid_short={externalid}&atpay={payout}",
      postbackFor: "conversions",
    },
    replace: ["YOUR_ADSTERRA_CLICK_ID_MACRO", "YOUR_ADSTERRA_USERNAME"],
    note: "atpay is read as USD. The user name and the click-ID macro are on Adsterra's Tracking → Conversion tracking page.",
    docs: ["http://help-advertisers.adsterra.com/en/articles/4575914-how-do-i-setup-postback"],
  },
  // support.clickadu.com/hc/en-us/articles/360001757198 (${SUBID}, {zoneid}, {campaignid}, {cost};
  // the postback URL is copied from the Tracking tab, with visitor_id=${SUBID} → {externalid}).
  {
    id: "clickadu",
    name: "Clickadu",
    source: {
      name: "Clickadu",
      externalId: { param: "subid", placeholder: `\${SUBID}` },
      cost: { param: "cost", placeholder: "{cost}" },
      variables: [
        { slot: 1, param: "zone", placeholder: "{zoneid}", alias: "Zone" },
        { slot: 2, param: "campaign", placeholder: "{campaignid}", alias: "Source campaign" },
      ],
      postbackUrl: null,
      postbackFor: "conversions",
    },
    replace: [],
    note: `Paste the postback URL from Clickadu's Tracking tab and change visitor_id=\${SUBID} to visitor_id={externalid}.`,
    docs: [
      "https://support.clickadu.com/hc/en-us/articles/360001757198-How-to-integrate-Clickadu-S2S-conversion-tracking-",
    ],
  },
];

export function findTemplate(id: string | undefined): TrafficSourceTemplate | undefined {
  return TRAFFIC_SOURCE_TEMPLATES.find((t) => t.id === id);
}
