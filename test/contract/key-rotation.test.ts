// A key rotated or deleted through the admin paths stops working on the next call, though the server had just
// answered with it (and held it in its cache of keys); the new key works at once.
import { expect, it } from "vitest";
import { generateKeyPair } from "../../src/keys.js";
import { admin, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
serverForFile((started) => (server = started));

const zones = (key: { secretId: string; secretKey: string }) => cvmClient(server, key).DescribeZones();

it("refuses the old key on the very next call after a rotation, and takes the new one", async () => {
  const old = generateKeyPair();
  const { appId } = await server.store.accounts.create(old);
  expect((await zones(old)).TotalCount).toBeGreaterThan(0);
  const rotated = (await (await admin(server, `/_opencvm/accounts/${appId}/keys`, {})).json()) as { SecretId: string; SecretKey: string; Disabled: string[] };
  expect(rotated.Disabled).toEqual([old.secretId]);
  expect((await sdkError(zones(old))).code).toBe("AuthFailure.SecretIdNotFound");
  expect((await zones({ secretId: rotated.SecretId, secretKey: rotated.SecretKey })).TotalCount).toBeGreaterThan(0);
});

it("refuses a deleted account's key on the very next call", async () => {
  const key = generateKeyPair();
  const { appId } = await server.store.accounts.create(key);
  expect((await zones(key)).TotalCount).toBeGreaterThan(0);
  const answer = await fetch(new URL(`/_opencvm/accounts/${appId}`, server.url), { method: "DELETE", headers: { Authorization: `Bearer ${server.adminToken.token}` } });
  expect(answer.status).toBe(200);
  expect((await sdkError(zones(key))).code).toBe("AuthFailure.SecretIdNotFound");
});
