// The web console under test: built into a directory of its own, served by a real test server, driven in Debian's
// headless Chromium through Playwright. Screenshots go to test-artifacts/console/ (git-ignored).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
// @ts-expect-error: a plain ES module script without declarations
import { buildConsole } from "../../scripts/build-console.mjs";
import { SECRET_ID, SECRET_KEY, startServer, type TestServer } from "./server.js";

export const ARTIFACTS = join(process.cwd(), "test-artifacts", "console");
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 900 };

export interface ConsoleRig {
  server: TestServer;
  browser: Browser;
  base: string;
  close(): Promise<void>;
}

export async function startConsole(env: Record<string, string> = {}, options: { quotas?: "default" | "lifted" } = {}): Promise<ConsoleRig> {
  const dir = mkdtempSync(join(tmpdir(), "opencvm-console-"));
  await (buildConsole as (out: string) => Promise<void>)(dir);
  const server = await startServer({ OPENCVM_CONSOLE_DIR: dir, ...env }, undefined, undefined, options);
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    server,
    browser,
    base: `${server.url}/console/`,
    async close() {
      await browser.close();
      await server.close(1000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh browser context (its own cookies) at `size`, signed in with the default account's keys. */
export async function signedIn(rig: ConsoleRig, size = DESKTOP, lang: "en-US" | "zh-CN" = "en-US"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await rig.browser.newContext({ viewport: size, acceptDownloads: true, locale: lang, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(rig.base);
  await page.getByLabel("SecretId").fill(SECRET_ID);
  await page.getByLabel("SecretKey").fill(SECRET_KEY);
  await page.getByRole("button", { name: lang === "zh-CN" ? "登录" : "Sign in" }).click();
  await page.getByRole("heading", { name: lang === "zh-CN" ? "实例" : "Instances" }).waitFor();
  return { context, page };
}
