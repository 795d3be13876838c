/**
 * Which Chromium the browser tests drive: CHROMIUM_PATH when set, else the Linux x64 Chromium
 * shipped inside the @sparticuz/chromium npm package, so `npm install && npm test` needs no
 * system browser and nothing is downloaded at run time.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import bundled from "@sparticuz/chromium";

export const OVERRIDE_HINT =
  "Set CHROMIUM_PATH to a Chromium or Chrome executable (e.g. CHROMIUM_PATH=/usr/bin/chromium npm test).";

const PACKAGE_JSON = resolve(import.meta.dirname, "../../node_modules/@sparticuz/chromium/package.json");

/**
 * The package unpacks into os.tmpdir() and reuses any `chromium` it finds there, so a run
 * stopped mid-unpack, or another checkout unpacking at the same moment, would leave a truncated
 * binary for every later run. Here it unpacks into a private folder that is renamed into place
 * (one folder per package version) only once complete.
 */
export async function chromiumExecutable(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `@sparticuz/chromium ships a Chromium for Linux x64 only (this is ${process.platform} ${process.arch}). ${OVERRIDE_HINT}`,
    );
  }
  const { version } = JSON.parse(readFileSync(PACKAGE_JSON, "utf8")) as { version: string };
  const dir = join(tmpdir(), `clicktrail-sparticuz-chromium-${version}`);
  const exe = join(dir, "chromium");
  if (existsSync(exe)) return exe;

  const staging = mkdtempSync(`${dir}.partial-`);
  const tmp = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    await bundled.executablePath();
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Could not unpack @sparticuz/chromium into ${staging}: ${err}. ${OVERRIDE_HINT}`, { cause: err });
  } finally {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  }
  try {
    renameSync(staging, dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(exe)) throw err; // else a concurrent run renamed its copy into place first
  }
  return exe;
}
