// Every main page of the console at phone and desktop width, in English and Chinese: a screenshot of each kept as a
// test artifact (test-artifacts/console/), and axe-core finding no serious or critical accessibility violation.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { ARTIFACTS, DESKTOP, PHONE, signedIn, startConsole, type ConsoleRig } from "../helpers/console-browser.js";
import { admin, commonClient, cvmClient } from "../helpers/server.js";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const PAGES = ["instances", "instance", "launch", "images", "key-pairs", "security-groups", "vpcs", "eips", "quota", "billing"] as const;

let rig: ConsoleRig;
let instanceId: string;
beforeAll(async () => {
  rig = await startConsole();
  const cvm = cvmClient(rig.server);
  const run = await cvm.RunInstances({ Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-487zeit5", InstanceType: "S5.MEDIUM4", InstanceName: "shown", LoginSettings: { Password: "Console-Passw0rd" }, DataDisks: [{ DiskType: "CLOUD_PREMIUM", DiskSize: 50 }], TagSpecification: [{ ResourceType: "instance", Tags: [{ Key: "team", Value: "web" }] }] } as never);
  instanceId = run.InstanceIdSet![0];
  await cvm.CreateKeyPair({ KeyName: "shown_key", ProjectId: 0 });
  await commonClient(rig.server, "2017-03-12").request("AllocateAddresses", { AddressCount: 1 });
  // Hours of use make bill lines, so the billing page has spending to draw.
  await admin(rig.server, "/_opencvm/clock", { Advance: "5h" });
});
afterAll(() => rig?.close());

async function open(page: Page, name: (typeof PAGES)[number]): Promise<void> {
  await page.goto(`${rig.base}#/${name === "instance" ? `instances/${instanceId}` : name}`);
  await page.locator("main h1").first().waitFor();
  // Each page has finished loading when no "Loading" remains and its tables have rows (or say they have none).
  await page.waitForFunction(() => !document.body.textContent!.includes("Loading") && !document.body.textContent!.includes("加载中"));
  await page.waitForTimeout(300);
}

async function violations(page: Page): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(o: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run({
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
}

describe.each([
  ["desktop", DESKTOP],
  ["phone", PHONE],
] as const)("the main pages at %s width", (width, size) => {
  it.each(["en-US", "zh-CN"] as const)("in %s: screenshots, and no serious accessibility violation", { timeout: 300_000 }, async (lang) => {
    const serious: string[] = [];
    const check = async (page: Page, name: string) => {
      await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}-${lang}.png`), fullPage: true });
      for (const v of await violations(page)) if (v.impact === "serious" || v.impact === "critical") serious.push(`${name}: ${v.id} (${v.help}) at ${v.nodes.join(", ")}`);
    };
    const context = await rig.browser.newContext({ viewport: size, locale: lang, bypassCSP: true });
    const signIn = await context.newPage();
    await signIn.goto(rig.base);
    await signIn.locator("form").waitFor();
    await check(signIn, "sign-in");
    // The check can fail: a control without a name, added for a moment, is found as a serious violation.
    await signIn.evaluate(() => document.body.insertAdjacentHTML("beforeend", '<input id="unnamed-probe">'));
    expect((await violations(signIn)).filter((v) => v.nodes.includes("#unnamed-probe")).map((v) => v.impact)).toContain("critical");
    await context.close();

    const { page, context: signedContext } = await signedIn(rig, size, lang);
    for (const name of PAGES) {
      await open(page, name);
      await check(page, name);
    }
    // A phone shows the menu behind its button.
    if (width === "phone") {
      await page.getByRole("button", { name: lang === "zh-CN" ? "菜单" : "Menu" }).click();
      await page.locator("#menu.open").waitFor();
      await check(page, "menu");
    }
    await signedContext.close();
    expect(serious).toEqual([]);
  });
});
