// opencvm migrate-store: copies a stopped server's SQLite data directory into an empty PostgreSQL database
// (docs/operations.md, "Moving a cloud from SQLite to PostgreSQL").
import type { Command } from "commander";
import { ConfigError } from "../config.js";
import { join } from "node:path";
import { copyStore } from "../store/copy.js";
import { STORE_KEY_FILE } from "../store/secret-box.js";
import { print } from "./context.js";

export function migrateStoreCommand(program: Command): void {
  program
    .command("migrate-store")
    .description("copies a cloud from a SQLite data directory into an empty PostgreSQL database")
    .requiredOption("--from <dir>", "the data directory of the stopped SQLite server")
    .requiredOption("--to <url>", "the target database, postgres://user:password@host:5432/db")
    .action(async (o: { from: string; to: string }) => {
      if (!/^postgres(ql)?:\/\//i.test(o.to)) throw new ConfigError(`--to must be a postgres:// URL, not "${o.to.replace(/:[^:@/]*@/, ":***@")}".`);
      const started = Date.now();
      const copied = await copyStore(o.from, o.to, (c) => print(`${c.table}: ${c.rows} rows`));
      const rows = copied.reduce((n, c) => n + c.rows, 0);
      print(`Copied ${rows} rows of ${copied.length} tables in ${((Date.now() - started) / 1000).toFixed(1)} s; start the nodes with OPENCVM_DATABASE_URL set to the target and OPENCVM_STORE_KEY_FILE to a copy of ${join(o.from, STORE_KEY_FILE)} (the SecretKeys are copied sealed with it).`);
    });
}
