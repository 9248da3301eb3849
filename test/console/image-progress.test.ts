// An image made through the console, in headless Chromium: CreateImage's steps show in the new image's row on the
// images page while it is captured (not under the instance it is captured from), and the row reads NORMAL when done.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedIn, startConsole, type ConsoleRig } from "../helpers/console-browser.js";
import { launch, waitFor } from "../helpers/instances.js";
import { cvmClient } from "../helpers/server.js";

let rig: ConsoleRig;
beforeAll(async () => void (rig = await startConsole({ OPENCVM_TIMING: "fast" })));
afterAll(() => rig?.close());

describe("an image's progress in the console", () => {
  it("shows CreateImage's steps under the new image", { timeout: 120_000 }, async () => {
    const cvm = cvmClient(rig.server);
    const [instanceId] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [instanceId], "RUNNING", 30_000);
    const { page, context } = await signedIn(rig);
    await page.goto(`${rig.base}#/images`);
    await page.getByRole("tab", { name: "Custom" }).click();
    // Every step each image row shows, as a person watching would have seen them.
    await page.evaluate(() => {
      const steps: Record<string, string[]> = {};
      Object.assign(window, { steps });
      new MutationObserver(() => {
        for (const row of document.querySelectorAll<HTMLElement>("tr[data-image]")) {
          const shown = (steps[row.dataset.image!] ??= []);
          for (const step of row.querySelectorAll<HTMLElement>(".trail [data-step]")) if (!shown.includes(step.dataset.step!)) shown.push(step.dataset.step!);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByRole("button", { name: "Create an image" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Instance").selectOption(instanceId);
    await dialog.getByLabel("Name").fill("console-capture");
    await dialog.getByRole("button", { name: "Confirm" }).click();

    const row = page.locator("tr[data-image]", { hasText: "console-capture" });
    await row.waitFor();
    const imageId = (await row.getAttribute("data-image"))!;
    await row.locator('[data-state="NORMAL"]', { hasText: "Normal" }).waitFor({ timeout: 60_000 });
    const steps = await page.evaluate(() => (window as unknown as { steps: Record<string, string[]> }).steps);
    expect(steps[imageId]).toEqual(["capturing-image"]);
    // Nothing of it was shown as other work above the table: it was the row's.
    await expect(page.locator("[data-resource]").count()).resolves.toBe(0);
    await context.close();
  });
});
