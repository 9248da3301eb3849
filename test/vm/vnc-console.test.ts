// DescribeInstanceVncUrl with the qemu backend: the address the official SDK gets is this server's websocket, which
// carries the real machine's VNC (QEMU's RFB greeting, then a whole handshake down to the server's name), once and
// within 15 seconds, for the instance's own account; the noVNC page served beside it connects in a real browser.
// The machine's serial console is read through the admin path and the CLI.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import { imageIdOf } from "../../src/compute/qemu/image-dir.js";
import { TICKET_LIFETIME_MS } from "../../src/domain/console-tickets.js";
import { waitFor, ZONE } from "../helpers/instances.js";
import { cleanUp } from "../helpers/qemu-processes.js";
import { opencvm } from "../helpers/cli.js";
import { admin, cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";
import { writeTinyImages } from "../helpers/tiny-guest.js";
import { openVnc as open } from "../helpers/vnc-client.js";

const BOOT_MS = 120_000;
const work = mkdtempSync(join(tmpdir(), "opencvm-vnc-"));
const images = join(work, "images");

let server: TestServer;
let instanceId: string;
const cvm = () => cvmClient(server, { language: "en-US" });

const vncAddress = async () => decodeURIComponent((await cvm().DescribeInstanceVncUrl({ InstanceId: instanceId })).InstanceVncUrl!);

beforeAll(async () => {
  writeTinyImages(images, join(work, "build"));
  server = await startServer({ OPENCVM_DATA: join(work, "data"), OPENCVM_COMPUTE: "qemu", OPENCVM_IMAGES: images });
  [instanceId] = (await cvm().RunInstances({ Placement: { Zone: ZONE }, ImageId: imageIdOf("tiny"), InstanceType: "S5.SMALL1" })).InstanceIdSet!;
  await waitFor(cvm(), [instanceId], "RUNNING", BOOT_MS);
}, BOOT_MS + 30_000);

afterAll(() => cleanUp(server, work));

group("the VNC console of a qemu machine", () => {
  it("answers a URL-encoded websocket address on this server that speaks the machine's RFB, down to its name", async () => {
    const { InstanceVncUrl } = await cvm().DescribeInstanceVncUrl({ InstanceId: instanceId });
    expect(InstanceVncUrl).toMatch(/^ws%3A%2F%2F127\.0\.0\.1%3A\d+%2Fvnc%3Fs%3D[\w-]{32}$/);
    const address = decodeURIComponent(InstanceVncUrl!);
    expect(address).toBe(`ws://127.0.0.1:${server.port}/vnc?s=${new URL(address).searchParams.get("s")}`);

    const { ws, read } = await open(address);
    expect(ws.protocol).toBe("binary");
    expect((await read(12)).toString()).toBe("RFB 003.008\n");
    ws.send(Buffer.from("RFB 003.008\n"));
    // QEMU's socket asks no password: one security type, None (1), then an OK result.
    expect([...(await read(2))]).toEqual([1, 1]);
    ws.send(Buffer.from([1]));
    expect((await read(4)).readUInt32BE(0)).toBe(0);
    ws.send(Buffer.from([1])); // ClientInit, shared
    const init = await read(24);
    expect([init.readUInt16BE(0), init.readUInt16BE(2)]).toEqual([expect.any(Number), expect.any(Number)]);
    expect(init.readUInt16BE(0)).toBeGreaterThan(0);
    const name = (await read(init.readUInt32BE(20))).toString();
    expect(name).toContain(instanceId);
    ws.close();
  });

  it("refuses an address used once already, and one older than its 15 seconds", async () => {
    const used = await vncAddress();
    const late = await vncAddress();
    const first = await open(used);
    expect((await first.read(12)).toString()).toBe("RFB 003.008\n");
    await expect(open(used)).rejects.toThrow("refused: 403");
    first.ws.close();
    await new Promise((r) => setTimeout(r, TICKET_LIFETIME_MS + 1000));
    await expect(open(late)).rejects.toThrow("refused: 403");
  }, TICKET_LIFETIME_MS + 20_000);

  it("gives another account no address for the instance, and an invented ticket nothing", async () => {
    const other = (await (await admin(server, "/_opencvm/accounts", {})).json()) as { SecretId: string; SecretKey: string };
    const theirs = cvmClient(server, { language: "en-US", secretId: other.SecretId, secretKey: other.SecretKey });
    const err = await sdkError(theirs.DescribeInstanceVncUrl({ InstanceId: instanceId }));
    expect(err.code).toBe("InvalidInstanceId.NotFound");
    await expect(open(`ws://127.0.0.1:${server.port}/vnc?s=${"A".repeat(32)}`)).rejects.toThrow("refused: 403");
    await expect(open(`ws://127.0.0.1:${server.port}/elsewhere`)).rejects.toThrow("refused: 404");
  });

  it("serves the noVNC page, which shows the machine's screen in a browser", async () => {
    const page = await fetch(new URL("/vnc/index.html", server.url));
    expect([page.status, page.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    expect(await page.text()).toContain('src="console.js"');
    const rfb = await fetch(new URL("/vnc/novnc/core/rfb.js", server.url));
    expect([rfb.status, (await rfb.text()).includes("export default class RFB")]).toEqual([200, true]);
    expect((await fetch(new URL("/vnc/novnc/%2e%2e/package.json", server.url))).status).toBe(404);

    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
    try {
      const tab = await browser.newPage();
      const { InstanceVncUrl } = await cvm().DescribeInstanceVncUrl({ InstanceId: instanceId });
      await tab.goto(`${server.url}/vnc/index.html?InstanceVncUrl=${InstanceVncUrl}`);
      await tab.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
      expect(await tab.locator("#screen canvas").count()).toBe(1);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it("keeps the serial console, readable through the admin path and the CLI", async () => {
    // The guest writes its line once booted, which a loaded machine may not have finished yet.
    const serial = async () => ((await (await admin(server, `/_opencvm/vms/${instanceId}/serial?Bytes=100000`)).json()) as { SerialLog: string }).SerialLog;
    const until = Date.now() + BOOT_MS;
    while (!(await serial()).includes("tiny-guest up") && Date.now() < until) await new Promise((r) => setTimeout(r, 500));
    expect(await serial()).toContain("tiny-guest up");
    expect((await admin(server, `/_opencvm/vms/${instanceId}/serial?Bytes=0`)).status).toBe(400);
    const cli = await opencvm(["vms", "serial", instanceId, "--port", String(server.port)]);
    expect([cli.code, cli.stdout.includes("tiny-guest up")]).toEqual([0, true]);
    const shown = await opencvm(["vms", "show", instanceId, "--port", String(server.port)]);
    expect(shown.stdout).toMatch(new RegExp(`^${instanceId}  running  pid \\d+  (tcg|kvm)\n`));
  }, BOOT_MS + 70_000);
});
