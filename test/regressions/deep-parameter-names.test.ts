// Regression (found by test/trust/fuzz.test.ts): a query or form parameter name of thousands of dots
// (A.A.A…B) made un-flattening recurse once per segment until the stack overflowed, answering InternalError.
// Names now nest at most 64 segments; deeper ones are InvalidParameter.
import { expect, it } from "vitest";
import { commonClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
serverForFile((started) => (server = started));

it("a deeply dotted parameter name is InvalidParameter in a query and in a form, not InternalError", async () => {
  for (const [signMethod, reqMethod, depth] of [["HmacSHA1", "GET", 10_000], ["HmacSHA256", "POST", 200_000]] as const) {
    const client = commonClient(server, "2017-03-12", { signMethod, reqMethod });
    const err = await sdkError(client.request("DescribeInstances", { [`${"A.".repeat(depth)}B`]: "1" }));
    expect(err.code, err.message.slice(0, 200)).toBe("InvalidParameter");
  }
});

it("names as deep as the spec's inputs still work", async () => {
  const client = commonClient(server, "2017-03-12", { signMethod: "HmacSHA256", reqMethod: "POST" });
  const out = await client.request("DescribeInstances", { Filters: [{ Name: "zone", Values: ["ap-guangzhou-3"] }] });
  expect(out).toMatchObject({ TotalCount: 0 });
});
