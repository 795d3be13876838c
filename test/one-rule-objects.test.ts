import { beforeAll, describe, expect, it } from "vitest";
import { adminSession, api, createOffer, pageErrors } from "./helpers";

// One rule, two doors, for offers, campaigns and conversion types: the API and the admin form
// refuse the same input with the same message (the form's line is the field's label, then the
// API's issue message) and the same status, and neither stores anything.
let admin: Awaited<ReturnType<typeof adminSession>>;
beforeAll(async () => {
  admin = await adminSession();
});

type Issue = { path: string; message: string };
const names = async (path: string, key: string) =>
  ((await (await api("GET", `${path}?archived=1`)).json<Record<string, { name: string }[]>>())[key] ?? []).map(
    (o) => o.name,
  );

async function refusedByBoth(
  door: { api: [string, string, unknown]; form: [string, Record<string, string>] },
  labels: Record<string, string>,
  status = 400,
): Promise<Issue[]> {
  const res = await api(...door.api);
  const body = await res.json<{ issues: Issue[] }>();
  expect(res.status, JSON.stringify(door.api)).toBe(status);
  const page = await admin.post(...door.form);
  expect(page.status, JSON.stringify(door.form)).toBe(status);
  const label = (path: string) => labels[path] ?? labels[path.split(/[.[]/)[0]!];
  expect(pageErrors(await page.text())).toEqual(body.issues.map((i) => `${label(i.path)}: ${i.message}`));
  return body.issues;
}

const OFFER_LABELS = { name: "Name", url: "URL", payout: "Payout", "payout.amount": "Amount" };
const CAMPAIGN_LABELS = {
  name: "Name",
  "costModel.amount": "Cost amount",
  "costModel.percent": "Revenue share (%)",
  offers: "Offers",
};

describe("offers", () => {
  it("names, URLs and manual amounts: the same refusals through the API and the form", async () => {
    const url = "https://shop.example/?c={clickid}";
    const cases: [Record<string, unknown>, Record<string, string>][] = [
      [
        { name: " ", url },
        { name: " ", url, payoutMode: "auto" },
      ],
      [
        { name: "x".repeat(201), url },
        { name: "x".repeat(201), url, payoutMode: "auto" },
      ],
      [
        { name: "A", url: "javascript:alert(1)" },
        { name: "A", url: "javascript:alert(1)", payoutMode: "auto" },
      ],
      [
        { name: "A", url, payout: { mode: "manual", amount: "1e3" } },
        { name: "A", url, payoutMode: "manual", amount: "1e3" },
      ],
      [
        { name: "A", url, payout: { mode: "manual", amount: "0.0000001" } },
        { name: "A", url, payoutMode: "manual", amount: "0.0000001" },
      ],
    ];
    for (const [body, form] of cases) {
      await refusedByBoth({ api: ["POST", "/offers", body], form: ["/admin/offers", form] }, OFFER_LABELS);
    }
    expect(await names("/offers", "offers")).toEqual([]);
  });

  it("PATCH changes only the fields it names (a rename keeps a manual payout)", async () => {
    const offer = await createOffer({ payout: { mode: "manual", amount: 2.5 } });
    const res = await api("PATCH", `/offers/${offer.id}`, { name: "Renamed" });
    expect(await res.json()).toMatchObject({ name: "Renamed", payout: { mode: "manual", amount: 2.5 } });
  });
});

describe("campaigns", () => {
  it("weights, offer counts and costs: the same refusals through the API and the form", async () => {
    const offer = await createOffer();
    const many = Array.from({ length: 51 }, (_, i) => i + 1);
    const cases: [Record<string, unknown>, Record<string, string>][] = [
      [{ offers: [] }, {}],
      [{ offers: [{ offerId: offer.id, weight: 0 }] }, { [`weight_${offer.id}`]: "0" }],
      [{ offers: [{ offerId: offer.id, weight: 10_001 }] }, { [`weight_${offer.id}`]: "10001" }],
      [{ offers: [{ offerId: offer.id, weight: 1.5 }] }, { [`weight_${offer.id}`]: "1.5" }],
      [{ offers: [{ offerId: offer.id, weight: -1 }] }, { [`weight_${offer.id}`]: "-1" }],
      [
        { offers: many.map((offerId) => ({ offerId, weight: 1 })) },
        Object.fromEntries(many.map((id) => [`weight_${id}`, "1"])),
      ],
      [
        { offers: [{ offerId: offer.id, weight: 1 }], costModel: { type: "cpc", amount: -0.01 } },
        { [`weight_${offer.id}`]: "1", costType: "cpc", costValue: "-0.01" },
      ],
      [
        { offers: [{ offerId: offer.id, weight: 1 }], costModel: { type: "cpm", amount: "0.0000001" } },
        { [`weight_${offer.id}`]: "1", costType: "cpm", costValue: "0.0000001" },
      ],
      [
        { offers: [{ offerId: offer.id, weight: 1 }], costModel: { type: "cpm", amount: "1.0001" } },
        { [`weight_${offer.id}`]: "1", costType: "cpm", costValue: "1.0001" },
      ],
      [
        { offers: [{ offerId: offer.id, weight: 1 }], costModel: { type: "revshare", percent: "40.00001" } },
        { [`weight_${offer.id}`]: "1", costType: "revshare", costValue: "40.00001" },
      ],
    ];
    for (const [body, form] of cases) {
      await refusedByBoth(
        { api: ["POST", "/campaigns", { name: "C", ...body }], form: ["/admin/campaigns", { name: "C", ...form }] },
        CAMPAIGN_LABELS,
      );
    }
    expect(await names("/campaigns", "campaigns")).toEqual([]);
  });

  it("offers that do not exist or are archived: the same refusal, each named, through both doors", async () => {
    const live = await createOffer({ name: "Live" });
    const gone = await createOffer({ name: "Gone" });
    await api("DELETE", `/offers/${gone.id}`);
    const offers = [live.id, gone.id, 999_999].map((offerId) => ({ offerId, weight: 1 }));
    const form = Object.fromEntries(offers.map((o) => [`weight_${o.offerId}`, "1"]));
    const issues = await refusedByBoth(
      { api: ["POST", "/campaigns", { name: "C", offers }], form: ["/admin/campaigns", { name: "C", ...form }] },
      CAMPAIGN_LABELS,
    );
    expect(issues).toEqual([
      { path: "offers[1].offerId", message: `offer ${gone.id} does not exist or is archived` },
      { path: "offers[2].offerId", message: "offer 999999 does not exist or is archived" },
    ]);
    // The edit page runs the same check.
    const ok = await (await api("POST", "/campaigns", { name: "C", offers: [offers[0]] })).json<{ id: number }>();
    const edit = await admin.post(`/admin/campaigns/${ok.id}`, { name: "C", ...form });
    expect(edit.status).toBe(400);
    expect(pageErrors(await edit.text())).toEqual(issues.map((i) => `Offers: ${i.message}`));
  });
});

describe("conversion types", () => {
  it("names: the same refusals through the API and the form", async () => {
    for (const name of ["bad name!", "", "x".repeat(65), "tab\there"]) {
      const issues = await refusedByBoth(
        { api: ["POST", "/conversion-types", { name }], form: ["/admin/conversion-types", { name }] },
        { name: "Name" },
      );
      expect(issues, name).toEqual([{ path: "name", message: "must be 1-64 characters of A-Z, a-z, 0-9, _ or -" }]);
    }
  });

  it("a taken name is a 409 naming the field through both doors, on create and on rename", async () => {
    await api("POST", "/conversion-types", { name: "lead" });
    const other = await (await api("POST", "/conversion-types", { name: "sale" })).json<{ id: number }>();
    const expected = [{ path: "name", message: 'a conversion type named "lead" already exists' }];
    expect(
      await refusedByBoth(
        { api: ["POST", "/conversion-types", { name: "lead" }], form: ["/admin/conversion-types", { name: "lead" }] },
        { name: "Name" },
        409,
      ),
    ).toEqual(expected);
    expect(
      await refusedByBoth(
        {
          api: ["PATCH", `/conversion-types/${other.id}`, { name: "lead" }],
          form: [`/admin/conversion-types/${other.id}`, { name: "lead" }],
        },
        { name: "Name" },
        409,
      ),
    ).toEqual(expected);
  });

  it("two forms renaming to one name at once: one is saved, the other gets the 409 page, not a 500", async () => {
    const ids: number[] = [];
    for (const name of ["one", "two", "three", "four"])
      ids.push((await (await api("POST", "/conversion-types", { name })).json<{ id: number }>()).id);
    const answers = await Promise.all(
      ids.map((id) => admin.post(`/admin/conversion-types/${id}`, { name: "same", includeInConversions: "on" })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([303, 409, 409, 409]);
    for (const r of answers.filter((r) => r.status === 409))
      expect(pageErrors(await r.text())).toEqual(['Name: a conversion type named "same" already exists']);
    expect((await names("/conversion-types", "conversionTypes")).filter((n) => n === "same")).toHaveLength(1);
  });

  it("PATCH changes only the fields it names (a rename keeps includeInConversions false)", async () => {
    const type = await (await api("POST", "/conversion-types", { name: "refund", includeInConversions: false })).json<{
      id: number;
    }>();
    const res = await api("PATCH", `/conversion-types/${type.id}`, { name: "refund2" });
    expect(await res.json()).toMatchObject({ name: "refund2", includeInConversions: false });
  });
});
