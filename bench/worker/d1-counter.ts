/**
 * Counts the D1 statements the app runs, for `npm run bench` (bench/worker/entry.ts) and for the
 * tests that bound statements per visit or postback. The D1 binding's class is instrumented once
 * per isolate, so every binding object counts: the worker's and the Durable Objects' (which get
 * their own env, in the same isolate). Each statement is counted when it is handed to D1: one per
 * run/all/first/raw, one per statement inside a batch, one per exec call. Counts are grouped by
 * verb and table. Statements marked with BENCH_SQL_MARK (the bench's own row counts) are not
 * counted.
 */
export interface D1Counts {
  total: number;
  byKind: Record<string, number>;
  /** D1's own `meta.duration` (ms) summed per kind, for statements run in a batch. */
  msByKind: Record<string, number>;
}

export const BENCH_SQL_MARK = "/* bench */";
const INSTRUMENTED = Symbol.for("clicktrail.d1-counter");
const EXECUTE = new Set(["run", "all", "first", "raw"]);

let counts: D1Counts = { total: 0, byKind: {}, msByKind: {} };
// Counting statement -> the real one (D1's batch accepts only its own) and its SQL.
const statements = new WeakMap<object, { target: D1PreparedStatement; sql: string }>();

export function d1Counts(): D1Counts {
  return { total: counts.total, byKind: { ...counts.byKind }, msByKind: { ...counts.msByKind } };
}

export function resetD1Counts(): void {
  counts = { total: 0, byKind: {}, msByKind: {} };
}

/** "insert visits", "select campaigns": enough to tell the hot paths apart. */
export function statementKind(sql: string): string {
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? "?";
  const table = /\b(?:from|into|update)\s+[`"[]?(\w+)/i.exec(sql)?.[1] ?? "?";
  return `${verb} ${table}`;
}

function count(sql: string): void {
  if (sql.startsWith(BENCH_SQL_MARK)) return;
  counts.total++;
  const kind = statementKind(sql);
  counts.byKind[kind] = (counts.byKind[kind] ?? 0) + 1;
}

function countingStatement(stmt: D1PreparedStatement, sql: string): D1PreparedStatement {
  const proxy = new Proxy(stmt, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "bind") return (...args: unknown[]) => countingStatement(target.bind(...args), sql);
      if (typeof prop === "string" && EXECUTE.has(prop))
        return (...args: unknown[]) => {
          count(sql);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  statements.set(proxy, { target: stmt, sql });
  return proxy;
}

/** Instruments the class of this binding (once per isolate); every D1 binding then counts. */
export function countD1Statements(d1: D1Database): void {
  const proto = Object.getPrototypeOf(d1) as D1Database & { [INSTRUMENTED]?: true };
  if (proto[INSTRUMENTED]) return;
  const { prepare, batch, exec } = proto;
  proto.prepare = function (this: D1Database, sql: string) {
    return countingStatement(prepare.call(this, sql), sql);
  };
  proto.batch = function (this: D1Database, list: D1PreparedStatement[]) {
    const sqls = list.map((s) => statements.get(s)?.sql ?? "?");
    for (const sql of sqls) count(sql);
    return (
      batch.call(
        this,
        list.map((s) => statements.get(s)?.target ?? s),
      ) as ReturnType<D1Database["batch"]>
    ).then((results) => {
      results.forEach((r, i) => {
        const sql = sqls[i]!;
        if (sql.startsWith(BENCH_SQL_MARK)) return;
        const kind = statementKind(sql);
        counts.msByKind[kind] = (counts.msByKind[kind] ?? 0) + (r.meta?.duration ?? 0);
      });
      return results;
    }) as ReturnType<D1Database["batch"]>;
  } as D1Database["batch"];
  proto.exec = function (this: D1Database, sql: string) {
    count(sql);
    return exec.call(this, sql);
  };
  proto[INSTRUMENTED] = true;
}
