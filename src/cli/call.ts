// opencvm call <Action> [Name=value … | JSON]: one signed TC3 call of any action of any service against a running
// server, answered as pretty JSON (a small tccli). Names may be dotted (`Placement.Zone=ap-guangzhou-3`,
// `InstanceIds.0=ins-…`); values are JSON when they parse as JSON (numbers, true, ["a","b"]) and text otherwise.
import { createHash } from "node:crypto";
import type { Command } from "commander";
import { SERVICES } from "../api/spec.js";
import { clientCredentials } from "../config.js";
import { scopeDate, tc3Signature, tc3SigningKey, tc3StringToSign } from "../http/signature.js";
import { ActionFailed, UsageError } from "./errors.js";
import { configOf, print } from "./context.js";
import { serverUrl } from "./target.js";

/** The params of `Name=value` words, or of one JSON object. */
export function callParams(words: readonly string[]): Record<string, unknown> {
  if (words.length === 1 && words[0].trim().startsWith("{")) {
    try {
      return JSON.parse(words[0]) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`the parameters are not valid JSON: ${(e as Error).message}`);
    }
  }
  const params: Record<string, unknown> = {};
  for (const word of words) {
    const eq = word.indexOf("=");
    if (eq <= 0) throw new UsageError(`"${word}" is not Name=value (or give the parameters as one JSON object)`);
    const path = word.slice(0, eq).split(".");
    let value: unknown = word.slice(eq + 1);
    try {
      value = JSON.parse(value as string);
    } catch {
      // text as it is
    }
    let at: Record<string, unknown> = params;
    path.forEach((key, i) => {
      if (i === path.length - 1) at[key] = value;
      else at = (at[key] ??= /^\d+$/.test(path[i + 1]) ? [] : {}) as Record<string, unknown>;
    });
  }
  return params;
}

export function callCommand(program: Command): void {
  program
    .command("call")
    .description("a signed call of any API action against the running server (credentials: TENCENTCLOUD_SECRET_ID/KEY, else the data directory's credentials file)")
    .argument("<Action>", "e.g. DescribeZones, RunInstances, DescribeVpcs")
    .argument("[params...]", "Name=value pairs (dotted names for nesting), or one JSON object")
    .option("--region <region>", "X-TC-Region", "ap-guangzhou")
    .option("--service <service>", `the service, when the action's name is not enough (${SERVICES.map((s) => s.service).join(", ")})`)
    .option("--language <language>", "en-US or zh-CN", "en-US")
    .action(async (action: string, words: string[], o: { region: string; service?: string; language: string }, cmd: Command) => {
      const config = configOf(cmd);
      const services = SERVICES.filter((s) => action in s.actions && (!o.service || s.service === o.service));
      if (!services.length) throw new UsageError(`no action ${action}${o.service ? ` in ${o.service}` : ""}: names are as in the API, e.g. DescribeInstances`);
      const service = services[0];
      const body = JSON.stringify(callParams(words));
      const key = clientCredentials(process.env, config);
      const base = serverUrl(config);
      const host = new URL(base).host;
      const timestamp = Math.floor(Date.now() / 1000);
      const date = scopeDate(timestamp);
      const headers: Record<string, string> = { "content-type": "application/json", host };
      const stringToSign = tc3StringToSign({ method: "POST", path: "/", rawQuery: "", headers, signedHeaders: ["content-type", "host"], payloadHash: createHash("sha256").update(body).digest("hex"), timestamp: String(timestamp), date, service: service.service });
      const signature = tc3Signature(tc3SigningKey(key.secretKey, date, service.service), stringToSign);
      let res: Response;
      try {
        res = await fetch(`${base}/`, {
          method: "POST",
          body,
          headers: {
            ...headers,
            "X-TC-Action": action,
            "X-TC-Version": service.version,
            "X-TC-Timestamp": String(timestamp),
            "X-TC-Language": o.language,
            ...(o.region ? { "X-TC-Region": o.region } : {}),
            Authorization: `TC3-HMAC-SHA256 Credential=${key.secretId}/${date}/${service.service}/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`,
          },
        });
      } catch (e) {
        throw new UsageError(`no OpenCVM answers at ${base} (${((e as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? (e as Error).message}): start one with \`opencvm serve\``);
      }
      const answer = (await res.json()) as { Response: { Error?: { Code: string; Message: string }; RequestId: string } };
      const error = answer.Response?.Error;
      if (error) throw new ActionFailed(`${error.Code}: ${error.Message} (RequestId ${answer.Response.RequestId})`);
      print(JSON.stringify(answer.Response, null, 2));
    });
}
