// The console end to end in headless Chromium against a real server: launching through the wizard and watching the
// states and the launch's steps change live, stopping, terminating, and the quota page following launches made
// through the SDK.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { signedIn, startConsole, type ConsoleRig } from "../helpers/console-browser.js";
import { cvmClient } from "../helpers/server.js";

let rig: ConsoleRig;
beforeAll(async () => {
  // Realistic timing: a launch takes 15-30 s, so the page is sure to show PENDING before RUNNING however busy the machine.
  rig = await startConsole({ OPENCVM_TIMING: "realistic" });
});
afterAll(() => rig?.close());

/**
 * Records, in the page, every state each instance row has shown and every step of an operation under way it has
 * shown (in the order they first appeared): what a person watching would have seen.
 */
async function watchStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    const steps: Record<string, string[]> = {};
    Object.assign(window, { seen, steps, marker: true });
    const note = () => {
      for (const row of document.querySelectorAll<HTMLElement>("tr[data-instance]")) {
        const id = row.dataset.instance!;
        const state = row.querySelector<HTMLElement>("[data-state]")?.dataset.state ?? "";
        const list = (seen[id] ??= []);
        if (list[list.length - 1] !== state) list.push(state);
        const shown = (steps[id] ??= []);
        for (const step of row.querySelectorAll<HTMLElement>(".trail [data-step]")) if (!shown.includes(step.dataset.step!)) shown.push(step.dataset.step!);
      }
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

async function statesSeen(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => (window as unknown as { seen: Record<string, string[]> }).seen);
}

async function stepsSeen(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => (window as unknown as { steps: Record<string, string[]> }).steps);
}

async function rowsNamed(page: Page, name: string): Promise<string[]> {
  return page.locator("tr[data-instance]", { hasText: name }).evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.instance!));
}

async function stateOf(page: Page, id: string): Promise<string | undefined> {
  return (await page.locator(`tr[data-instance="${id}"] [data-state]`).getAttribute("data-state")) ?? undefined;
}

async function waitForState(page: Page, ids: string[], state: string, timeout = 60_000): Promise<void> {
  for (const id of ids) await page.locator(`tr[data-instance="${id}"] [data-state="${state}"]`).waitFor({ timeout });
}

/** Goes through every step of the wizard with its defaults but for the login, name and count, and launches. */
async function launchThroughWizard(page: Page, name: string, count: number, zone = "ap-guangzhou-3"): Promise<void> {
  await page.getByRole("link", { name: "Launch instances" }).first().click();
  await page.getByLabel("Zone").locator(`option[value="${zone}"]`).waitFor({ state: "attached" });
  await page.getByLabel("Zone").selectOption(zone);
  await page.getByRole("button", { name: "Next" }).click(); // where
  await page.locator('input[name="type"]:checked').waitFor();
  await page.getByRole("button", { name: "Next" }).click(); // machine
  await page.getByRole("button", { name: "Next" }).click(); // image
  await page.getByRole("button", { name: "Next" }).click(); // storage
  await page.getByRole("button", { name: "Next" }).click(); // network
  const password = page.getByRole("textbox", { name: "Password" });
  await password.fill("short");
  // The documented rules are checked as the password is typed, and the wizard will not go on.
  await expect(page.locator(".hint .bad").textContent()).resolves.toMatch(/8 to 30/);
  await expect(page.getByRole("button", { name: "Next" }).isDisabled()).resolves.toBe(true);
  await password.fill("Console-Passw0rd");
  await page.locator(".hint .good").waitFor();
  await page.getByLabel("Instance name").fill(name);
  await page.getByLabel("Count").fill(String(count));
  await page.getByRole("button", { name: "Next" }).click(); // login
  // The review shows the inquiry's price and the quota left in the zone before anything is bought.
  await page.locator('[data-testid="price"]', { hasText: /\d/ }).waitFor();
  await page.locator('[data-testid="quota-left"]', { hasText: /Quota left/ }).waitFor();
  await page.getByRole("button", { name: "Launch", exact: true }).click();
}

