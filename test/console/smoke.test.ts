import { afterAll, beforeAll, expect, it } from "vitest";
import { signedIn, startConsole, type ConsoleRig } from "../helpers/console-browser.js";

let rig: ConsoleRig;
beforeAll(async () => {
  rig = await startConsole();
});
afterAll(() => rig?.close());

it("signs in", async () => {
  const { page, context } = await signedIn(rig);
  await expect(page.getByRole("heading", { name: "Instances" }).isVisible()).resolves.toBe(true);
  await context.close();
});
