// A cross-site attack on a signed-in console, in the real browser: a page of another site (localhost, where the
// console is at 127.0.0.1) that posts a launch to the console's call path by a form and by fetch, in the browser that
// holds the session cookie. Both are refused and nothing is launched.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signedIn, startConsole, type ConsoleRig } from "../helpers/console-browser.js";
import { cvmClient } from "../helpers/server.js";

let rig: ConsoleRig;
let evil: Server;
let evilPort: number;

/** The attacker's page: a form whose text/plain body is the JSON of a launch, sent as soon as the page loads. */
function attack(target: string): string {
  const launch = JSON.stringify({ Version: "2017-03-12", Action: "RunInstances", Region: "ap-guangzhou", Params: { Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-487zeit5", InstanceType: "S5.MEDIUM4" }, pad: "" });
  // text/plain sends name=value: the name holds the JSON up to the padding, which "=" and the empty value close.
  const name = launch.slice(0, -2);
  return `<!doctype html><title>prize</title>
<form method="POST" action="${target}" enctype="text/plain"><input type="hidden" name='${name}' value='"}'></form>
<script>
fetch(${JSON.stringify(target)}, { method: "POST", mode: "no-cors", credentials: "include", headers: { "Content-Type": "text/plain" }, body: ${JSON.stringify(launch)} })
  .finally(() => document.forms[0].submit());
</script>`;
}

beforeAll(async () => {
  rig = await startConsole();
  evil = createServer((_req, res) => res.writeHead(200, { "Content-Type": "text/html" }).end(attack(`${rig.server.url}/console/api/call`)));
  await new Promise<void>((r) => evil.listen(0, "127.0.0.1", () => r()));
  evilPort = (evil.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => evil?.close(r));
  await rig?.close();
});

it("refuses a cross-site POST from another site's page in the browser holding the session, and launches nothing", { timeout: 60_000 }, async () => {
  const cvm = cvmClient(rig.server);
  const before = (await cvm.DescribeInstances({})).TotalCount;
  const { page, context } = await signedIn(rig);
  const cookies = await context.cookies(rig.base);
  expect(cookies.map((c) => [c.name, c.sameSite, c.httpOnly])).toEqual([["opencvm_console", "Strict", true]]);

  const victim = await context.newPage();
  const answered = victim.waitForResponse((r) => r.url() === `${rig.server.url}/console/api/call` && r.request().resourceType() === "document");
  await victim.goto(`http://localhost:${evilPort}/`);
  const response = await answered;
  expect(response.status()).toBe(403);
  expect(((await response.json()) as { Error: { Code: string } }).Error.Code).toBe("AuthFailure.CrossSite");

  // The console's own page still works with its session, and the cloud has no new instance.
  await page.reload();
  await page.getByRole("heading", { name: "Instances" }).waitFor();
  expect((await cvm.DescribeInstances({})).TotalCount).toBe(before);
  await context.close();
});
