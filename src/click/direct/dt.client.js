/* clicktrail direct tracking, served as /dt.js (docs/direct-tracking.md). Plain ES2017 with no
 * dependency, so Safari on iOS 11+ runs it; it never throws on the page. */
(() => {
  if (window.clicktrail) return; // pasted twice: one visit
  const COOKIE = "ct_cid";
  const SAME_VISIT_MS = 30 * 60 * 1000;
  const KEEP_S = 30 * 24 * 60 * 60;
  const ID = /^[A-Za-z0-9_-]{32}$/;
  const CLICK_PATH = /^\/click(\/\d+)?$/;
  let settle;
  const api = {
    clickId: null,
    ready: new Promise((resolve) => {
      settle = resolve;
    }),
  };
  window.clicktrail = api;
  const script = document.currentScript || document.querySelector("script[data-campaign][src*='/dt.js']");
  try {
    start();
  } catch (_e) {
    settle(null);
  }

  function start() {
    if (!script) return settle(null);
    const campaign = script.getAttribute("data-campaign") || "";
    if (!/^\d{1,10}$/.test(campaign)) return settle(null);
    const tracker = new URL(script.src, location.href).origin;
    const cid = new URL(location.href).searchParams.get("cid");
    // Came through the campaign link, or an earlier page of this visit: no new visit.
    if (cid && ID.test(cid)) return keep(cid, campaign, tracker);
    const kept = keptClickId(campaign);
    if (kept) return keep(kept, campaign, tracker);
    const q = new URLSearchParams({ campaign, url: location.href, referrer: document.referrer });
    const lander = script.getAttribute("data-lander");
    if (lander) q.set("lander", lander);
    // Meta's browser IDs, for its Conversions API.
    const fbp = readCookie("_fbp");
    const fbc = readCookie("_fbc");
    if (fbp) q.set("fbp", fbp);
    if (fbc) q.set("fbc", fbc);
    fetch(`${tracker}/dt/visit?${q}`, { credentials: "omit" })
      .then((res) => (res.ok ? res.json() : null))
      .then((body) => {
        if (body && ID.test(body.clickId)) keep(body.clickId, campaign, tracker);
        else settle(null);
      })
      .catch(() => settle(null));
  }

  /** The click ID of this campaign's visit when the cookie was written less than 30 minutes ago. */
  function keptClickId(campaign) {
    const parts = readCookie(COOKIE).split("."); // click ID, campaign, time written
    const fresh = Date.now() - Number(parts[2]) < SAME_VISIT_MS;
    return ID.test(parts[0]) && parts[1] === campaign && fresh ? parts[0] : null;
  }

  function keep(clickId, campaign, tracker) {
    // Rewritten on every page view: the 30 minutes count from the visitor's last page.
    const secure = location.protocol === "https:" ? "; Secure" : "";
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from the Safari versions served
    document.cookie = `${COOKIE}=${clickId}.${campaign}.${Date.now()}; Max-Age=${KEEP_S}; Path=/; SameSite=Lax${secure}`;
    api.clickId = clickId;
    let pending = false;
    const fill = () => {
      pending = false;
      decorate(clickId, tracker);
    };
    fill();
    // Links and fields added later (or a link's href changed): one pass per burst of changes.
    new MutationObserver(() => {
      if (pending) return;
      pending = true;
      Promise.resolve().then(fill);
    }).observe(document.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["href", "name"],
    });
    settle(clickId);
  }

  function decorate(clickId, tracker) {
    for (const link of document.querySelectorAll("a[href], area[href]")) {
      let url;
      try {
        url = new URL(link.href);
      } catch (_e) {
        continue;
      }
      if (url.origin !== tracker || !CLICK_PATH.test(url.pathname) || url.searchParams.get("cid") === clickId) continue;
      url.searchParams.set("cid", clickId);
      link.href = url.href;
    }
    for (const field of document.getElementsByName(COOKIE)) {
      if ("value" in field && field.value !== clickId) field.value = clickId;
    }
  }

  function readCookie(name) {
    const found = (document.cookie ? document.cookie.split("; ") : []).find((c) => c.indexOf(`${name}=`) === 0);
    try {
      return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
    } catch (_e) {
      return "";
    }
  }
})();
