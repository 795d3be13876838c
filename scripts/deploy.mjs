#!/usr/bin/env node
// `npm run deploy`: takes a Cloudflare account to a running tracker, and is safe to run again.
// Every resource comes from wrangler.toml itself, so a new binding cannot be forgotten: the D1
// databases (the real id is written into wrangler.toml), every queue and dead-letter queue, the
// R2 buckets; then remote migrations, the secrets that .dev.vars.example marks "generate" and
// that the Worker lacks (an existing one is never overwritten), and `wrangler deploy`.
// `npm run deploy -- --dry-run` prints every step and calls nothing. See docs/deploy.md.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { parse } from "smol-toml";

const dryRun = process.argv.includes("--dry-run");
const root = process.cwd();
const configPath = join(root, "wrangler.toml");
// Sections that name nothing to create, and those this script provisions; anything else stops it.
const NOTHING_TO_CREATE = [
  ...["durable_objects", "migrations", "vars", "triggers", "rules", "observability"],
  ...["assets", "build", "define", "alias", "dev", "limits", "placement"],
];
const PROVISIONED = ["d1_databases", "queues", "r2_buckets"];

class Stop extends Error {}

/** Runs wrangler (the project's own under npm run); `quiet` captures the output for reading. */
function wrangler(args, { quiet = false, env = {} } = {}) {
  console.log(`  $ wrangler ${args.join(" ")}${dryRun ? "   (dry run: not called)" : ""}`);
  if (dryRun) return { ok: true, out: "" };
  const result = spawnSync("wrangler", args, {
    cwd: root,
    encoding: "utf8",
    stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    // CI=true: wrangler proceeds without asking (remote migrations would ask on a terminal).
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", ...env },
  });
  const out = stripVTControlCharacters(`${result.stdout ?? ""}${result.stderr ?? ""}`);
  return { ok: result.status === 0, out, status: result.status ?? 1 };
}

function must(args, options) {
  const result = wrangler(args, options);
  if (!result.ok) {
    if (result.out) console.error(result.out.trim());
    throw new Stop(`wrangler ${args.join(" ")} failed (exit ${result.status})`);
  }
  return result.out;
}

function readResources(config) {
  const unknown = Object.keys(config).filter(
    (key) =>
      [config[key]].flat().some((v) => typeof v === "object") && ![...NOTHING_TO_CREATE, ...PROVISIONED].includes(key),
  );
  if (unknown.length)
    throw new Stop(`wrangler.toml has [${unknown.join("], [")}]: teach scripts/deploy.mjs to create it`);
  const queues = [...(config.queues?.producers ?? []), ...(config.queues?.consumers ?? [])].flatMap((q) => [
    q.queue,
    ...(q.dead_letter_queue ? [q.dead_letter_queue] : []),
  ]);
  return {
    databases: config.d1_databases ?? [],
    queues: [...new Set(queues)],
    buckets: [...new Set((config.r2_buckets ?? []).map((b) => b.bucket_name))],
  };
}

/** The real id of each database, created when missing, written into wrangler.toml when it differs. */
function provisionDatabases(databases) {
  const list = () => {
    const out = must(["d1", "list", "--json"], { quiet: true });
    return dryRun ? [] : JSON.parse(out.slice(out.indexOf("[")));
  };
  let existing = list();
  for (const db of databases) {
    let found = existing.find((d) => d.name === db.database_name);
    if (!found) {
      must(["d1", "create", db.database_name]);
      existing = list();
      found = existing.find((d) => d.name === db.database_name) ?? { uuid: "<new id>" };
    } else console.log(`  D1 database ${db.database_name} exists (${found.uuid})`);
    if (found.uuid !== db.database_id) writeDatabaseId(db.database_name, found.uuid);
  }
}

function writeDatabaseId(name, id) {
  console.log(`  wrangler.toml: database_id of ${name} = "${id}"${dryRun ? "   (dry run: not written)" : ""}`);
  if (dryRun) return;
  const text = readFileSync(configPath, "utf8");
  const at = text.search(new RegExp(`^database_name\\s*=\\s*"${name}"\\s*$`, "m"));
  const end = text.indexOf("\n[", at) === -1 ? text.length : text.indexOf("\n[", at);
  const block = text.slice(at, end);
  const line = `database_id = "${id}"`;
  const updated = /^database_id\s*=.*$/m.test(block)
    ? block.replace(/^database_id\s*=.*$/m, line)
    : block.replace(/\n/, `\n${line}\n`);
  writeFileSync(configPath, text.slice(0, at) + updated + text.slice(end));
}

