// Key pairs and security group rules through the console, checked against the API and ssh-keygen.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedIn, startConsole, type ConsoleRig } from "../helpers/console-browser.js";
import { commonClient, cvmClient } from "../helpers/server.js";

let rig: ConsoleRig;
beforeAll(async () => {
  rig = await startConsole();
});
afterAll(() => rig?.close());

describe("key pairs and security groups through the console", () => {
  it("creates a key pair and hands its private key over once, as a download that matches the stored public key", { timeout: 60_000 }, async () => {
    const { page, context } = await signedIn(rig);
    await page.getByRole("link", { name: "Key pairs" }).click();
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill("console_key");
    await page.getByRole("dialog").getByRole("button", { name: "Confirm" }).click();
    const offer = page.getByRole("button", { name: "Download the private key" });
    await offer.waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), offer.click()]);
    expect(download.suggestedFilename()).toBe("console_key.pem");
    const file = join(mkdtempSync(join(tmpdir(), "opencvm-console-key-")), "console_key.pem");
    await download.saveAs(file);
    chmodSync(file, 0o600);
    const pem = readFileSync(file, "utf8");
    expect(pem).toMatch(/^-----BEGIN (RSA )?PRIVATE KEY-----/);

    // Once: the offer is gone and the page no longer holds the key anywhere.
    await page.getByText("Downloaded; the key is no longer held by this page.").waitFor();
    await expect(offer.count()).resolves.toBe(0);
    await expect(page.content()).resolves.not.toContain("PRIVATE KEY");
    // The key pair the API lists is the public half of what was downloaded.
    const { KeyPairSet } = await cvmClient(rig.server).DescribeKeyPairs({ Filters: [{ Name: "key-name", Values: ["console_key"] }] });
    expect(KeyPairSet).toHaveLength(1);
    const derived = execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" }).trim().split(" ").slice(0, 2).join(" ");
    expect(KeyPairSet![0].PublicKey!.split(" ").slice(0, 2).join(" ")).toBe(derived);
    await expect(page.locator("td", { hasText: KeyPairSet![0].KeyId! }).count()).resolves.toBe(1);

    // Importing the same public key again is refused with the API's code, shown in the dialog.
    const pub = execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" }).trim();
    const importKey = async (name: string, key: string) => {
      await page.getByRole("button", { name: "Import" }).click();
      await page.getByRole("dialog").getByLabel("Name").fill(name);
      await page.getByRole("dialog").getByLabel("Public key").fill(key);
      await page.getByRole("dialog").getByRole("button", { name: "Confirm" }).click();
    };
    await importKey("imported_twice", pub);
    await expect(page.getByRole("dialog").getByRole("alert").textContent()).resolves.toMatch(/InvalidPublicKey\.Duplicate.*RequestId [0-9a-f-]{36}/s);
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();

    // A new public key imports; then it is deleted after confirmation.
    const other = join(dirname(file), "other");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
    await importKey("imported_key", readFileSync(`${other}.pub`, "utf8").trim());
    const row = page.getByRole("row", { name: /imported_key/ });
    await row.waitFor();
    await row.getByRole("button", { name: /Delete/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Confirm" }).click();
    await row.waitFor({ state: "detached" });
    const left = await cvmClient(rig.server).DescribeKeyPairs({});
    expect(left.KeyPairSet!.map((k) => k.KeyName)).toEqual(["console_key"]);
    await context.close();
  });

  it("adds an inbound rule to a security group in the rules editor", { timeout: 60_000 }, async () => {
    const vpc = commonClient(rig.server, "2017-03-12");
    const { SecurityGroup } = (await vpc.request("CreateSecurityGroup", { GroupName: "console-web", GroupDescription: "web servers" })) as { SecurityGroup: { SecurityGroupId: string } };
    const id = SecurityGroup.SecurityGroupId;
    const { page, context } = await signedIn(rig);
    await page.getByRole("link", { name: "Security groups" }).click();
    await page.getByRole("row", { name: /console-web/ }).getByRole("button", { name: /Rules/ }).click();
    const rules = page.getByRole("region", { name: `Rules ${id}` });
    await rules.getByRole("button", { name: "Add a rule Ingress" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Protocol").selectOption("TCP");
    await dialog.getByLabel("Port").fill("8080");
    await dialog.getByLabel("CIDR").fill("10.0.0.0/8");
    await dialog.getByLabel("Description").fill("app port");
    await dialog.getByRole("button", { name: "Confirm" }).click();
    await rules.locator('[data-direction="Ingress"] td', { hasText: "8080" }).waitFor();

    const answer = (await vpc.request("DescribeSecurityGroupPolicies", { SecurityGroupId: id })) as { SecurityGroupPolicySet: { Ingress: { Protocol: string; Port: string; CidrBlock: string; Action: string; PolicyDescription: string }[] } };
    expect(answer.SecurityGroupPolicySet.Ingress).toEqual([expect.objectContaining({ Protocol: "TCP", Port: "8080", CidrBlock: "10.0.0.0/8", Action: "ACCEPT", PolicyDescription: "app port" })]);

    // A rule the API refuses shows its code and RequestId, and changes nothing.
    await rules.getByRole("button", { name: "Add a rule Ingress" }).click();
    await dialog.getByLabel("Port").fill("99999");
    await dialog.getByRole("button", { name: "Confirm" }).click();
    await expect(dialog.getByRole("alert").textContent()).resolves.toMatch(/InvalidParameterValue.*RequestId [0-9a-f-]{36}/s);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    const again = (await vpc.request("DescribeSecurityGroupPolicies", { SecurityGroupId: id })) as { SecurityGroupPolicySet: { Ingress: unknown[] } };
    expect(again.SecurityGroupPolicySet.Ingress).toHaveLength(1);
    await context.close();
  });

  it("opens a running instance's screen in noVNC: the simulated backend's still picture", { timeout: 60_000 }, async () => {
    const cvm = cvmClient(rig.server);
    const [id] = (await cvm.RunInstances({ Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-487zeit5", InstanceType: "S5.MEDIUM4", LoginSettings: { Password: "Console-Passw0rd" } } as never)).InstanceIdSet!;
    const { page, context } = await signedIn(rig);
    await page.goto(`${rig.base}#/instances/${id}`);
    await page.locator('[data-state="RUNNING"]').waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Screen (VNC)" }).click();
    const [screen] = await Promise.all([context.waitForEvent("page"), page.getByRole("link", { name: "Open the screen in a new tab" }).click()]);
    await screen.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
    // noVNC drew the server's picture: the framebuffer's size, and more than one colour (its text).
    const canvas = screen.locator("#screen canvas");
    await expect
      .poll(() =>
        canvas.evaluate((c: HTMLCanvasElement) => {
          const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
          const colours = new Set<number>();
          for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
          return [c.width, c.height, colours.size];
        }),
      )
      .toEqual([640, 400, 2]);
    await context.close();
  });
});
