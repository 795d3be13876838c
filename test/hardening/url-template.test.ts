import { describe, expect, it } from "vitest";
import { api, click, createOffer, setupCampaign } from "../helpers";

async function refusedUrl(url: string) {
  const res = await api("POST", "/offers", { name: "O", url, payout: { mode: "auto" } });
  const body = (await res.json()) as { error: string; issues?: { path: string }[] };
  return { status: res.status, body };
}

describe("URL templates: tokens stay out of the scheme and host (issue 10 row 3)", () => {
  it("refuses a token in the host, port, user info or scheme of an offer URL, naming url", async () => {
    for (const url of [
      "https://{var1}/x",
      "https://{var1}.example.com/x",
      "https://offer.example:{var2}/x",
      "https://{var1}@offer.example/x",
      "{var1}://offer.example/x",
      "http{var1}://offer.example/x",
    ]) {
      const { status, body } = await refusedUrl(url);
      expect(status, url).toBe(400);
      expect(body.issues?.map((i) => i.path)).toEqual(["url"]);
      expect(body.error).toMatch(/url: /);
    }
  });

  it("refuses what browsers would read as another host: backslashes, missing slashes, user info", async () => {
    for (const url of [
      "http:/\\evil.com",
      "http:\\\\evil.com/x",
      "https:/evil.com/x",
      "https://offer.example\\@evil.com/",
      "https://trusted.example@evil.com/",
      "https:// evil.com/",
    ]) {
      const { status, body } = await refusedUrl(url);
      expect(status, url).toBe(400);
      expect(body.issues?.map((i) => i.path)).toEqual(["url"]);
    }
  });

  it("refuses the same on PATCH, leaving the stored URL as it was", async () => {
    const offer = await createOffer({ url: "https://offer.example/a" });
    const res = await api("PATCH", `/offers/${offer.id}`, { url: "https://{var1}/x" });
    expect(res.status).toBe(400);
    const now = (await (await api("GET", `/offers/${offer.id}`)).json()) as { url: string };
    expect(now.url).toBe("https://offer.example/a");
  });

  it("keeps tokens in the path, query and fragment working, with the host fixed", async () => {
    const { campaign } = await setupCampaign({
      url: "https://offer.example/{var1}/p?x={var2}&cid={clickid}#{var3}",
    });
    const { res, clickId } = await click(campaign.id, "?var1=evil.com&var2=//evil.com&var3=@evil.com");
    const location = new URL(res.headers.get("location")!);
    expect(location.host).toBe("offer.example");
    expect(location.pathname).toBe("/evil.com/p");
    expect(location.searchParams.get("x")).toBe("//evil.com");
    expect(location.searchParams.get("cid")).toBe(clickId);
  });

  it("accepts ports, IPv6 literals and upper-case schemes written out literally", async () => {
    for (const url of [
      "https://offer.example:8443/{clickid}",
      "http://[2001:db8::1]/x?c={clickid}",
      "HTTPS://Offer.Example/",
    ]) {
      const res = await api("POST", "/offers", { name: "O", url, payout: { mode: "auto" } });
      expect(res.status, url).toBe(201);
    }
  });
});
