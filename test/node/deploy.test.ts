import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "smol-toml";
import { beforeEach, describe, expect, it } from "vitest";

// `npm run deploy` against a stand-in wrangler (wrangler-standin.mjs) first on PATH, in a copy
// of the project's wrangler.toml and .dev.vars.example: what a real account would end up with.
const repo = join(import.meta.dirname, "..", "..");
const QUEUES = [
  "clicktrail-source-postbacks",
  "clicktrail-visits",
  "clicktrail-source-postbacks-dlq",
  "clicktrail-visits-dlq",
];

// The secrets the project generates: every NAME=generate of .dev.vars.example.
const GENERATED = [...readFileSync(join(repo, ".dev.vars.example"), "utf8").matchAll(/^(\w+)=generate$/gm)].map(
  (m) => m[1],
);

interface Account {
  databases: { uuid: string; name: string }[];
  queues: string[];
  buckets: string[];
  workers: Record<string, { secrets: Record<string, string>; deploys: number }>;
  migrated: string[];
}

let project: string;
let state: string;

beforeEach(() => {
  const base = mkdtempSync(join(tmpdir(), "deploy-test-"));
  project = join(base, "project");
  state = join(base, "account");
  const bin = join(base, "bin");
  for (const d of [project, state, bin]) mkdirSync(d);
  copyFileSync(join(repo, "wrangler.toml"), join(project, "wrangler.toml"));
  copyFileSync(join(repo, ".dev.vars.example"), join(project, ".dev.vars.example"));
  const standin = join(import.meta.dirname, "wrangler-standin.mjs");
  writeFileSync(join(bin, "wrangler"), `#!/bin/sh\nexec "${process.execPath}" "${standin}" "$@"\n`);
  chmodSync(join(bin, "wrangler"), 0o755);
  process.env.DEPLOY_TEST_PATH = `${bin}:${process.env.PATH}`;
});

