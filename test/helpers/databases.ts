// A fresh PostgreSQL database per test server, on the server the PostgreSQL project's set-up provides
// (test/setup/postgres.ts), dropped when the test server closes.
import { randomBytes } from "node:crypto";
import pg from "pg";

/** Whether this run's test servers keep their cloud in PostgreSQL (the `postgres` vitest project). */
export const ON_POSTGRES = process.env.OPENCVM_TEST_STORE === "postgres";

function adminUrl(): string {
  const url = process.env.OPENCVM_TEST_DATABASE_URL;
  if (!url) throw new Error("OPENCVM_TEST_STORE=postgres needs OPENCVM_TEST_DATABASE_URL (test/setup/postgres.ts sets it)");
  return url;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createDatabase(): Promise<TestDatabase> {
  const name = `opencvm_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))) };
}

const named = new Map<string, Promise<string>>();

/**
 * Where a test's server keeps the cloud of data directory `data`: the directory itself on SQLite; on PostgreSQL, a
 * database of its own, the same one each time this process names the directory (a restart finds its cloud again;
 * it goes when the set-up's server stops).
 */
export function storeFor(data: string): Promise<string> {
  if (!ON_POSTGRES) return Promise.resolve(data);
  let url = named.get(data);
  if (!url) {
    url = createDatabase().then((d) => d.url);
    named.set(data, url);
  }
  return url;
}
