import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it, vi } from "vitest";
import { chromiumExecutable } from "./chromium";
import { launchBrowser, ROOT } from "./harness";

afterEach(() => vi.unstubAllEnvs());

it("drives the Chromium unpacked from @sparticuz/chromium into the temp folder when CHROMIUM_PATH is unset", async () => {
  vi.stubEnv("CHROMIUM_PATH", "");
  const { version } = JSON.parse(readFileSync(join(ROOT, "node_modules/@sparticuz/chromium/package.json"), "utf8"));
  const path = await chromiumExecutable();
  expect(path).toBe(join(tmpdir(), `clicktrail-sparticuz-chromium-${version}`, "chromium"));
  const browser = await launchBrowser();
  try {
    const agent = await browser.page.evaluate(() => navigator.userAgent);
    expect(agent).toContain(`HeadlessChrome/${version.split(".")[0]}.`);
  } finally {
    await browser.close();
  }
});

it("uses CHROMIUM_PATH when set, and a launch failure says to set it", async () => {
  vi.stubEnv("CHROMIUM_PATH", "/nonexistent/chromium");
  expect(await chromiumExecutable()).toBe("/nonexistent/chromium");
  await expect(launchBrowser()).rejects.toThrow(
    /Chromium at \/nonexistent\/chromium did not start[\s\S]*Set CHROMIUM_PATH/,
  );
});
