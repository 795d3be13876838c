/**
 * Counts the D1 statements the app runs, for `npm run bench` only (BENCH_COUNT_D1=1): a wrapper
 * around the binding that counts each statement executed through run/all/first/raw, each
 * statement inside a batch, and exec calls, grouped by verb and table. Nothing is estimated:
 * a statement is counted when the app hands it to D1.
 */
export interface D1Counts {
  total: number;
  byKind: Record<string, number>;
}

const counts: D1Counts = { total: 0, byKind: {} };
const wrapped = new WeakMap<D1Database, D1Database>();
const raw = new WeakMap<D1Database, D1Database>();
// Counting statement -> the real one (D1's batch accepts only its own) and its SQL.
const statements = new WeakMap<object, { target: D1PreparedStatement; sql: string }>();
const EXECUTE = new Set(["run", "all", "first", "raw"]);

export function d1Counts(): D1Counts {
  return { total: counts.total, byKind: { ...counts.byKind } };
}

export function resetD1Counts(): void {
  counts.total = 0;
  counts.byKind = {};
}

/** "insert visits", "select campaigns": enough to tell the hot paths apart. */
export function statementKind(sql: string): string {
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? "?";
  const table = /\b(?:from|into|update)\s+[`"[]?(\w+)/i.exec(sql)?.[1] ?? "?";
  return `${verb} ${table}`;
}

function count(sql: string, n = 1): void {
  counts.total += n;
  const kind = statementKind(sql);
  counts.byKind[kind] = (counts.byKind[kind] ?? 0) + n;
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

export function countingD1(d1: D1Database): D1Database {
  let counted = wrapped.get(d1);
  if (counted) return counted;
  counted = new Proxy(d1, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => countingStatement(target.prepare(sql), sql);
      if (prop === "batch")
        return (list: D1PreparedStatement[]) => {
          for (const s of list) count(statements.get(s)?.sql ?? "?");
          return target.batch(list.map((s) => statements.get(s)?.target ?? s));
        };
      if (prop === "exec")
        return (sql: string) => {
          count(sql);
          return target.exec(sql);
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  wrapped.set(d1, counted);
  raw.set(counted, d1);
  return counted;
}

/** The binding behind a counting wrapper (itself for a plain binding): reads that don't count. */
export function uncountedD1(d1: D1Database): D1Database {
  return raw.get(d1) ?? d1;
}
