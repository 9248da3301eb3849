// The service's own security: what the log never holds, replays outside the time window, and limits enforced
// before a body is parsed.
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { cvmClient, rawTc3, SECRET_KEY, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
serverForFile((started) => (server = started), { OPENCVM_TIMING: "instant" });

describe("the service itself", () => {
  it("never logs a SecretKey, a signature, a password or a private key", async () => {
    const cvm = cvmClient(server);
    const key = await cvm.CreateKeyPair({ KeyName: "logged", ProjectId: 0 });
    await cvm.RunInstances({ Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-487zeit5", LoginSettings: { Password: "Sup3r-Secret-Pass" } });
    await sdkError(cvmClient(server, { secretKey: "wrong-key-value-123" }).DescribeZones());
    for (const signMethod of ["HmacSHA1", "HmacSHA256"] as const) await cvmClient(server, { signMethod }).DescribeZones();
    const log = server.logs.join("");
    expect(log).not.toContain(SECRET_KEY);
    expect(log).not.toContain("wrong-key-value-123");
    expect(log).not.toContain("Sup3r-Secret-Pass");
    expect(log).not.toContain(key.KeyPair!.PrivateKey!.split("\n")[1]);
    expect(log).not.toMatch(/Signature=[0-9a-f]{64}/);
  });

  it("refuses a captured request replayed after the 5-minute window", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await rawTc3(server, { timestamp: now - 299 })).json.Response.Error).toBeUndefined();
    expect((await rawTc3(server, { timestamp: now - 301 })).json.Response.Error.Code).toBe("AuthFailure.SignatureExpire");
  });

  it("refuses an oversized body from its Content-Length, before reading it", async () => {
    const socket = connect(server.port, "127.0.0.1");
    await new Promise<void>((r) => socket.on("connect", r));
    const answer = new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (d) => (text += d));
      socket.on("close", () => resolve(text));
    });
    // Declares 50 MB but sends nothing: the answer must come without waiting for the body.
    socket.write("POST / HTTP/1.1\r\nHost: x\r\nAuthorization: TC3-HMAC-SHA256 Credential=AKID/2026-01-01/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + "0".repeat(64) + "\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n");
    const text = await Promise.race([answer, new Promise<string>((_, reject) => setTimeout(() => reject(new Error("no answer")), 3000))]);
    expect(text).toContain("200 OK");
    expect(text).toContain("RequestSizeLimitExceeded");
    socket.destroy();
  });
});
