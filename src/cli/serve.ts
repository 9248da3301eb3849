// opencvm serve: the API server, until SIGTERM or SIGINT stops it gracefully (a second signal stops it at once).
import { Option, type Command } from "commander";
import { SERVICES } from "../api/spec.js";
import { SETTINGS } from "../config.js";
import { start } from "../main.js";
import { configOf, GLOBAL_SETTINGS, print } from "./context.js";

export function serveCommand(program: Command): void {
  const serve = program.command("serve").description("serves the API (the default command; every option is also an environment variable)");
  for (const [name, s] of Object.entries(SETTINGS)) {
    if (GLOBAL_SETTINGS.includes(name)) continue;
    serve.addOption(new Option(`${s.flag} <value>`, `${s.doc} (${s.env})`).default(undefined, "default" in s && s.default !== "" ? s.default : undefined));
  }
  serve.action(async (_o, cmd: Command) => {
    const config = configOf(cmd);
    const running = await start(config);
    const services = SERVICES.map((s) => `${s.service} ${s.version}`).join(", ");
    const { account, secretId, generatedKey, file } = running.defaultAccount;
    // Standard output is the log stream: it names where secrets are, never a secret.
    const lines = [`OpenCVM listening on ${running.url} (${services})`, `Default account: AppId ${account.appId}, Uin ${account.uin}`];
    if (generatedKey) lines.push(`Generated credentials: SecretId ${secretId}, its SecretKey in ${file} (SDK credentials-file format)`);
    else if (secretId) lines.push(`SecretId ${secretId} (from configuration)`);
    else if (file) lines.push(`Credentials in ${file}`);
    if (running.adminToken.file || config.adminToken) {
      lines.push(`Admin token (Authorization: Bearer, for /_opencvm/…) ${running.adminToken.file ? `in ${running.adminToken.file}` : "from configuration"}`);
    } else {
      // :memory: has nowhere to keep a generated token: the admin paths stay closed.
      lines.push("Admin paths closed: no data directory to keep a token in; set OPENCVM_ADMIN_TOKEN_FILE to open them");
    }
    print(lines.join("\n"));
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) process.exit(130);
      stopping = true;
      running.log.info("signal received: stopping", { signal });
      void running.close().then(
        () => process.exit(0),
        (e: unknown) => {
          process.stderr.write(`opencvm: the stop failed: ${(e as Error).message}\n`);
          process.exit(1);
        },
      );
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
  });
}
