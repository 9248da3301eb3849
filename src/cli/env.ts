// opencvm env: shell lines that point the SDKs, tccli and Terraform at this server with the default account's
// key pair (`eval "$(opencvm env)"`), and where the credentials file is.
import { resolve } from "node:path";
import type { Command } from "commander";
import { clientCredentials, credentialsFile } from "../config.js";
import { configOf, print } from "./context.js";
import { serverUrl } from "./target.js";

const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

export function envCommand(program: Command): void {
  program
    .command("env")
    .description("prints `export TENCENTCLOUD_…` lines for the default account (eval \"$(opencvm env)\") and where its credentials file is")
    .action((_o, cmd: Command) => {
      const config = configOf(cmd);
      const key = clientCredentials({}, config);
      const url = new URL(serverUrl(config));
      print(
        [
          `export TENCENTCLOUD_SECRET_ID=${quote(key.secretId)}`,
          `export TENCENTCLOUD_SECRET_KEY=${quote(key.secretKey)}`,
          `export TENCENTCLOUD_REGION=ap-guangzhou`,
          `# OpenCVM answers at ${url.origin}: SDKs take endpoint ${url.host} and protocol http://`,
          config.data === ":memory:" ? "# (no data directory: no credentials file)" : `# The same key pair, in the SDKs' credentials-file format: ${resolve(credentialsFile(config))}`,
          `#   (copy it to ~/.tencentcloud/credentials to make it the default profile)`,
        ].join("\n"),
      );
    });
}
