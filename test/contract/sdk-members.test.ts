// The generated specification against the newest official SDK's models: every output member the SDK declares is
// in the spec (scripts/gen-spec.ts adds those the tccli data lacks), and DescribeInstances answers the ones it
// added. Services whose SDK package is not installed here (vpc, billing: only the common client is) are named.
import { afterAll, beforeAll, expect, it } from "vitest";
import { serviceSpec } from "../../src/api/spec.js";
import { installedModels, membersSpecLacks } from "../../scripts/sdk-models.js";
import { describe, launch, waitFor } from "../helpers/instances.js";
import { cvmClient, startServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ OPENCVM_TIMING: "instant" });
});
afterAll(() => server.close());

it("lists no output member the SDK's models have and the generated spec lacks", () => {
  const lacking = (["cvm", "vpc", "billing"] as const).map((s) => {
    const models = installedModels(s, serviceSpec(s).version);
    return [s, models ? membersSpecLacks(serviceSpec(s), models).map((l) => `${l.object}.${l.member.name}`) : "no SDK models installed"];
  });
  expect(Object.fromEntries(lacking)).toEqual({ cvm: [], vpc: "no SDK models installed", billing: "no SDK models installed" });
});

it("answers the members the SDK added (HostName, EnableJumboFrame) and null where the spec says a member is null", async () => {
  const cvm = cvmClient(server);
  const [id] = (await launch(cvm, { HostName: "web-1" })).InstanceIdSet!;
  const [i] = await waitFor(cvm, [id], "RUNNING");
  expect(i).toMatchObject({ HostName: "web-1", EnableJumboFrame: false, InstanceChargeType: "POSTPAID_BY_HOUR", RenewFlag: null, ExpiredTime: null });
  const [prepaid] = (await launch(cvm, { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } })).InstanceIdSet!;
  const [p] = await describe(cvm, [prepaid]);
  expect(p.RenewFlag).toBe("NOTIFY_AND_MANUAL_RENEW");
  expect(p.ExpiredTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});
