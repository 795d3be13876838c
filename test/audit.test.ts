import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it, vi } from "vitest";
import { pruneAudit } from "../src/features/audit/queries";
import worker from "../src/index";
import { getDb } from "../src/lib/db";
import { adminSession, api, created, createOffer, setupCampaign } from "./helpers";
import { keyOf, userOf } from "./teams-helpers";

// Everything the worker logs while this file runs, to look for secrets in it at the end.
const logged: string[] = [];
for (const level of ["log", "info", "warn", "error", "debug"] as const)
  vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
    logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(" "));
  });

type Entry = {
  id: number;
  at: string;
  actor: { kind: string; id: number | null; label: string };
  via: string;
  entity: string;
  entityId: string | null;
  action: string;
  changes: Record<string, { from: unknown; to: unknown }>;
};
const audit = async (query = "") =>
  (await (await api("GET", `/audit${query}`)).json()) as { entries: Entry[]; nextCursor: string | null };
const secrets: string[] = [];

describe("the audit log", () => {
  it("shows who created an offer, changed its URL from what to what, and archived it", async () => {
    const key = await keyOf("editor", "Buyer's script");
    const editor = await userOf("editor");
    const res = await key.call("POST", "/offers", { name: "Shoes", url: "https://old.test/lp?c={clickid}" });
    const { id } = (await res.json()) as { id: number };
    const edited = await editor.post(`/admin/offers/${id}`, {
      name: "Shoes",
      url: "https://new.test/lp?c={clickid}",
      payoutMode: "auto",
    });
    expect(edited.status).toBe(303);
    expect((await key.call("DELETE", `/offers/${id}`)).status).toBe(200);

    const { entries } = await audit(`?entity=offer`);
    const mine = entries.filter((e) => e.entityId === String(id)).reverse();
    expect(mine.map((e) => e.action)).toEqual(["create", "update", "archive"]);
    const [create, update, archive] = mine as [Entry, Entry, Entry];
    expect(create).toMatchObject({ actor: { kind: "key", id: key.id, label: "Buyer's script" }, via: "api" });
    expect(create.changes.url).toEqual({ from: null, to: "https://old.test/lp?c={clickid}" });
    expect(update).toMatchObject({ actor: { kind: "user", id: editor.id, label: editor.email }, via: "page" });
    expect(update.changes).toEqual({
      url: { from: "https://old.test/lp?c={clickid}", to: "https://new.test/lp?c={clickid}" },
    });
    expect(archive.changes).toEqual({ archived: { from: false, to: true } });
    // The page's Restore button is audited the same way.
    expect((await editor.post(`/admin/offers/${id}/restore`, {})).status).toBe(303);
    const [restore] = (await audit(`?entity=offer&entityId=${id}`)).entries;
    expect(restore).toMatchObject({ action: "restore", via: "page", changes: { archived: { from: true, to: false } } });
    expect(Date.parse(archive.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("records creates through the forms, with the new id, and nothing for a refused or unchanged save", async () => {
    const owner = await adminSession();
    const before = (await audit()).entries.length;
    expect((await owner.post("/admin/conversion-types", { name: "Lead" })).status).toBe(303);
    const { entries } = await audit();
    expect(entries.length).toBe(before + 1);
    expect(entries[0]).toMatchObject({
      actor: { kind: "owner" },
      via: "page",
      entity: "conversion-type",
      action: "create",
    });
    expect(entries[0]!.changes.name).toEqual({ from: null, to: "Lead" });
    const typeId = entries[0]!.entityId;
    expect((await owner.post("/admin/conversion-types", { name: "" })).status).toBe(400);
    expect((await api("PATCH", `/conversion-types/${typeId}`, { name: "Lead" })).status).toBe(200);
    expect((await audit()).entries.length).toBe(before + 1);
  });

  it("records a campaign's rotation change and a cost update's delete with what it held", async () => {
    const { offer, campaign } = await setupCampaign();
    const second = await createOffer({ name: "Second" });
    const offers = [{ offerId: second.id, weight: 3 }];
    expect((await api("PATCH", `/campaigns/${campaign.id}`, { offers })).status).toBe(200);
    const [change] = (await audit(`?entity=campaign&entityId=${campaign.id}`)).entries;
    expect(change).toMatchObject({ action: "update", actor: { kind: "owner" } });
    expect(change!.changes.offers).toEqual({ from: [{ offerId: offer.id, weight: 1 }], to: offers });
    const day = new Date().toISOString().slice(0, 10);
    const update = await created(
      api("POST", "/cost-updates", { campaignId: campaign.id, from: day, to: day, amount: 12.5 }),
    );
    expect((await api("DELETE", `/cost-updates/${update.id}`)).status).toBe(200);
    const [gone, made] = (await audit(`?entity=cost-update&entityId=${update.id}`)).entries;
    expect([made!.action, gone!.action]).toEqual(["create", "delete"]);
    expect(gone!.changes.campaignId).toEqual({ from: campaign.id, to: null });
  });

  it("pages with limit and cursor, newest first, filtered by person and entity", async () => {
    const all: Entry[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page = await audit(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.entries.length).toBeLessThanOrEqual(2);
      all.push(...page.entries);
      cursor = page.nextCursor;
    }
    expect(all.map((e) => e.id)).toEqual((await audit("?limit=500")).entries.map((e) => e.id));
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
    const byUser = all.find((e) => e.actor.kind === "user")!;
    const filtered = await audit(`?actor=user:${byUser.actor.id}&entity=offer`);
    expect(filtered.entries.length).toBeGreaterThan(0);
    expect(filtered.entries.every((e) => e.actor.id === byUser.actor.id && e.entity === "offer")).toBe(true);
    expect((await api("GET", "/audit?actor=someone&limit=0")).status).toBe(400);
  });

  it("the admin page lists the changes and filters by person and entity", async () => {
    const owner = await adminSession();
    const { entries } = await audit("?entity=offer");
    const userId = entries.find((e) => e.actor.kind === "user")!.actor.id;
    const html = await (await owner.get(`/admin/audit?actor=user:${userId}&entity=offer`)).text();
    expect(html).toContain("https://old.test/lp?c={clickid} → https://new.test/lp?c={clickid}");
    expect(html).not.toContain("conversion-type</td>");
    const everything = await (await owner.get("/admin/audit?actor=&entity=")).text();
    expect(everything).toContain("conversion-type</td>");
  });

  it("never shows a secret: settings, passwords and keys appear as [redacted] or not at all", async () => {
    secrets.push("pb-secret-value-42", "first password 11", "second password 22");
    expect((await api("PATCH", "/settings", { postbackSecret: secrets[0] })).status).toBe(200);
    const user = await created<{ id: number }>(
      api("POST", "/users", { email: "s@team.test", role: "viewer", password: secrets[1] }),
    );
    expect((await api("PATCH", `/users/${user.id}`, { password: secrets[2] })).status).toBe(200);
    const key = await keyOf("viewer", "Secret test");
    secrets.push(key.key);
    const row = await env.DB.prepare("SELECT password_hash, password_salt FROM users WHERE id = ?")
      .bind(user.id)
      .first<Record<string, string>>();
    secrets.push(row!.password_hash, row!.password_salt);
    const keyHash = (await env.DB.prepare("SELECT key_hash FROM api_keys WHERE id = ?")
      .bind(key.id)
      .first<{ key_hash: string }>())!.key_hash;
    secrets.push(keyHash);

    const { entries } = await audit();
    const settings = entries.find((e) => e.entity === "settings")!;
    expect(settings.changes.postbackSecret).toEqual({ from: null, to: "[redacted]" });
    const passwordChange = entries.find((e) => e.entity === "user" && e.action === "update")!;
    expect(passwordChange.changes.passwordHash).toEqual({ from: "[redacted]", to: "[redacted]" });
    expect(entries.find((e) => e.entity === "api-key" && e.action === "create")!.changes.keyHash).toEqual({
      from: null,
      to: "[redacted]",
    });

    const owner = await adminSession();
    const answers = await Promise.all([
      ...["/audit?limit=500", "/users", `/users/${user.id}`, "/keys", `/keys/${key.id}`].map((p) => api("GET", p)),
      ...["/admin/audit", "/admin/users", `/admin/users/${user.id}`, "/admin/keys"].map((p) => owner.get(p)),
    ]);
    for (const res of answers) {
      const text = await res.text();
      expect(res.status).toBe(200);
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it("a failed audit write is logged, without the secret, and does not fail the change", async () => {
    secrets.push("another-secret-77");
    await env.DB.exec("ALTER TABLE audit_log RENAME TO audit_log_away");
    try {
      expect((await api("PATCH", "/settings", { postbackSecret: "another-secret-77" })).status).toBe(200);
    } finally {
      await env.DB.exec("ALTER TABLE audit_log_away RENAME TO audit_log");
    }
    // The capture sees the worker's log lines (checked for secrets after the last test).
    expect(logged.filter((l) => l.includes("audit entry not written"))).toHaveLength(1);
  });

  it("keeps 400 days: the cron deletes older entries in chunks, newer ones stay", async () => {
    const day = 86_400_000;
    const now = Date.now();
    const insert = (at: number, n: number) =>
      env.DB.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO audit_log (at, actor_kind, actor_label, via, entity, action, changes)
         SELECT ?, 'owner', 'owner', 'api', 'offer', 'update', '{}' FROM n`,
      )
        .bind(n, at)
        .run();
    await insert(now - 401 * day, 2500);
    await insert(now - 399 * day, 3);
    const count = async () =>
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE at < ?")
        .bind(now - 300 * day)
        .first<{ n: number }>())!.n;
    expect(await pruneAudit(getDb(env.DB), now)).toBe(2500);
    expect(await count()).toBe(3);
    await insert(now - 500 * day, 1);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "*/5 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await count()).toBe(3);
  });
});

afterAll(() => {
  // No secret in any log line the worker wrote while this file ran.
  for (const secret of secrets) expect(logged.filter((line) => line.includes(secret))).toEqual([]);
});
