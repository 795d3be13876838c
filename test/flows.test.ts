import { describe, expect, it } from "vitest";
import { api, created, createOffer } from "./helpers";

const createLander = (body: Record<string, unknown> = {}) =>
  created(api("POST", "/landers", { name: "Lander", url: "https://lp.example/?cid={clickid}", ...body }));

async function fixtures() {
  const [a, b] = [await createOffer({ name: "A" }), await createOffer({ name: "B" })];
  const lander = await createLander({ offerCount: 2 });
  const flow = {
    rules: [
      {
        name: "Mobile US",
        conditions: [
          { field: "country", op: "in", values: ["us", "CA"] },
          { field: "device", op: "in", values: ["Mobile", "tablet"] },
        ],
        paths: [
          {
            name: "Quiz",
            weight: 100,
            landers: [{ landerId: lander.id, weight: 100 }],
            offers: [
              { offerId: a.id, weight: 50 },
              { offerId: b.id, weight: 50 },
            ],
          },
        ],
      },
    ],
    defaultPaths: [{ name: "Direct", weight: 100, offers: [{ offerId: a.id, weight: 100 }] }],
  };
  return { a, b, lander, flow };
}

const issuesOf = async (res: Response) => {
  expect(res.status).toBe(400);
  const body = await res.json<any>();
  expect(body.code).toBe("invalid_parameter");
  return body.issues.map((i: any) => i.path) as string[];
};

