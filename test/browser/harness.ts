/**
 * Browser test harness: a real `wrangler dev` server on fresh local storage, headless Chromium
 * (which one: ./chromium.ts) driven by playwright-core, and helpers to log in and keep
 * screenshots for review.
 * Runs in Node (the "browser" vitest project), never inside workerd.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { chromiumExecutable, OVERRIDE_HINT } from "./chromium";

export const ROOT = resolve(import.meta.dirname, "../..");
export const ADMIN_TOKEN = "browser-test-admin-token";
export const CLICKID_SECRET = "browser-test-clickid-secret";
/** Ports this project's browser tests may use, tried in random order: runs side by side collide less. */
const PORTS = Array.from({ length: 10 }, (_, i) => 8790 + i);
export const SCREENSHOTS = join(ROOT, "screenshots");

const wranglerEnv = {
  ...process.env,
  // npm scripts put node_modules/.bin (with the Node 24 wrangler needs) first; do it here too.
  PATH: `${join(ROOT, "node_modules", ".bin")}:${process.env.PATH}`,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  CI: "true",
};

export interface Server {
  url: string;
  stop(): Promise<void>;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer()
      .once("error", () => done(false))
      .once("listening", () => probe.close(() => done(true)))
      .listen(port, "127.0.0.1");
  });
}

/** wrangler could not listen: the port was taken between the probe and its start. */
class PortTaken extends Error {}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      if (log().includes("Address already in use")) throw new PortTaken(url);
      throw new Error(`wrangler dev exited (${child.exitCode}):\n${log()}`);
    }
    // Only our own wrangler's "Ready on" counts: another run's server may answer on this port.
    if (log().includes(`Ready on ${url}`)) {
      try {
        const res = await fetch(`${url}/admin/login`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer within 90 s:\n${log()}`);
}

/** `wrangler dev` on `port` with the state in `state`; stopping it leaves the state. */
async function startWrangler(port: number, state: string): Promise<{ url: string; stop(): Promise<void> }> {
  const args = [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--persist-to",
    state,
    "--show-interactive-dev-session=false",
  ];
  args.push("--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`, "--var", `CLICKID_SECRET:${CLICKID_SECRET}`);
  args.push("--var", "POSTBACK_PRIVATE_HOSTS:127.0.0.1"); // the tests' receiver is local
  // detached: its own process group, so stop() ends wrangler and the workerd it started.
  const child = spawn("wrangler", args, {
    cwd: ROOT,
    env: wranglerEnv,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(-child.pid!, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
    }
  };
  try {
    await waitUntilUp(url, child, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}

/**
 * Applies the migrations to a fresh temporary state directory and starts `wrangler dev` on it
 * with a known admin token and click ID secret (overriding any .dev.vars), on a free port.
 */
export async function startServer(): Promise<Server> {
  const state = mkdtempSync(join(tmpdir(), "clicktrail-browser-"));
  const migrate = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", state], {
    cwd: ROOT,
    env: wranglerEnv,
    encoding: "utf8",
  });
  const removeState = () => rmSync(state, { recursive: true, force: true });
  if (migrate.status !== 0) {
    removeState();
    throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);
  }
  const ports = [...PORTS].sort(() => Math.random() - 0.5);
  for (const port of ports) {
    if (!(await portIsFree(port))) continue;
    try {
      const server = await startWrangler(port, state);
      return { url: server.url, stop: () => server.stop().then(removeState) };
    } catch (err) {
      if (err instanceof PortTaken) continue;
      removeState();
      throw err;
    }
  }
  removeState();
  throw new Error(`no free port among ${PORTS.join(", ")}`);
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Messages of every dialog (alert/confirm/prompt) any page opened: proof a script ran. */
  dialogs: string[];
  close(): Promise<void>;
}

/** Headless Chromium with a throwaway profile; never downloads a browser. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await chromiumExecutable();
  const profile = mkdtempSync(join(tmpdir(), "clicktrail-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      viewport: { width: 1280, height: 900 },
      // Under LANG=C this Chromium's default locale is "en-US@posix", which Intl refuses: any page
      // calling `new Intl.DateTimeFormat()` (uPlot does at load) would throw.
      locale: "en-US",
      // This machine's network is closed: without the background-networking flags Chromium keeps
      // trying Google's hosts. The package's own args (made for AWS Lambda) are not used: they
      // turn off web security and site isolation, which the tests must see working.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--disable-dev-shm-usage",
      ],
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw new Error(`Chromium at ${executablePath} did not start: ${err}\n${OVERRIDE_HINT}`, { cause: err });
  }
  const dialogs: string[] = [];
  const onDialog = (d: { message(): string; dismiss(): Promise<void> }) => {
    dialogs.push(d.message());
    void d.dismiss();
  };
  context.on("page", (p) => p.on("dialog", onDialog));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("dialog", onDialog);
  return {
    context,
    page,
    dialogs,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Logs in through the login page with the server's admin token. */
export async function login(page: Page, server: Server, token = ADMIN_TOKEN): Promise<void> {
  await page.goto(`${server.url}/admin/login`);
  await page.fill('input[name="token"]', token);
  // Lands on `next`, by default the dashboard at /admin.
  await Promise.all([
    page.waitForURL((url) => url.pathname.startsWith("/admin") && url.pathname !== "/admin/login"),
    page.click('button[type="submit"]'),
  ]);
}

/** Full-page screenshot into screenshots/<name>.png (git-ignored) for a person to review. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export interface Run {
  server: Server;
  browser: Browser;
  page: Page;
}

/** What each browser test file starts with: a fresh server, then a browser on it. */
export async function startRun(): Promise<Run> {
  const server = await startServer();
  try {
    const browser = await launchBrowser();
    return { server, browser, page: browser.page };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** Closes what startRun started (either may be missing when it failed part way). */
export async function stopRun(server: Server | undefined, browser: Browser | undefined): Promise<void> {
  await browser?.close();
  await server?.stop();
}

/**
 * Opens the postback log once it shows `expected`: log rows are written in batches after the
 * postback's answer (up to ~100 ms later), so the page is reloaded until they are there.
 */
export async function openPostbackLog(page: Page, server: Server, expected: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.goto(`${server.url}/admin/postbacks`);
    if ((await page.locator("body").innerText()).includes(expected) || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** POST /api<path> as the owner; expects 201 and answers the created object. */
export async function apiCreate(server: Server, path: string, body: unknown): Promise<any> {
  const res = await fetch(`${server.url}/api${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST /api${path}: ${res.status} ${await res.text()}`);
  return res.json();
}
