// Regression (found by test/trust/fuzz.test.ts): objects of the spec that contain themselves (billing's
// AllocationRuleExpression.Children) let a JSON body nest as deep as its size allows, and validation recursed
// until the stack overflowed, answering InternalError. Objects now nest at most 32 levels; deeper is InvalidParameter.
// The official client cannot serialise an object this deep itself (its JSON writer recurses too), so the body is
// written by hand and signed with the official SDK's signer.
import { expect, it } from "vitest";
import { commonClient, rawTc3, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
serverForFile((started) => (server = started));

const nest = (levels: number) => {
  let rule: Record<string, unknown> = { RuleKey: "k" };
  for (let i = 0; i < levels; i++) rule = { Children: [rule] };
  return rule;
};

it("a rule expression nested 100,000 deep is InvalidParameter, not InternalError", async () => {
  const levels = 100_000;
  const body = `{"Id":1,"RuleDetail":${'{"Children":['.repeat(levels)}{}${"]}".repeat(levels)}}`;
  const res = await rawTc3(server, { action: "ModifyGatherRule", version: "2018-07-09", body });
  expect(res.json.Response.Error.Code).toBe("InvalidParameter");
  expect(res.json.Response.Error.Message).toContain("RuleDetail.Children.0");
});

it("the official client gets InvalidParameter for 40 levels and reaches the action with 30", async () => {
  const client = commonClient(server, "2018-07-09", { region: null });
  expect((await sdkError(client.request("ModifyGatherRule", { Id: 1, RuleDetail: nest(40) }))).code).toBe("InvalidParameter");
  // Billing is served but not built yet: a valid request reaches the registry's not-implemented answer.
  expect((await sdkError(client.request("ModifyGatherRule", { Id: 1, RuleDetail: nest(30) }))).code).toBe("UnsupportedOperation");
});