describe("campaign flows in the API", () => {
  it("stores a flow with ids assigned by the server, values normalized, and no offers", async () => {
    const { flow, lander, a } = await fixtures();
    const campaign = await created(api("POST", "/campaigns", { name: "Flow", flow }));
    const base = campaign.id * 10_000;
    expect(campaign.offers).toEqual([]);
    expect(campaign.flow).toEqual({
      rules: [
        {
          id: base + 1,
          name: "Mobile US",
          conditions: [
            { field: "country", op: "in", values: ["US", "CA"] },
            { field: "device", op: "in", values: ["mobile", "tablet"] },
          ],
          paths: [{ ...flow.rules[0]!.paths[0], id: base + 2 }],
        },
      ],
      defaultPaths: [
        { id: base + 3, name: "Direct", weight: 100, landers: [], offers: [{ offerId: a.id, weight: 100 }] },
      ],
    });
    expect(campaign.flow.rules[0].paths[0].landers).toEqual([{ landerId: lander.id, weight: 100 }]);
    expect(await (await api("GET", `/campaigns/${campaign.id}`)).json()).toEqual({
      ...campaign,
      effectiveWeights: expect.any(Object),
    });
  });

  it("keeps the ids sent back, numbers new items after every id ever given, and never reuses one", async () => {
    const { flow } = await fixtures();
    const campaign = await created(api("POST", "/campaigns", { name: "Edits", flow }));
    const base = campaign.id * 10_000;
    const [quiz] = campaign.flow.rules[0].paths;
    // Drop the default path (id base+3), keep the rule and its path, add a new default path.
    const next = {
      rules: campaign.flow.rules,
      defaultPaths: [{ name: "New direct", offers: [{ offerId: quiz.offers[1].offerId }] }],
    };
    const edited = await (await api("PATCH", `/campaigns/${campaign.id}`, { flow: next })).json<any>();
    expect(edited.flow.rules[0].id).toBe(base + 1);
    expect(edited.flow.rules[0].paths[0].id).toBe(base + 2);
    expect(edited.flow.defaultPaths[0]).toMatchObject({ id: base + 4, weight: 100 });
    // The dropped path's id cannot come back.
    const revived = { ...next, defaultPaths: [{ ...next.defaultPaths[0], id: base + 3 }] };
    expect(await issuesOf(await api("PATCH", `/campaigns/${campaign.id}`, { flow: revived }))).toEqual([
      "flow.defaultPaths[0].id",
    ]);
  });

  it("switches between offers and a flow", async () => {
    const { flow, a } = await fixtures();
    const campaign = await created(
      api("POST", "/campaigns", { name: "Switch", offers: [{ offerId: a.id, weight: 1 }] }),
    );
    expect(campaign.flow).toBeNull();
    const withFlow = await (await api("PATCH", `/campaigns/${campaign.id}`, { flow })).json<any>();
    expect(withFlow).toMatchObject({ offers: [], flow: { rules: [{ name: "Mobile US" }] } });
    const back = await (
      await api("PATCH", `/campaigns/${campaign.id}`, { offers: [{ offerId: a.id, weight: 5 }] })
    ).json<any>();
    expect(back).toMatchObject({ offers: [{ offerId: a.id, weight: 5 }], flow: null });
    // A name-only patch leaves the routing alone.
    await api("PATCH", `/campaigns/${campaign.id}`, { flow });
    const renamed = await (await api("PATCH", `/campaigns/${campaign.id}`, { name: "Renamed" })).json<any>();
    expect(renamed.flow.rules).toHaveLength(1);
  });

  it("needs offers or a flow, not both", async () => {
    const { flow, a } = await fixtures();
    expect(await issuesOf(await api("POST", "/campaigns", { name: "x" }))).toEqual(["offers"]);
    expect(
      await issuesOf(await api("POST", "/campaigns", { name: "x", flow, offers: [{ offerId: a.id, weight: 1 }] })),
    ).toEqual(["flow"]);
  });

  it("names the exact place of every invalid part of a flow", async () => {
    const { flow, lander, b } = await fixtures();
    const rule = flow.rules[0]!;
    const bad = (patch: (f: any) => void) => {
      const copy = structuredClone(flow) as any;
      patch(copy);
      return api("POST", "/campaigns", { name: "bad", flow: copy });
    };
    const cases: [(f: any) => void, string[]][] = [
      [(f) => (f.rules[0].conditions[1].field = "colour"), ["flow.rules[0].conditions[1].field"]],
      [(f) => (f.rules[0].conditions[0].op = "like"), ["flow.rules[0].conditions[0].op"]],
      [(f) => (f.rules[0].conditions[0].values = ["USA", "CA"]), ["flow.rules[0].conditions[0].values[0]"]],
      [(f) => (f.rules[0].conditions[1].values = ["mobile", "phone"]), ["flow.rules[0].conditions[1].values[1]"]],
      [
        (f) => (f.rules[0].conditions[0] = { field: "ip", op: "in", values: ["10.0.0.0/33"] }),
        ["flow.rules[0].conditions[0].values[0]"],
      ],
      [
        (f) => (f.rules[0].conditions[0] = { field: "weekday", op: "in", values: [0, 7] }),
        ["flow.rules[0].conditions[0].values[1]"],
      ],
      [
        (f) => (f.rules[0].conditions[0] = { field: "hour", op: "notIn", values: ["24"] }),
        ["flow.rules[0].conditions[0].values[0]"],
      ],
      [
        (f) => (f.rules[0].conditions[0] = { field: "bot", op: "in", values: ["maybe"] }),
        ["flow.rules[0].conditions[0].values[0]"],
      ],
      [
        (f) => (f.rules[0].conditions[0] = { field: "bot", op: "in", values: ["true", "false"] }),
        ["flow.rules[0].conditions[0].values"],
      ],
      [(f) => (f.rules[0].conditions[0].values = []), ["flow.rules[0].conditions[0].values"]],
      [(f) => (f.rules[0].conditions = []), ["flow.rules[0].conditions"]],
      [(f) => (f.rules[0].paths[0].weight = 10_001), ["flow.rules[0].paths[0].weight"]],
      [(f) => (f.rules[0].paths[0].offers = []), ["flow.rules[0].paths[0].offers"]],
      [(f) => (f.rules[0].paths[0].offers[1].offerId = 987_654), ["flow.rules[0].paths[0].offers[1].offerId"]],
      [(f) => (f.rules[0].paths[0].landers[0].landerId = 987_654), ["flow.rules[0].paths[0].landers[0].landerId"]],
      [(f) => f.rules[0].paths[0].offers.pop(), ["flow.rules[0].paths[0].landers[0].landerId"]], // 2 CTAs, 1 offer
      [
        (f) => f.defaultPaths[0].offers.push({ offerId: f.defaultPaths[0].offers[0].offerId }),
        ["flow.defaultPaths[0].offers[1].offerId"],
      ],
      [(f) => (f.defaultPaths = []), ["flow.defaultPaths"]],
      [(f) => (f.rules[0].paths[0].id = 12345), ["flow.rules[0].paths[0].id"]],
    ];
    for (const [patch, paths] of cases) expect(await issuesOf(await bad(patch)), JSON.stringify(paths)).toEqual(paths);
    expect(rule.name).toBe("Mobile US"); // the fixture itself was not changed

    await api("DELETE", `/offers/${b.id}`);
    await api("DELETE", `/landers/${lander.id}`);
    expect(await issuesOf(await api("POST", "/campaigns", { name: "archived", flow }))).toEqual([
      "flow.rules[0].paths[0].offers[1].offerId",
      "flow.rules[0].paths[0].landers[0].landerId",
    ]);
    const { campaigns } = await (await api("GET", "/campaigns?archived=1")).json<any>();
    expect(campaigns.filter((c: any) => c.name === "bad" || c.name === "archived")).toEqual([]);
  });
});