/** Queue names from `wrangler queues list`, page after page (its answer is a table). */
function existingQueues() {
  const names = new Set();
  for (let page = 1; page <= 100 && !dryRun; page++) {
    const rows = must(["queues", "list", "--page", String(page)], { quiet: true })
      .split("\n")
      .filter((line) => line.startsWith("│"))
      .map((line) => line.split("│").map((cell) => cell.trim())[2])
      .filter((name) => name && name !== "name" && !names.has(name));
    if (!rows.length) break;
    for (const name of rows) names.add(name);
  }
  if (dryRun) must(["queues", "list"], { quiet: true });
  return names;
}

function existingBuckets() {
  const out = must(["r2", "bucket", "list"], { quiet: true });
  return new Set([...out.matchAll(/^name:\s+(\S+)/gm)].map((m) => m[1]));
}

function createMissing(kind, names, existing, create) {
  for (const name of names) {
    if (existing.has(name)) console.log(`  ${kind} ${name} exists`);
    else must(create(name));
  }
}

/** Secrets the example marks "generate" that the Worker does not have yet, with new values. */
function missingSecrets() {
  const wanted = [...readFileSync(join(root, ".dev.vars.example"), "utf8").matchAll(/^([A-Z0-9_]+)=generate$/gm)];
  const listed = wrangler(["secret", "list", "--format", "json"], { quiet: true });
  // A Worker never deployed has no secrets yet: wrangler says it is "not found".
  if (!listed.ok && !/not found/i.test(listed.out)) throw new Stop(`wrangler secret list failed:\n${listed.out}`);
  const have = new Set(
    listed.ok && !dryRun ? JSON.parse(listed.out.slice(listed.out.indexOf("["))).map((s) => s.name) : [],
  );
  for (const [, name] of wanted) if (have.has(name)) console.log(`  secret ${name} exists: kept`);
  return Object.fromEntries(
    wanted.filter(([, name]) => !have.has(name)).map(([, name]) => [name, randomBytes(24).toString("base64url")]),
  );
}

/** Deploys; new secrets go with it (--secrets-file adds them and leaves the others alone). */
function deploy(secrets) {
  const names = Object.keys(secrets);
  if (!names.length) return must(["deploy"]);
  console.log(`  generated: ${names.join(", ")}`);
  const dir = mkdtempSync(join(tmpdir(), "clicktrail-secrets-"));
  const file = join(dir, "secrets.json");
  try {
    if (!dryRun) writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
    must(["deploy", "--secrets-file", file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (secrets.ADMIN_TOKEN && !dryRun)
    console.log(`\nYour ADMIN_TOKEN (log in to /admin with it; shown this once):\n  ${secrets.ADMIN_TOKEN}\n`);
}

function main() {
  const { databases, queues, buckets } = readResources(parse(readFileSync(configPath, "utf8")));
  console.log(dryRun ? "Dry run: every step as for a new account; nothing is called or written.\n" : "");
  console.log("1. D1 databases");
  provisionDatabases(databases);
  console.log("2. Queues and dead-letter queues");
  createMissing("queue", queues, existingQueues(), (name) => ["queues", "create", name]);
  console.log("3. R2 buckets");
  createMissing("bucket", buckets, existingBuckets(), (name) => ["r2", "bucket", "create", name]);
  console.log("4. Migrations");
  for (const db of databases) if (db.migrations_dir) must(["d1", "migrations", "apply", db.binding, "--remote"]);
  console.log("5. Secrets");
  const secrets = missingSecrets();
  console.log("6. Deploy");
  deploy(secrets);
  console.log(
    dryRun ? "\nDry run done." : "\nDeployed. Run `npm run deploy` again any time: it creates only what is missing.",
  );
}

try {
  main();
} catch (err) {
  if (!(err instanceof Stop)) throw err;
  console.error(
    `\nStopped: ${err.message}.\nFix the cause and run \`npm run deploy\` again: it picks up where it stopped.`,
  );
  process.exit(1);
}