describe("instances through the console", () => {
  it("launches two through the wizard, watches them reach RUNNING without a reload, stops one and terminates both", { timeout: 240_000 }, async () => {
    const { page, context } = await signedIn(rig);
    await watchStates(page);
    await launchThroughWizard(page, "wizard-web", 2);

    await page.waitForURL(/#\/instances$/);
    await page.locator("tr[data-instance]", { hasText: "wizard-web" }).nth(1).waitFor();
    const ids = await rowsNamed(page, "wizard-web");
    expect(ids).toHaveLength(2);
    await waitForState(page, ids, "RUNNING", 90_000);
    const seen = await statesSeen(page);
    for (const id of ids) expect(seen[id]).toEqual(["PENDING", "RUNNING"]);
    // While PENDING, each row showed the launch's steps as they began, from the event stream.
    const steps = await stepsSeen(page);
    for (const id of ids) expect(steps[id]).toEqual(["creating-disks", "booting"]);
    await expect(page.locator("tr[data-instance] .trail").count()).resolves.toBe(0);
    // The same page all along: a reload would have dropped the marker set before the launch.
    await expect(page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).resolves.toBe(true);

    // Stop one, hard and without charging, after confirming.
    await page.getByRole("checkbox", { name: ids[0] }).check();
    await page.getByRole("button", { name: "Stop", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Stop type").selectOption("HARD");
    await dialog.getByLabel("Charging while stopped").selectOption("STOP_CHARGING");
    await dialog.getByRole("button", { name: "Confirm" }).click();
    await page.getByRole("status").filter({ hasText: "RequestId" }).waitFor();
    await waitForState(page, [ids[0]], "STOPPED", 60_000);
    expect(await stateOf(page, ids[1])).toBe("RUNNING");

    // Terminate both.
    for (const id of ids) await page.getByRole("checkbox", { name: id }).check();
    await page.getByRole("button", { name: "Terminate" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Confirm" }).click();
    await waitForState(page, ids, "TERMINATED", 60_000);
    const after = await statesSeen(page);
    expect(after[ids[0]]).toEqual(["PENDING", "RUNNING", "STOPPING", "STOPPED", "TERMINATING", "TERMINATED"]);
    expect(after[ids[1]]).toEqual(["PENDING", "RUNNING", "TERMINATING", "TERMINATED"]);

    // The API agrees: a terminated instance is no longer listed.
    const { TotalCount } = await cvmClient(rig.server).DescribeInstances({ InstanceIds: ids });
    expect(TotalCount).toBe(0);
    await context.close();
  });

  it("shows the quota counts following launches made through the SDK meanwhile, and the quota error past it", { timeout: 120_000 }, async () => {
    const { page, context } = await signedIn(rig);
    await page.goto(`${rig.base}#/quota`);
    const zone = "ap-guangzhou-3";
    const used = page.locator(`tr[data-zone="${zone}"] [data-used]`).first();
    await used.waitFor();
    const before = Number(await used.getAttribute("data-used"));
    const sdk = cvmClient(rig.server);
    await sdk.RunInstances({ Placement: { Zone: zone }, ImageId: "img-487zeit5", InstanceType: "S5.MEDIUM4", InstanceCount: 2, LoginSettings: { Password: "Console-Passw0rd" } } as never);
    await page.locator(`tr[data-zone="${zone}"] [data-used="${before + 2}"]`).first().waitFor({ timeout: 30_000 });

    // No room left: the wizard's launch answers the documented quota code, with its RequestId.
    await rig.server.store.accounts.setQuota(rig.server.defaultAccount.account.appId, "postpaid", before + 2);
    await launchThroughWizard(page, "past-quota", 1);
    const error = page.getByRole("alert");
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/LimitExceeded\.InstanceQuota/);
    await expect(error.textContent()).resolves.toMatch(/RequestId [0-9a-f-]{36}/);
    await context.close();
  });
});