function deploy(args: string[] = [], extraEnv: Record<string, string> = {}) {
  const { CI: _ci, ...env } = process.env;
  const result = spawnSync(process.execPath, [join(repo, "scripts", "deploy.mjs"), ...args], {
    cwd: project,
    encoding: "utf8",
    env: { ...env, PATH: process.env.DEPLOY_TEST_PATH, STANDIN_DIR: state, ...extraEnv },
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

const account = (): Account => JSON.parse(readFileSync(join(state, "account.json"), "utf8"));
const calls = (): string[] =>
  existsSync(join(state, "calls.jsonl"))
    ? readFileSync(join(state, "calls.jsonl"), "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as string[]).join(" "))
    : [];
const creations = () => calls().filter((c) => / create /.test(` ${c} `));
const toml = () => readFileSync(join(project, "wrangler.toml"), "utf8");

describe("npm run deploy", () => {
  it("takes a new account to a deployed worker: database, every queue and dead letter, bucket, migrations, secrets", () => {
    const run = deploy();
    expect(run.status, run.out).toBe(0);
    const acc = account();
    expect(acc.databases.map((d) => d.name)).toEqual(["clicktrail"]);
    expect([...acc.queues].sort()).toEqual([...QUEUES].sort());
    expect(acc.buckets).toEqual(["clicktrail-archive"]);
    // The real id is in wrangler.toml (the placeholder would keep every later command away).
    const id = (parse(toml()) as { d1_databases: { database_id: string }[] }).d1_databases[0].database_id;
    expect(id).toBe(acc.databases[0].uuid);
    expect(toml()).toContain("# A placeholder: `npm run deploy` creates the database"); // the rest of the file is kept
    expect(acc.migrated).toEqual([id]);
    const secrets = acc.workers.clicktrail.secrets;
    expect(GENERATED).toEqual(expect.arrayContaining(["ADMIN_TOKEN", "CLICKID_SECRET"]));
    expect(Object.keys(secrets).sort()).toEqual([...GENERATED].sort());
    expect(secrets.ADMIN_TOKEN).toMatch(/^[\w-]{32}$/);
    expect(secrets.ADMIN_TOKEN).not.toBe(secrets.CLICKID_SECRET);
    // The one secret a person needs is shown once, to log in.
    expect(run.out).toContain(secrets.ADMIN_TOKEN);
  });

  it("a second run creates nothing, keeps every secret and still deploys", () => {
    expect(deploy().status).toBe(0);
    const before = account();
    const tomlBefore = toml();
    const callsBefore = calls().length;
    const run = deploy();
    expect(run.status, run.out).toBe(0);
    const second = calls().slice(callsBefore);
    expect(second.filter((c) => c.includes(" create "))).toEqual([]);
    expect(second).toContain("deploy");
    expect(second.some((c) => c.includes("--secrets-file"))).toBe(false);
    expect(account().workers.clicktrail.secrets).toEqual(before.workers.clicktrail.secrets);
    expect(account().workers.clicktrail.deploys).toBe(2);
    expect(toml()).toBe(tomlBefore);
  });

  it("never overwrites a secret that exists; generates the ones missing", () => {
    expect(deploy().status).toBe(0);
    const path = join(state, "account.json");
    const acc = account();
    acc.workers.clicktrail.secrets = { ADMIN_TOKEN: "chosen-by-me" };
    writeFileSync(path, JSON.stringify(acc));
    const run = deploy();
    expect(run.status, run.out).toBe(0);
    const secrets = account().workers.clicktrail.secrets;
    expect(secrets.ADMIN_TOKEN).toBe("chosen-by-me");
    for (const name of GENERATED.filter((n) => n !== "ADMIN_TOKEN")) expect(secrets[name]).toMatch(/^[\w-]{32}$/);
    expect(run.out).toContain("secret ADMIN_TOKEN exists: kept");
  });

  it("stops at a failure halfway without deploying; the rerun completes, creating each thing once", () => {
    const failed = deploy([], { STANDIN_FAIL: `queues create ${QUEUES[1]}` });
    expect(failed.status).toBe(1);
    expect(failed.out).toContain(`wrangler queues create ${QUEUES[1]} failed`);
    expect(failed.out).toContain("run `npm run deploy` again");
    expect(account().queues).toEqual([QUEUES[0]]);
    expect(calls()).not.toContain("deploy");
    const rerun = deploy();
    expect(rerun.status, rerun.out).toBe(0);
    expect([...account().queues].sort()).toEqual([...QUEUES].sort());
    // Every create that succeeded happened once (the failed one was retried).
    const created = creations().filter((c) => c !== `queues create ${QUEUES[1]}`);
    expect(created.length).toBe(new Set(created).size);
    expect(account().workers.clicktrail.deploys).toBe(1);
  });

  it("--dry-run prints every step and calls nothing", () => {
    const tomlBefore = toml();
    const run = deploy(["--dry-run"]);
    expect(run.status, run.out).toBe(0);
    expect(calls()).toEqual([]);
    expect(toml()).toBe(tomlBefore);
    for (const step of [
      "wrangler d1 create clicktrail",
      ...QUEUES.map((q) => `wrangler queues create ${q}`),
      "wrangler r2 bucket create clicktrail-archive",
      "wrangler d1 migrations apply DB --remote",
      "wrangler secret list",
      `generated: ${GENERATED.join(", ")}`,
      "wrangler deploy",
    ])
      expect(run.out).toContain(step);
  });

  it("refuses a wrangler.toml binding it does not know how to create, before calling anything", () => {
    writeFileSync(join(project, "wrangler.toml"), `${toml()}\n[[kv_namespaces]]\nbinding = "CACHE"\nid = "x"\n`);
    const run = deploy();
    expect(run.status).toBe(1);
    expect(run.out).toContain("[kv_namespaces]");
    expect(calls()).toEqual([]);
  });
});
