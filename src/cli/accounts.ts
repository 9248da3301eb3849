// opencvm accounts list|create|show|rotate-keys|delete|quota|balance|console-password
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { QUOTA_NAMES } from "../domain/quotas.js";
import { UsageError } from "./errors.js";
import { show, table, withTarget } from "./context.js";

export function accountsCommand(program: Command): void {
  const accounts = program.command("accounts").description("the accounts: their keys, quotas and money");
  accounts
    .command("list")
    .description("every account")
    .action((_o, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        const { Accounts } = (await t.call("GET", "accounts")) as { Accounts: Record<string, unknown>[] };
        show(json, Accounts, table(Accounts, ["AppId", "Uin", "CreatedAt", "Default"]));
      }),
    );
  accounts
    .command("create")
    .description("a new account with a new key pair (its SecretKey is shown this once); with --data, a new data directory is set up")
    .action((_o, cmd: Command) =>
      withTarget(
        cmd,
        async (t, json) => {
          const a = await t.call("POST", "accounts", {});
          show(json, a, `AppId ${a.AppId}  Uin ${a.Uin}\nSecretId ${a.SecretId}\nSecretKey ${a.SecretKey}`);
        },
        { create: true },
      ),
    );
  accounts
    .command("show")
    .description("one account: its keys (SecretIds), quotas, balance and how much it holds")
    .argument("<AppId>")
    .action((appId: string, _o, cmd: Command) => withTarget(cmd, async (t) => show(true, await t.call("GET", `accounts/${appId}`))));
  accounts
    .command("rotate-keys")
    .description("a new key pair for the account; its old keys stop working (the default account's credentials file is rewritten)")
    .argument("<AppId>")
    .action((appId: string, _o, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        const k = await t.call("POST", `accounts/${appId}/keys`, {});
        const file = k.CredentialsFile ? `\nWritten to ${k.CredentialsFile}` : "";
        show(json, k, `SecretId ${k.SecretId}\nSecretKey ${k.SecretKey}\nDisabled ${(k.Disabled as string[]).join(", ") || "none"}${file}`);
      }),
    );
  accounts
    .command("delete")
    .description("removes an account that holds no instance, image, EIP or key pair (never the default one)")
    .argument("<AppId>")
    .action((appId: string, _o, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        const r = await t.call("DELETE", `accounts/${appId}`);
        show(json, r, `AppId ${appId} deleted`);
      }),
    );
  accounts
    .command("quota")
    .alias("quotas")
    .description(`sets one of an account's quotas (${QUOTA_NAMES.join(", ")}), or shows them all`)
    .argument("<AppId>")
    .argument("[name]", QUOTA_NAMES.join(" | "))
    .argument("[value]", "a whole number")
    .action((appId: string, name: string | undefined, value: string | undefined, _o, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        if (name === undefined) return show(true, (await t.call("GET", `accounts/${appId}`)).Quotas);
        if (!(QUOTA_NAMES as readonly string[]).includes(name)) throw new UsageError(`the quota name must be one of ${QUOTA_NAMES.join(", ")}, not "${name}"`);
        if (value === undefined) throw new UsageError(`accounts quota ${appId} ${name}: give the value too`);
        const r = await t.call("POST", `accounts/${appId}/quotas`, { Name: name, Value: value });
        show(json, r, `AppId ${appId}: ${name} quota ${value}`);
      }),
    );
  accounts
    .command("balance")
    .description("shows an account's money, or sets its cash (its debt is paid from it first)")
    .argument("<AppId>")
    .argument("[amount]", "the new cash, like 1000 or 99.50")
    .action((appId: string, amount: string | undefined, _o, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        if (amount !== undefined && !/^\d+(\.\d{1,2})?$/.test(amount)) throw new UsageError(`the amount must look like 1000 or 99.50, not "${amount}"`);
        const b = amount === undefined ? await t.call("GET", `balance?AppId=${encodeURIComponent(appId)}`) : await t.call("POST", "balance", { AppId: appId, Amount: amount });
        show(json, b, `AppId ${b.AppId}: cash ${b.Cash}  owed ${b.Owed}  frozen ${b.Frozen}  available ${b.Available}${b.ArrearsSince ? `  in arrears since ${b.ArrearsSince}` : ""}`);
      }),
    );
  accounts
    .command("console-password")
    .description("sets the password the account signs in to the web console with (/console/), read from the first line of standard input so that it shows in no process list")
    .argument("<AppId>")
    .action((appId: string, _o, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        const password = readFileSync(0, "utf8").split("\n")[0].replace(/\r$/, "");
        const r = await t.call("POST", `accounts/${appId}/console-password`, { Password: password });
        show(json, r, `AppId ${appId}: console password set`);
      }),
    );
}
