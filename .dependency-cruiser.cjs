// The layering of src/ (README.md, "Project layout"): each folder imports only folders below it.
//   entry (index.ts, api.ts, queues.ts, admin/) → features/ → ui/
//     → engines: reports → click → ingest → delivery → visits
//     → model/ → lib/ → db/
// Type-only imports count (tsPreCompilationDeps), so a type cannot smuggle an arrow back up.

const ENTRY = "^src/(index|api|queues)\\.ts$|^src/admin/";
const FEATURES = "^src/features/";
const UI = "^src/ui/";
const ENGINES = ["reports", "click", "ingest", "delivery", "visits"];
const engine = (names) => `^src/(${names.join("|")})/`;
const MODEL = "^src/model/";
const LIB = "^src/lib/";

/** One rule per back-arrow: `from` a layer `to` anything above it. */
const below = (name, from, to) => ({
  name,
  severity: "error",
  comment: "Imports run downward only (README.md, Project layout).",
  from: { path: from },
  to: { path: to },
});

module.exports = {
  forbidden: [
    { ...below("not-to-entry", "^src/", ENTRY), from: { path: "^src/", pathNot: ENTRY } },
    below("ui-not-to-features", UI, FEATURES),
    below("engines-not-to-features-or-ui", engine(ENGINES), `${FEATURES}|${UI}`),
    // Engines in their order: each may import only those after it in ENGINES.
    ...ENGINES.slice(1).map((name, i) =>
      below(`${name}-not-to-earlier-engines`, engine([name]), engine(ENGINES.slice(0, i + 1))),
    ),
    below("model-not-up", MODEL, `${ENTRY}|${FEATURES}|${UI}|${engine(ENGINES)}`),
    below("lib-not-up", LIB, `${ENTRY}|${FEATURES}|${UI}|${engine(ENGINES)}|${MODEL}`),
    below("db-not-up", "^src/db/", `^src/(?!db/)`),
    {
      name: "no-circular-folders",
      severity: "error",
      comment: "Two folders that import each other cannot be read apart; each features/<name> counts as a folder.",
      scope: "folder",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "no-circular",
      severity: "error",
      comment: "Modules in a circle load in an order that depends on who imports first.",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    includeOnly: "^src/",
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
