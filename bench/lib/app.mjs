// What the bench asks of the running app: admin API calls, click minting, bench counters.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fire } from "./load.mjs";
import { root } from "./servers.mjs";

export function adminToken() {
  const token = /^ADMIN_TOKEN=(.+)$/m.exec(readFileSync(join(root, ".dev.vars"), "utf8"))?.[1];
  if (!token) throw new Error(".dev.vars has no ADMIN_TOKEN");
  return token.trim();
}

export function client(baseUrl, token) {
  const auth = { authorization: `Bearer ${token}` };
  async function call(method, path, body, headers = {}) {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { ...auth, ...headers, ...(typeof body === "object" && { "content-type": "application/json" }) },
      body: typeof body === "object" ? JSON.stringify(body) : body,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  }
  return {
    call,
    stats: () => call("GET", "/__bench/stats"),
    reset: () => call("POST", "/__bench/reset"),
    async campaign(costPerClick) {
      const offer = await call("POST", "/api/offers", {
        name: "Bench offer",
        url: "https://offer.example/lp?cid={clickid}&s={var1}",
        payout: { mode: "auto" },
      });
      return call("POST", "/api/campaigns", {
        name: "Bench campaign",
        offers: [{ offerId: offer.id, weight: 1 }],
        costPerClick,
      });
    },
    /**
     * A campaign whose flow has 3 rules; the bench's clicks (var1=bench, from 127.0.0.1) fail the
     * first two and take the third, a path to a 2-offer lander: every rule is evaluated.
     */
    async flowCampaign(costPerClick) {
      const offer = (name) =>
        call("POST", "/api/offers", {
          name,
          url: `https://offer.example/${name}?cid={clickid}`,
          payout: { mode: "auto" },
        });
      const [one, two] = [await offer("one"), await offer("two")];
      const lander = await call("POST", "/api/landers", {
        name: "Bench lander",
        url: "https://lander.example/lp?cid={clickid}&s={var1}",
        offerCount: 2,
      });
      const path = (name, landers) => ({
        name,
        landers,
        offers: [{ offerId: one.id }, { offerId: two.id }],
      });
      return call("POST", "/api/campaigns", {
        name: "Bench flow",
        costPerClick,
        flow: {
          rules: [
            { name: "Far away", conditions: [{ field: "country", op: "in", values: ["ZZ"] }], paths: [path("A", [])] },
            {
              name: "Office",
              conditions: [{ field: "ip", op: "in", values: ["203.0.113.0/24"] }],
              paths: [path("B", [])],
            },
            {
              name: "Bench zone",
              conditions: [
                { field: "var1", op: "in", values: ["bench"] },
                { field: "device", op: "notIn", values: ["tv", "console"] },
              ],
              paths: [path("Lander", [{ landerId: lander.id }])],
            },
          ],
          defaultPaths: [path("Default", [{ landerId: lander.id }])],
        },
      });
    },
    /** Polls until the written visits reach `expected` or stop changing; returns the last stats. */
    async settle(field, expected, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let last = await call("GET", "/__bench/stats");
      while (last.rows[field] < expected && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        last = await call("GET", "/__bench/stats");
      }
      return last;
    },
  };
}

/** Real clicks on the campaign; returns the click IDs read from each redirect's Location. */
export async function mintClicks(baseUrl, campaignId, amount, connections) {
  const ids = [];
  const run = await fire({
    url: baseUrl,
    amount,
    connections,
    requests: [
      {
        method: "GET",
        path: `/c/${campaignId}?var1=mint`,
        onResponse: (status, _body, _ctx, headers) => {
          const location = Object.entries(headers).find(([name]) => String(name).toLowerCase() === "location")?.[1];
          const cid = /[?&]cid=([A-Za-z0-9_-]{32})/.exec(String(location ?? ""))?.[1];
          if (status === 302 && cid) ids.push(cid);
        },
      },
    ],
  });
  return { ids, run };
}
