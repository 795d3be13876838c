import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SOURCE_POSTBACK_QUEUE } from "../../src/delivery/consumer";
import worker from "../../src/index";
import { api, createTrafficSource } from "../helpers";
import { deliveryRow, storedDelivery } from "../source-postback-helpers";

// Source postbacks go to the network's public host, never to the tracker's own machine or network.

const PRIVATE = [
  "http://169.254.169.254/latest/meta-data?c={externalid}",
  "http://127.0.0.2/pb",
  "http://0x7f000002/pb",
  "http://10.0.0.1/pb",
  "http://192.168.1.20:8080/pb",
  "http://100.64.0.1/pb",
  "http://[::1]/pb",
  "http://[::ffff:127.0.0.1]/pb",
  "http://[fe80::1]/pb",
  "http://[fd00::1]/pb",
  "http://0.0.0.0/pb",
  "http://localhost/pb",
  "http://printer.local/pb",
  "http://metadata/pb",
];

describe("where source postbacks may go", () => {
  it("refuses private, loopback and link-local postback URLs when a traffic source is saved", async () => {
    for (const postbackUrl of PRIVATE) {
      const res = await api("POST", "/traffic-sources", { name: "N", postbackUrl });
      const body = (await res.json()) as { error: string; issues: { path: string }[] };
      expect(res.status, postbackUrl).toBe(400);
      expect(body.issues.map((i) => i.path)).toEqual(["postbackUrl"]);
    }
    const ok = await createTrafficSource({ postbackUrl: "https://network.example/pb?c={externalid}" });
    const patched = await api("PATCH", `/traffic-sources/${ok.id}`, { postbackUrl: "http://169.254.169.254/x" });
    expect(patched.status).toBe(400);
  });

  it("does not call a stored URL that points at a private address (saved before the rule)", async () => {
    const d = await storedDelivery("https://network.example/pb?c={clickid}");
    await env.DB.prepare("UPDATE source_postbacks SET template = ? WHERE id = ?")
      .bind("http://169.254.169.254/pb?c={clickid}", d.id)
      .run();
    const batch = createMessageBatch(SOURCE_POSTBACK_QUEUE, [
      { id: "m0", timestamp: new Date(), attempts: 1, body: { id: d.id } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    await getQueueResult(batch, ctx);
    expect(await deliveryRow(d.id)).toMatchObject({
      state: "failed",
      lastHttpStatus: null,
      lastError: expect.stringMatching(/^not called: the URL's host must not point at a linkLocal address/),
    });
  });
});
