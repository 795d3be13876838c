// A stand-in for the `wrangler` CLI (test/node/deploy.test.ts puts it first on PATH): it keeps a
// fake Cloudflare account in $STANDIN_DIR/account.json, records each call in calls.jsonl, and
// refuses what the real one refuses: a deploy naming a queue, bucket or database id that does
// not exist, remote migrations without CI=true (wrangler would ask), an unknown command.
// STANDIN_FAIL="queues create NAME" makes that one call fail, as a network error would.
import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";

const dir = process.env.STANDIN_DIR;
const file = join(dir, "account.json");
const args = process.argv.slice(2);
const line = args.join(" ");
const account = existsSync(file)
  ? JSON.parse(readFileSync(file, "utf8"))
  : { databases: [], queues: [], buckets: [], workers: {}, migrated: [] };
appendFileSync(join(dir, "calls.jsonl"), `${JSON.stringify(args)}\n`);

const save = () => writeFileSync(file, JSON.stringify(account, null, 2));
const fail = (message) => {
  console.error(`✘ [ERROR] ${message}`);
  process.exit(1);
};
const config = () => parse(readFileSync(join(process.cwd(), "wrangler.toml"), "utf8"));
const arg = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const QUEUES_PER_PAGE = 3;

if (process.env.STANDIN_FAIL && line.startsWith(process.env.STANDIN_FAIL)) fail("fetch failed (stand-in)");

function checkDatabaseIds(cfg) {
  for (const db of cfg.d1_databases ?? [])
    if (!account.databases.some((d) => d.uuid === db.database_id))
      fail(`Couldn't find DB with name or id '${db.database_id}'`);
}

function deploy() {
  const cfg = config();
  checkDatabaseIds(cfg);
  for (const q of [...(cfg.queues?.producers ?? []), ...(cfg.queues?.consumers ?? [])])
    for (const name of [q.queue, q.dead_letter_queue].filter(Boolean))
      if (!account.queues.includes(name))
        fail(`Queue "${name}" does not exist. To create it, run: wrangler queues create ${name}`);
  for (const b of cfg.r2_buckets ?? [])
    if (!account.buckets.includes(b.bucket_name)) fail(`R2 bucket '${b.bucket_name}' not found`);
  const worker = (account.workers[cfg.name] ??= { secrets: {}, deploys: 0 });
  const secretsFile = arg("--secrets-file");
  if (secretsFile) Object.assign(worker.secrets, JSON.parse(readFileSync(secretsFile, "utf8")));
  worker.deploys++;
  console.log(`Uploaded ${cfg.name}`);
}

switch (`${args[0]} ${args[1]}`) {
  case "d1 list":
    if (!args.includes("--json")) fail("stand-in: use --json");
    console.log(JSON.stringify(account.databases, null, 2));
    break;
  case "d1 create":
    if (account.databases.some((d) => d.name === args[2])) fail("A database with that name already exists");
    account.databases.push({ uuid: randomUUID(), name: args[2], created_at: new Date().toISOString() });
    console.log(`✅ Successfully created DB '${args[2]}'`);
    break;
  case "d1 migrations": {
    if (args[2] !== "apply" || !args.includes("--remote")) fail(`stand-in: unexpected ${line}`);
    if (process.env.CI !== "true") fail("stand-in: would ask for confirmation on a terminal");
    const cfg = config();
    checkDatabaseIds(cfg);
    const db = cfg.d1_databases.find((d) => d.binding === args[3]);
    if (!db) fail(`Couldn't find a D1 DB with the name or binding '${args[3]}'`);
    if (!account.migrated.includes(db.database_id)) account.migrated.push(db.database_id);
    console.log("✅ Migrations applied");
    break;
  }
  case "queues list": {
    // The real answer is a cli-table3 table, one page at a time.
    const page = Number(arg("--page") ?? 1);
    const rows = account.queues.slice((page - 1) * QUEUES_PER_PAGE, page * QUEUES_PER_PAGE);
    console.log("┌──────┬──────┐\n│ id │ name │ created_on │\n├──────┼──────┤");
    for (const name of rows) console.log(`│ ${randomUUID()} │ ${name} │ 2026-12-01T00:00:00Z │`);
    console.log("└──────┴──────┘");
    break;
  }
  case "queues create":
    if (account.queues.includes(args[2])) fail(`A queue with name '${args[2]}' already exists`);
    account.queues.push(args[2]);
    console.log(`Created queue ${args[2]}.`);
    break;
  case "r2 bucket":
    if (args[2] === "list") {
      console.log("Listing buckets...");
      console.log(account.buckets.map((b) => `name:           ${b}\ncreation_date:  2026-12-01`).join("\n\n"));
    } else if (args[2] === "create") {
      if (account.buckets.includes(args[3])) fail("The bucket you tried to create already exists");
      account.buckets.push(args[3]);
      console.log(`✅ Created bucket '${args[3]}'`);
    } else fail(`stand-in: unexpected ${line}`);
    break;
  case "secret list": {
    const name = config().name;
    if (!account.workers[name])
      fail(`Worker "${name}" not found.\n\nIf this is a new Worker, run \`wrangler deploy\` first.`);
    const names = Object.keys(account.workers[name].secrets);
    console.log(
      JSON.stringify(
        names.map((n) => ({ name: n, type: "secret_text" })),
        null,
        "  ",
      ),
    );
    break;
  }
  default:
    if (args[0] === "deploy") deploy();
    else fail(`stand-in: unknown command ${line}`);
}
save();
