// npm run bench:console: what the web console's instance list costs with many instances in the account. The list
// asks for one page of 20 through the console's door (session cookie, CSRF token, the same dispatch as a signed
// call): the first page, the last, a name search and a state filter deep in the list.
// Settings (environment): BENCH_SCALE (10000), BENCH_SAMPLES per measure (100).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { child, freePort, median, percentile, SECRET_ID, SECRET_KEY } from "./common.js";
import { seed } from "./seed.js";

const SCALE = Number(process.env.BENCH_SCALE ?? 10_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);

const data = mkdtempSync(join(tmpdir(), "opencvm-bench-console-"));
try {
  await seed(data, SCALE);
  const port = await freePort();
  const server = await child(
    "dist/src/cli.js",
    { OPENCVM_DATA: data, OPENCVM_PORT: String(port), OPENCVM_SECRET_ID: SECRET_ID, OPENCVM_SECRET_KEY: SECRET_KEY, OPENCVM_RATE_LIMIT: "off", OPENCVM_TIMING: "instant", OPENCVM_LOG_LEVEL: "info" },
    /OpenCVM listening/,
  );
  const base = `http://127.0.0.1:${port}/console/api`;
  const signIn = await fetch(`${base}/sign-in`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ SecretId: SECRET_ID, SecretKey: SECRET_KEY }) });
  const cookie = signIn.headers.get("set-cookie")!.split(";")[0];
  const { Csrf } = (await signIn.json()) as { Csrf: string };
  const list = async (params: object) => {
    const t = performance.now();
    const res = await fetch(`${base}/call`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": Csrf },
      body: JSON.stringify({ Version: "2017-03-12", Action: "DescribeInstances", Region: "ap-guangzhou", Params: params }),
    });
    const answer = (await res.json()) as { Response: { TotalCount?: number; Error?: { Code: string } } };
    if (answer.Response.Error) throw new Error(`DescribeInstances: ${answer.Response.Error.Code}`);
    return { ms: performance.now() - t, total: answer.Response.TotalCount! };
  };
  const measures: [string, object][] = [
    ["first page", { Offset: 0, Limit: 20 }],
    ["last page", { Offset: SCALE - 20, Limit: 20 }],
    ["name search", { Offset: 0, Limit: 20, Filters: [{ Name: "instance-name", Values: ["bench-77"] }] }],
    ["state filter, middle page", { Offset: Math.floor(SCALE / 2), Limit: 20, Filters: [{ Name: "instance-state", Values: ["RUNNING"] }] }],
  ];
  console.log(`| ${SCALE} instances: console list call | matched | median ms | p99 ms |\n| --- | --- | --- | --- |`);
  for (const [label, params] of measures) {
    for (let i = 0; i < 10; i++) await list(params);
    const runs = [];
    for (let i = 0; i < SAMPLES; i++) runs.push(await list(params));
    const ms = runs.map((r) => r.ms);
    console.log(`| ${label} | ${runs[0].total} | ${median(ms).toFixed(2)} | ${percentile(ms, 99).toFixed(2)} |`);
  }
  server.proc.kill("SIGKILL");
} finally {
  rmSync(data, { recursive: true, force: true });
}
process.exit(0);
