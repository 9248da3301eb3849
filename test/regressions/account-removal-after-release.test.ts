// Regression: DELETE /_opencvm/accounts/<id> hung once the account had held an EIP or a cloud disk that it later
// released (on SQLite it hung for any account: the table list was read outside the removal's transaction, which
// held the one connection; on PostgreSQL the account's row went before the rows naming it, refused there). The
// account is removed promptly and no row of it is left in any table.
import { expect, it } from "vitest";
import { generateKeyPair } from "../../src/keys.js";
import { ZONE } from "../helpers/instances.js";
import { commonClient, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
serverForFile((started) => (server = started));

/** Deletes the account through the admin path, within 10 s, and checks that no table keeps a row of it. */
async function deleted(appId: number): Promise<void> {
  const answer = await fetch(new URL(`/_opencvm/accounts/${appId}`, server.url), {
    method: "DELETE",
    headers: { Authorization: `Bearer ${server.adminToken.token}` },
    signal: AbortSignal.timeout(10_000),
  });
  expect(answer.status).toBe(200);
  expect(await answer.json()).toMatchObject({ AppId: appId, Deleted: true });
  const { tables } = await server.store.operator.dump();
  const left = Object.entries(tables).filter(([, rows]) => rows.some((r) => Number(r.app_id) === appId));
  expect(left.map(([name]) => name)).toEqual([]);
}

it("an account that never held anything is deleted at once", async () => {
  await deleted((await server.store.accounts.create(generateKeyPair())).appId);
});

it("an account that released its EIP and its disk is deleted at once, with every row of it", async () => {
  const key = generateKeyPair();
  const account = await server.store.accounts.create(key);
  const vpc = commonClient(server, "2017-03-12", key);
  const cbs = commonClient(server, "2017-03-12", key);
  const { AddressSet } = await vpc.request("AllocateAddresses", {});
  await vpc.request("ReleaseAddresses", { AddressIds: AddressSet });
  const { DiskIdSet } = await cbs.request("CreateDisks", { Placement: { Zone: ZONE }, DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: 20 });
  await cbs.request("TerminateDisks", { DiskIds: DiskIdSet });

  await deleted(account.appId);
});
