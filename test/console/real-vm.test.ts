// The console's detail page of a real machine (the qemu backend, OpenCVM's own image) in headless Chromium: the
// launch's steps as they happen, then the serial console's output with the guest's own lines, and the screen opened
// through DescribeInstanceVncUrl in the noVNC page, which connects and draws into its canvas. One machine, booted once.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { imageIdOf } from "../../src/compute/qemu/image-dir.js";
import { signedIn, startConsole, type ConsoleRig } from "../helpers/console-browser.js";
import { guestImage, TEST_IMAGES } from "../helpers/guest-image.js";
import { ZONE } from "../helpers/instances.js";
import { cleanUp } from "../helpers/qemu-processes.js";
import { cvmClient } from "../helpers/server.js";

const BOOT_MS = 180_000;
const work = mkdtempSync(join(tmpdir(), "opencvm-console-vm-"));
let rig: ConsoleRig | undefined;

beforeAll(async () => {
  guestImage();
  rig = await startConsole({ OPENCVM_DATA: join(work, "data"), OPENCVM_COMPUTE: "qemu", OPENCVM_IMAGES: TEST_IMAGES });
}, 660_000);

afterAll(async () => {
  await rig?.browser.close();
  await cleanUp(rig?.server, work);
});

it("shows a real machine's launch steps, serial console and VNC screen", { timeout: BOOT_MS + 120_000 }, async () => {
  const { server, base } = rig!;
  const cvm = cvmClient(server, { language: "en-US" });
  const { page, context } = await signedIn(rig!);
  const launched = await cvm.RunInstances({ Placement: { Zone: ZONE }, ImageId: imageIdOf("opencvm-mini"), InstanceType: "S5.SMALL1", SystemDisk: { DiskType: "CLOUD_PREMIUM", DiskSize: 20 }, LoginSettings: { Password: "Console-Vm-2024" } });
  const [id] = launched.InstanceIdSet!;
  await page.goto(`${base}#/instances/${id}`);

  // The backend's own steps (its disks written, then QEMU started), then the result, without a reload.
  const trail = page.getByRole("list", { name: "Steps of RunInstances" });
  await trail.locator('[data-step="booting"]').waitFor({ timeout: BOOT_MS });
  await trail.locator('[data-step="SUCCESS"]').waitFor({ timeout: BOOT_MS });
  await expect(trail.locator("[data-step]").evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.step))).resolves.toEqual(["creating-disks", "booting", "SUCCESS"]);
  await page.locator('.heading [data-state="RUNNING"]').waitFor();

  // The serial console, read again as a person would until the guest says it is up.
  const serial = page.getByRole("region", { name: "Serial console" });
  const until = Date.now() + BOOT_MS;
  while (!((await serial.locator("pre").textContent({ timeout: 30_000 })) ?? "").includes("opencvm: ssh ready") && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 2000));
    await serial.getByRole("button", { name: "Refresh" }).click();
  }
  await expect(serial.locator("pre").textContent()).resolves.toContain("opencvm: ssh ready");
  await expect(serial.locator("pre").textContent()).resolves.toContain(`opencvm: instance ${id}`);

  // The screen: the address DescribeInstanceVncUrl gives, opened in the noVNC page in a new tab.
  await page.getByRole("button", { name: "Screen (VNC)" }).click();
  const [screen] = await Promise.all([context.waitForEvent("page"), page.getByRole("link", { name: "Open the screen in a new tab" }).click()]);
  await screen.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
  expect(await screen.locator("#screen canvas").count()).toBe(1);
  const drawn = await screen.locator("#screen canvas").evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
  expect(drawn[0]).toBeGreaterThan(0);
  expect(drawn[1]).toBeGreaterThan(0);
  await context.close();
});
