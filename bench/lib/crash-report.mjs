// The crash drill's printed result: one Markdown table, one column per VISIT_QUEUE_SEND setting.
const f0 = (n) => Math.round(n).toLocaleString("en-US");
const pct = (part, whole) => (whole === 0 ? "–" : `${((100 * part) / whole).toFixed(2)} %`);

export function crashTable(results) {
  const { drills } = results;
  const rows = [["", ...drills.map((d) => `VISIT_QUEUE_SEND=${d.mode}`)]];
  const row = (label, cell) => rows.push([label, ...drills.map(cell)]);
  row("load before the kill", (d) => `${d.loadMs / 1000} s, ${results.config.connections} loops`);
  row("redirects answered (302 received)", (d) => f0(d.visits.answered));
  row("visits stored (raw_visits)", (d) => f0(d.visits.stored));
  row("answered visits lost", (d) => `${f0(d.visits.lost)} (${pct(d.visits.lost, d.visits.answered)})`);
  row("their 302s arrived this long before the kill", (d) =>
    d.visits.lostAnsweredMsBeforeKill ? `${d.visits.lostAnsweredMsBeforeKill.join("–")} ms` : "–",
  );
  row("… never accepted by the queue (isolate's batch)", (d) => f0(d.visits.lostNeverQueued));
  row("… accepted by the queue, then lost", (d) => f0(d.visits.lostAfterQueued));
  row("visits stored whose 302 never arrived", (d) => f0(d.visits.storedUnanswered));
  row('postbacks answered "accepted"', (d) => f0(d.conversions.accepted));
  row("conversions stored (D1 conversions)", (d) => f0(d.conversions.stored));
  row(
    "accepted conversions lost",
    (d) => `${f0(d.conversions.lost)} (${pct(d.conversions.lost, d.conversions.accepted)})`,
  );
  row("conversions stored whose answer never arrived", (d) => f0(d.conversions.storedUnanswered));
  const disk = (s) => `${f0(s.visits)} / ${f0(s.conversions)} / ${f0(s.outbox)} / ${f0(s.alarms)}`;
  row("on disk just after the kill: visits / conversions / outbox rows / shard alarms", (d) => disk(d.atKill));
  row("on disk at the end", (d) => disk(d.atEnd));
  row("requests cut off by the kill", (d) => f0(d.seen.errors));
  row("catch-up after the restart", (d) => `${d.catchUp.seconds.toFixed(1)} s`);
  const lines = rows.map((cells) => `| ${cells.join(" | ")} |`);
  lines.splice(1, 0, `|${rows[0].map(() => "---").join("|")}|`);
  return [lines.join("\n"), "", `Load average (1 min) at the end: ${results.loadAvg.toFixed(1)}.`].join("\n");
}
