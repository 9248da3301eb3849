// The console by keyboard alone: signing in, moving between pages through the menu, and a confirmation dialog that
// takes the focus, closes with Escape and gives the focus back.
import { afterAll, beforeAll, expect, it } from "vitest";
import { DESKTOP, startConsole, type ConsoleRig } from "../helpers/console-browser.js";
import { SECRET_ID, SECRET_KEY } from "../helpers/server.js";

let rig: ConsoleRig;
beforeAll(async () => {
  rig = await startConsole();
});
afterAll(() => rig?.close());

it("signs in, moves through the menu and opens and closes a dialog with the keyboard only", { timeout: 60_000 }, async () => {
  const context = await rig.browser.newContext({ viewport: DESKTOP, locale: "en-US" });
  const page = await context.newPage();
  await page.goto(rig.base);
  await page.locator("form").waitFor();
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent?.trim() ?? document.activeElement?.id);
  // Tab from the top reaches the SecretId field, then the SecretKey field; Enter submits.
  const tabTo = async (want: (el: { tag: string; type: string; label: string }) => boolean, limit = 15) => {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press("Tab");
      const el = await page.evaluate(() => {
        const a = document.activeElement as HTMLInputElement | null;
        const label = a?.id ? (document.querySelector(`label[for="${a.id}"]`)?.textContent ?? "") : (a?.getAttribute("aria-label") ?? a?.textContent ?? "");
        return { tag: a?.tagName ?? "", type: a?.type ?? "", label: label.trim() };
      });
      if (want(el)) return;
    }
    throw new Error("the keyboard never reached the control");
  };
  await tabTo((el) => el.label === "SecretId");
  await page.keyboard.type(SECRET_ID);
  await tabTo((el) => el.label === "SecretKey");
  await page.keyboard.type(SECRET_KEY);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Instances" }).waitFor();

  // The menu's links are reached and followed by keyboard.
  await tabTo((el) => el.tag === "A" && el.label === "Key pairs", 30);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Key pairs" }).waitFor();

  // A dialog opened by keyboard takes the focus, Escape closes it, and the focus returns to its button.
  await tabTo((el) => el.tag === "BUTTON" && el.label === "Create", 30);
  await page.keyboard.press("Enter");
  await page.getByRole("dialog").waitFor();
  await expect(page.evaluate(() => document.activeElement?.closest("[role=dialog]") !== null)).resolves.toBe(true);
  await page.keyboard.press("Escape");
  await page.getByRole("dialog").waitFor({ state: "detached" });
  await expect(focused()).resolves.toBe("Create");
  await context.close();
});
