// The sign-in limit as a person meets it, in headless Chromium, in both languages: wrong keys typed into the page
// until the account's limit, then the right one, refused (HTTP 429) with a message in the page's language that says
// why and how long to wait, and no session made.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_IN_LIMITS } from "../../src/http/console/sign-in-limit.js";
import { generateKeyPair } from "../../src/keys.js";
import { startConsole, type ConsoleRig } from "../helpers/console-browser.js";

let rig: ConsoleRig;
beforeAll(async () => void (rig = await startConsole()));
afterAll(() => rig?.close());

const WORDS = {
  "en-US": { signIn: "Sign in", title: "OpenCVM console", wrong: /do not match an account/, limited: /Too many sign-ins tried for this account: try again in (\d+) s/ },
  "zh-CN": { signIn: "登录", title: "OpenCVM 控制台", wrong: /不匹配任何账号/, limited: /该账号尝试登录的次数过多：请在 (\d+) 秒后/ },
} as const;

describe("the sign-in limit in the page", () => {
  it.each(["en-US", "zh-CN"] as const)("in %s: refuses the right key past the limit with a clear message", { timeout: 120_000 }, async (lang) => {
    const words = WORDS[lang];
    const key = generateKeyPair();
    await rig.server.store.accounts.create(key);
    const context = await rig.browser.newContext({ locale: lang, bypassCSP: true });
    const page = await context.newPage();
    const answers: number[] = [];
    page.on("response", (r) => r.url().endsWith("/api/sign-in") && answers.push(r.status()));
    await page.goto(rig.base);
    await page.getByRole("heading", { name: words.title }).waitFor();
    /** One sign-in through the form; answers the alert it shows once it shows `expected`. */
    const attempt = async (secretKey: string, expected: RegExp) => {
      const before = answers.length;
      await page.getByLabel("SecretId").fill(key.secretId);
      await page.getByLabel("SecretKey").fill(secretKey);
      await page.getByRole("button", { name: words.signIn }).click();
      await expect.poll(() => answers.length).toBe(before + 1);
      const alert = page.getByRole("alert").filter({ hasText: expected });
      await alert.waitFor();
      return (await alert.textContent())!;
    };
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) {
      expect(await attempt(`wrong-${i}`, words.wrong)).toContain("AuthFailure");
      expect(answers.at(-1)).toBe(401);
    }
    const refused = await attempt(key.secretKey, words.limited);
    expect(answers.at(-1)).toBe(429);
    expect(refused).toContain("RequestLimitExceeded");
    const seconds = Number(refused.match(words.limited)?.[1]);
    expect(seconds).toBeGreaterThan(SIGN_IN_LIMITS.windowMs / 1000 - 60);
    expect(seconds).toBeLessThanOrEqual(SIGN_IN_LIMITS.windowMs / 1000);
    // Still the sign-in form, and no session behind it.
    await expect(page.getByRole("button", { name: words.signIn }).isVisible()).resolves.toBe(true);
    expect((await context.request.get(`${rig.base}api/session`)).status()).toBe(401);
    await context.close();
  });
});
