// The layer rules of docs/architecture.md ("Layers"), checked on every `npm test` by test/architecture.test.ts.
// Each layer lists what it may import inside src/; anything else is a violation, and so is any import cycle.
// A rule's comment is the reason printed with its violations. Tests beside the code (*.test.ts) are left out: a test
// may reach into whatever it checks.

/** An import from `from` to anything in src/ but `allowed` (regular expressions on paths under src/). */
function layer(name, from, allowed, comment) {
  return { name, comment, severity: "error", from: { path: from }, to: { path: "^src/", pathNot: `^src/(${allowed.join("|")})` } };
}

// The specification as data (generated from shared/spec): what each action takes, answers and documents.
const SPEC = "api/(spec|spec-types)\\.ts$|api/generated/";
// The accounts' money: ledger, rating, metering and bill lines, which requests and the instance service both write.
const MONEY = "billing/(ledger|rating|metering|bill-lines)\\.ts$";
// What a tenant may name as an image's source (compute/image-source.ts): the handler checks it up front, the backend
// again as it fetches.
const IMPORT_POLICY = "compute/image-source\\.ts$";

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "Modules that import each other cannot be read, tested or replaced one at a time; a shared part belongs below both.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    layer("domain", "^src/domain/", ["domain/"], "domain/ is pure rules and data types with no I/O: everything may use it, so it uses nothing else."),
    layer("catalog", "^src/catalog/", ["catalog/", "domain/"], "The built-in catalog is data in the catalog file's shape; it knows only the domain types."),
    layer("compute", "^src/compute/", ["compute/", "domain/"], "Backends are driven by the engine and know nothing of requests, the store or billing."),
    layer("store", "^src/store/", ["store/", "domain/"], "The store keeps records; it is given a Rater rather than knowing billing, so any dialect serves every layer."),
    layer("engine", "^src/engine/", ["engine/", "compute/", "store/", "domain/", "log\\.ts$"], "The engine runs queued operations against the backend and the store; it never calls actions, billing or the api."),
    layer(
      "instances",
      "^src/instances/",
      ["instances/", MONEY, "store/", "domain/", "deps\\.ts$", "config\\.ts$", SPEC],
      "The instance service acts for a request or a system job alike: it may charge through the ledger and read which codes an action documents, but never calls handlers, the api's handler contract or billing's jobs.",
    ),
    layer(
      "billing-money",
      `^src/${MONEY}`,
      [MONEY, "store/", "domain/", "deps\\.ts$", "config\\.ts$"],
      "The ledger and rating sit below the instance service, which charges through them; they must not call back into it.",
    ),
    layer(
      "billing",
      "^src/billing/",
      ["billing/", "instances/", "store/", "domain/", "deps\\.ts$", "config\\.ts$", "log\\.ts$"],
      "Billing's jobs (terms, action timers, the timekeeper) change instances through the instance service, as a named system job; billing never calls action handlers or uses the api's handler contract.",
    ),
    layer(
      "actions",
      "^src/actions/",
      ["actions/", "api/action\\.ts$", SPEC, "instances/", MONEY, "store/", "domain/", "deps\\.ts$", "config\\.ts$", IMPORT_POLICY],
      "Handlers read validated params and call the instance service, the store and the domain; they never reach the wire protocol, the engine, the backends or billing's jobs. ImportImage checks its source with the operator's import policy before queueing, the same rules the backend applies when it fetches.",
    ),
    layer("api", "^src/api/", ["api/", "store/", "domain/", "deps\\.ts$"], "The registry, validation and handler contract know no handler: actions/index.ts hands the registry its actions."),
    layer(
      "http",
      "^src/http/",
      ["http/", "api/", "billing/", "store/", "domain/", "compute/backend\\.ts$", "deps\\.ts$", "config\\.ts$", "log\\.ts$", "event-file\\.ts$", "keys\\.ts$", "default-account\\.ts$"],
      "The pipeline speaks the wire protocol and hands requests to the registry; it calls no handler directly. The admin routes use billing's clock, the event log, accounts' keys; metrics read the backend's interface.",
    ),
    {
      name: "cli",
      comment: "The command line acts through the admin routes, on a running server or a data directory; it never calls handlers or runs the engine itself.",
      severity: "error",
      from: { path: "^src/cli/" },
      to: { path: "^src/(actions|engine)/" },
    },
    layer("deps", "^src/deps\\.ts$", ["config\\.ts$", "log\\.ts$", "store/", "domain/", IMPORT_POLICY], "Deps only names the service's parts (the import policy among them); it must not pull any layer's code in."),
    layer("config", "^src/config\\.ts$", ["domain/", "compute/"], "Configuration is read once at the top and handed down; it names the backends' options and nothing more."),
  ],
  options: {
    // Type-only imports count: a layer that needs another's types depends on it all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.test\\.ts$" },
  },
};
