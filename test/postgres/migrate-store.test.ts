// `opencvm migrate-store`: a cloud made on SQLite, copied to an empty PostgreSQL database, is the same cloud there:
// its instances in their order, balances, bills and keys, and new resources get new keys after the copied ones.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { start } from "../../src/main.js";
import { createDatabase, type TestDatabase } from "../helpers/databases.js";
import { launch, waitFor } from "../helpers/instances.js";
import { commonClient, cvmClient, SECRET_ID, SECRET_KEY, startServer, type TestServer } from "../helpers/server.js";

const cli = (...args: string[]) => promisify(execFile)(process.execPath, ["--import", "tsx", "src/cli.ts", ...args]);
const databases: TestDatabase[] = [];
afterAll(() => Promise.all(databases.map((d) => d.drop())));

it("copies instances, money, bills and keys, and the copy goes on from there", async () => {
  const data = mkdtempSync(join(tmpdir(), "opencvm-migrate-"));
  // On SQLite, whatever project runs this file.
  const config = loadConfig({ OPENCVM_PORT: "0", OPENCVM_DATA: data, OPENCVM_SECRET_ID: SECRET_ID, OPENCVM_SECRET_KEY: SECRET_KEY, OPENCVM_RATE_LIMIT: "off", OPENCVM_TIMING: "instant" }, []);
  const sqlite = await start(config, { log: createLogger("silent") });
  const before = { endpoint: `127.0.0.1:${sqlite.port}` } as TestServer;
  const ids = (await launch(cvmClient(before), { InstanceCount: 3 })).InstanceIdSet!;
  await waitFor(cvmClient(before), ids, "RUNNING");
  await sqlite.timekeeper.advance(2 * 3600_000);
  const listed = await cvmClient(before).DescribeInstances({ Limit: 100 });
  const balance = await commonClient(before, "2018-07-09").request("DescribeAccountBalance", {});
  const bills = await commonClient(before, "2018-07-09").request("DescribeBillDetail", { Month: sqlite.clock.now().toISOString().slice(0, 7), Offset: 0, Limit: 100 });
  await sqlite.close();

  const target = await createDatabase();
  databases.push(target);
  const out = await cli("migrate-store", "--from", data, "--to", target.url);
  expect(out.stdout).toMatch(/instances: 3 rows/);
  await expect(cli("migrate-store", "--from", data, "--to", target.url)).rejects.toThrow(/not empty/);

  // The SecretKeys travel sealed: the nodes on PostgreSQL use the data directory's store key.
  const pg = await startServer({ OPENCVM_DATABASE_URL: target.url, OPENCVM_TIMING: "instant", OPENCVM_STORE_KEY_FILE: join(data, "store-key") });
  try {
    const after = await cvmClient(pg).DescribeInstances({ Limit: 100 });
    expect(after.InstanceSet!.map((i) => [i.InstanceId, i.InstanceState, i.PrivateIpAddresses])).toEqual(listed.InstanceSet!.map((i) => [i.InstanceId, i.InstanceState, i.PrivateIpAddresses]));
    expect(await commonClient(pg, "2018-07-09").request("DescribeAccountBalance", {})).toMatchObject({ Balance: (balance as { Balance: number }).Balance });
    const month = pg.clock.now().toISOString().slice(0, 7);
    expect(((await commonClient(pg, "2018-07-09").request("DescribeBillDetail", { Month: month, Offset: 0, Limit: 100 })) as { Total: number }).Total).toBe((bills as { Total: number }).Total);
    // New rows take keys after the copied ones: the new instance lists first, and no address is reused.
    const [fresh] = (await launch(cvmClient(pg))).InstanceIdSet!;
    const [first] = (await cvmClient(pg).DescribeInstances({ Limit: 1 })).InstanceSet!;
    expect(first.InstanceId).toBe(fresh);
    expect(after.InstanceSet!.flatMap((i) => i.PrivateIpAddresses)).not.toContain(first.PrivateIpAddresses![0]);
  } finally {
    await pg.close();
  }
}, 120_000);
