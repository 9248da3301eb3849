// Regression (found by test/trust/fuzz.test.ts): ModifyImageSharePermission SHARE with one account given twice in
// AccountIds inserted the same share twice and answered InternalError (a UNIQUE constraint of image_shares). An
// account given twice is now InvalidParameterValue, and the check and the write share one transaction, so racing
// shares with one account cannot both pass the AccountAlreadyExists check either.
import { expect, it } from "vitest";
import { generateKeyPair } from "../../src/keys.js";
import { launch, waitFor } from "../helpers/instances.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
let otherUin: string;
let imageId: string;
serverForFile(async (started) => {
  server = started;
  cvm = cvmClient(server);
  otherUin = (await server.store.accounts.create(generateKeyPair())).uin;
  const ids = (await launch(cvm)).InstanceIdSet!;
  await waitFor(cvm, ids, "RUNNING");
  imageId = (await cvm.CreateImage({ InstanceId: ids[0], ImageName: "shared", ForcePoweroff: "TRUE" })).ImageId!;
  await server.engine.idle();
}, { OPENCVM_TIMING: "instant" });

const shares = async () => (await cvm.DescribeImageSharePermission({ ImageId: imageId })).SharePermissionSet ?? [];

it("an account given twice is InvalidParameterValue, and nothing is shared", async () => {
  for (const Permission of ["SHARE", "CANCEL"]) {
    const err = await sdkError(cvm.ModifyImageSharePermission({ ImageId: imageId, AccountIds: [otherUin, otherUin], Permission }));
    expect(err.code).toBe("InvalidParameterValue");
  }
  expect(await shares()).toEqual([]);
});

it("of racing shares with one account, one succeeds and the others are FailedOperation.AccountAlreadyExists", async () => {
  const results = await Promise.allSettled(Array.from({ length: 8 }, () => cvm.ModifyImageSharePermission({ ImageId: imageId, AccountIds: [otherUin], Permission: "SHARE" })));
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const codes = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code: string }).code] : []));
  expect(new Set(codes)).toEqual(new Set(["FailedOperation.AccountAlreadyExists"]));
  expect((await shares()).map((s) => s.AccountId)).toEqual([otherUin]);
});
