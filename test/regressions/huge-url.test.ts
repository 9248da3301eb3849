// Regression (found by test/trust/fuzz.test.ts): a GET whose URL passed Node's header limit (64 KB, twice the
// documented 32 KB) was refused by Node's HTTP parser with a bare 431 and no envelope, so the SDK threw without an
// error code. It is now answered like any URL over the limit: HTTP 200, RequestSizeLimitExceeded, a RequestId.
import { expect, it } from "vitest";
import { commonClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
serverForFile((started) => (server = started));

it("a 100 KB query is RequestSizeLimitExceeded with a RequestId, and the server keeps serving", async () => {
  const client = commonClient(server, "2017-03-12", { signMethod: "HmacSHA1", reqMethod: "GET" });
  const err = await sdkError(client.request("DescribeInstances", { Filters: [{ Name: "instance-name", Values: ["x".repeat(100 * 1024)] }] }));
  expect(err.code).toBe("RequestSizeLimitExceeded");
  expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(server.logs.some((l) => l.includes(err.requestId) && l.includes("RequestSizeLimitExceeded"))).toBe(true);
  expect(await client.request("DescribeInstances", {})).toMatchObject({ TotalCount: 0 });
});

it("a malformed request line still gets Node's 400", async () => {
  const { connect } = await import("node:net");
  const answer = await new Promise<string>((resolve) => {
    const socket = connect(server.port, "127.0.0.1", () => socket.write("NOT HTTP\r\n\r\n"));
    let text = "";
    socket.on("data", (d) => (text += d.toString()));
    socket.on("close", () => resolve(text));
  });
  expect(answer).toMatch(/^HTTP\/1\.1 400 /);
});
