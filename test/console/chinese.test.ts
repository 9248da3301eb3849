// The console in Chinese, end to end in headless Chromium: a browser whose language is zh-CN gets the Chinese page
// without asking, signs in, launches through the wizard in Chinese (its labels, the password rules as typed, the
// states and a date written the Chinese way), sees the API's quota refusal in Chinese with its code and RequestId,
// and a switch to English is remembered across a reload.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET_ID, SECRET_KEY, cvmClient } from "../helpers/server.js";
import { startConsole, type ConsoleRig } from "../helpers/console-browser.js";
import type { Page } from "playwright-core";

let rig: ConsoleRig;
beforeAll(async () => void (rig = await startConsole()));
afterAll(() => rig?.close());

const ZONE = "ap-guangzhou-3";

/** Every step of the wizard, by its Chinese labels, with the defaults but for the password, name and count. */
async function launchInChinese(page: Page, name: string, count: number): Promise<void> {
  await page.getByRole("link", { name: "新建实例" }).first().click();
  await page.getByLabel("可用区").locator(`option[value="${ZONE}"]`).waitFor({ state: "attached" });
  await page.getByLabel("可用区").selectOption(ZONE);
  await expect(page.getByLabel("计费模式").locator("option:checked").textContent()).resolves.toBe("按量计费");
  const next = page.getByRole("button", { name: "下一页" });
  await next.click(); // 地域与计费
  await page.locator('input[name="type"]:checked').waitFor();
  for (let i = 0; i < 4; i++) await next.click(); // 机型, 镜像, 存储, 网络
  const password = page.getByRole("textbox", { name: "密码" });
  await password.fill("short");
  await expect(page.locator(".hint .bad").first().textContent()).resolves.toMatch(/8 到 30 个字符/);
  await password.fill("Console-Passw0rd");
  await page.locator(".hint .good").first().waitFor();
  await page.getByLabel("实例名称").fill(name);
  await page.getByLabel("数量").fill(String(count));
  await next.click(); // 登录方式
  await page.locator('[data-testid="quota-left"]', { hasText: /剩余配额/ }).waitFor();
  await page.getByRole("button", { name: "立即购买" }).click();
}

describe("the console in Chinese", () => {
  it("signs in, launches and shows Chinese labels, states, dates and the API's refusal in Chinese", { timeout: 180_000 }, async () => {
    const context = await rig.browser.newContext({ locale: "zh-CN", bypassCSP: true });
    const page = await context.newPage();
    await page.goto(rig.base);
    // Chosen from the browser's language, with nothing remembered yet.
    await page.getByRole("heading", { name: "OpenCVM 控制台" }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe("zh");
    await page.getByLabel("SecretId").fill(SECRET_ID);
    await page.getByLabel("SecretKey").fill(SECRET_KEY);
    await page.getByRole("button", { name: "登录" }).click();
    await page.getByRole("heading", { name: "实例" }).waitFor();
    for (const link of ["镜像", "SSH 密钥", "安全组", "配额", "余额与账单"]) await page.getByRole("link", { name: link }).waitFor();

    await launchInChinese(page, "zh-web", 1);
    await page.waitForURL(/#\/instances$/);
    const row = page.locator("tr[data-instance]", { hasText: "zh-web" });
    await row.locator('[data-state="RUNNING"]').waitFor({ timeout: 60_000 });
    await expect(row.locator("[data-state]").textContent()).resolves.toBe("运行中");
    await page.getByRole("columnheader", { name: "创建时间" }).waitFor();
    // The launch's time as Chinese writes a date (2026年12月8日 ...), not the API's ISO text.
    await expect(row.locator("td").last().textContent()).resolves.toMatch(/^\d{4}年\d{1,2}月\d{1,2}日/);

    // The zone is full: the launch is refused with the documented code and the API's own Chinese message.
    const { appId } = rig.server.defaultAccount.account;
    const quota = await cvmClient(rig.server).DescribeAccountQuota({ Filters: [{ Name: "zone", Values: [ZONE] }] });
    const used = quota.AccountQuotaOverview!.AccountQuota!.PostPaidQuotaSet!.find((q) => q.Zone === ZONE)!.UsedQuota!;
    expect(used).toBe(1);
    await rig.server.store.accounts.setQuota(appId, "postpaid", used);
    await launchInChinese(page, "zh-full", 1);
    const alert = page.getByRole("alert");
    await alert.waitFor();
    const text = (await alert.textContent())!;
    expect(text).toMatch(/错误码 LimitExceeded\.InstanceQuota/);
    expect(text).toContain(`${ZONE} 的 postpaid 配额为 ${used}，已用 ${used}`);
    expect(text).toMatch(/RequestId [0-9a-f-]{36}/);

    // Switched to English, the choice outlives a reload.
    await page.getByLabel("语言").selectOption("en-US");
    await page.goto(`${rig.base}#/instances`);
    await page.reload();
    await page.getByRole("heading", { name: "Instances" }).waitFor();
    await expect(page.locator("tr[data-instance]", { hasText: "zh-web" }).locator("[data-state]").textContent()).resolves.toBe("Running");
    await context.close();
  });
});
