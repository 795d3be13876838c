import { describe, expect, it } from "vitest";
import { api, call } from "./helpers";

const bad: [string, string][] = [
  ["/report?from=2026-02-30&to=2026-03-01", "from"],
  ["/report?from=2026-03-01&to=03/05/2026", "to"],
  ["/report?from=2026-03-05&to=2026-03-01", "to"],
  ["/report?from=2099-01-01", "from"],
  ["/report?from=2025-01-01&to=2026-01-02", "to"], // 367 days; 366 is the most
  ["/report?tz=Mars/Olympus", "tz"],
  ["/report?tz=%2B02:00", "tz"],
  ["/report?groupBy=week", "groupBy"],
  ["/report?campaignId=abc", "campaignId"],
  ["/conversions?limit=0", "limit"],
  ["/conversions?limit=1001", "limit"],
  ["/conversions?limit=ten", "limit"],
  ["/conversions?cursor=not-a-cursor", "cursor"],
  ["/conversions?format=xml", "format"],
  ["/conversions?from=2026-1-1", "from"],
];

describe("report and list parameters", () => {
  it.each(bad)("%s is a 400 naming %s", async (path, field) => {
    const res = await api("GET", path);
    const body: any = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(body.error).toContain(field);
    expect(body.issues.map((i: any) => i.path)).toContain(field);
  });

  it("accepts the longest range, 366 days", async () => {
    const res = await api("GET", "/report?from=2024-01-01&to=2024-12-31&groupBy=day");
    expect(res.status).toBe(200);
    expect((await res.json<any>()).rows).toHaveLength(366);
  });

  it("needs the admin token", async () => {
    expect((await call("/api/report")).status).toBe(401);
    expect((await call("/api/conversions?format=csv")).status).toBe(401);
  });
});
