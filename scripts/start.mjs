#!/usr/bin/env node
// `npm start`: first-run setup, then `wrangler dev` on 127.0.0.1:8787 with local, persistent
// D1 and Durable Objects (.wrangler/state). Extra arguments go to wrangler:
// `npm start -- --port 8799 --ip 0.0.0.0`.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wrangler = join(root, "node_modules", ".bin", "wrangler");
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };

export function ensureDevVars() {
  const target = join(root, ".dev.vars");
  const example = readFileSync(join(root, ".dev.vars.example"), "utf8");
  // Every "generate" placeholder gets its own random secret.
  const generate = (text) => text.replace(/=generate$/gm, () => `=${randomBytes(24).toString("base64url")}`);
  if (existsSync(target)) {
    // A .dev.vars from an older version: add the secrets it lacks, keep the rest as it is.
    const current = readFileSync(target, "utf8");
    const missing = example
      .split("\n")
      .filter((line) => /^\w+=generate$/.test(line) && !new RegExp(`^${line.split("=")[0]}=`, "m").test(current));
    if (missing.length > 0)
      writeFileSync(target, `${current.replace(/\n?$/, "\n")}${generate(missing.join("\n"))}\n`, { mode: 0o600 });
    return false;
  }
  writeFileSync(target, generate(example), { mode: 0o600 });
  return true;
}

export function applyMigrations(extraArgs = []) {
  // CI=true makes wrangler apply without asking for confirmation on a terminal.
  const persist = extraArgs.includes("--persist-to")
    ? ["--persist-to", extraArgs[extraArgs.indexOf("--persist-to") + 1]]
    : [];
  // wrangler prints its migration table several times over; one line says what happened, and the
  // whole output is shown only when it fails.
  const result = spawnSync(wrangler, ["d1", "migrations", "apply", "DB", "--local", ...persist], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...env, CI: "true" },
  });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
    process.exit(result.status ?? 1);
  }
  const applied = new Set((result.stdout ?? "").match(/\b\d{4}_[\w-]+\.sql\b/g) ?? []);
  console.log(
    applied.size === 0
      ? "Local database: migrations up to date."
      : `Local database: applied ${applied.size} migration${applied.size === 1 ? "" : "s"} (${[...applied].join(", ")}).`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  if (ensureDevVars())
    console.log("Created .dev.vars with a random ADMIN_TOKEN, CLICKID_SECRET and SECRETS_KEY (see that file).");
  applyMigrations(args);
  const defaults = [];
  if (!args.includes("--ip")) defaults.push("--ip", "127.0.0.1");
  if (!args.includes("--port")) defaults.push("--port", "8787");
  const child = spawn(wrangler, ["dev", ...defaults, ...args], { cwd: root, stdio: "inherit", env });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
}
