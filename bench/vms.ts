// npm run bench:vms: real virtual machines of the qemu backend, in one run: the time from RunInstances to RUNNING
// and to SSH-ready (port 22 answering with an SSH banner through its forwarded host port), and the resident memory
// of each idle QEMU process, with 1 and with 8 machines launched at once, on OpenCVM's own image. The accelerator is
// what the server's probe picks (KVM where it works, else TCG), or BENCH_ACCEL. The guest's own count, from its
// kernel's start to SSH listening (its serial console says), shows how much of the wait is the guest's boot, and
// QEMU's CPU time to SSH-ready what it cost, which other work on the host disturbs far less than the wall clock.
// A launch of one machine under TCG prints issue #16's target (SSH-ready within 10 s of RunInstances) beside it.
// Settings (environment): BENCH_VM_COUNTS (1,8), BENCH_ACCEL (auto), BENCH_IMAGES (a directory kept between runs).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { call, child, cpuMs, freePort, median, ROOT, rssMiB, SECRET_ID, SECRET_KEY, sshBanner, sshTarget } from "./common.js";

const env = process.env;
const COUNTS = (env.BENCH_VM_COUNTS ?? "1,8").split(",").map(Number);
const IMAGES = env.BENCH_IMAGES ?? join(tmpdir(), "opencvm-bench-images");
const LIMIT_MS = 300_000;
/** The admin token the bench's server is given, to read its machines' ports and pids. */
const ADMIN_TOKEN = "benchAdminToken00000000000000000000";

execFileSync("bash", [join(ROOT, "scripts/build-guest-image.sh"), "--images", IMAGES], { stdio: "inherit" });
const image = JSON.parse(readFileSync(join(IMAGES, "opencvm-mini", "image.json"), "utf8")) as { osName: string };

async function admin(port: number, id: string): Promise<{ pid: number | null; ports: { guestPort: number; hostPort: number }[] }> {
  return (await fetch(`http://127.0.0.1:${port}/_opencvm/vms/${id}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json() as never;
}

const rows: string[][] = [];
let accel = "";

for (const count of COUNTS) {
  const data = mkdtempSync(join(tmpdir(), "opencvm-bench-vms-"));
  const port = await freePort();
  const { proc } = await child(
    "dist/src/cli.js",
    { OPENCVM_DATA: data, OPENCVM_PORT: String(port), OPENCVM_SECRET_ID: SECRET_ID, OPENCVM_SECRET_KEY: SECRET_KEY, OPENCVM_RATE_LIMIT: "off", OPENCVM_ADMIN_TOKEN: ADMIN_TOKEN, OPENCVM_LOG_LEVEL: "warn", OPENCVM_COMPUTE: "qemu", OPENCVM_IMAGES: IMAGES, OPENCVM_QEMU_ACCEL: env.BENCH_ACCEL ?? "auto" },
    /listening/,
  );
  try {
    const images = (await call(port, "DescribeImages", { Filters: [{ Name: "image-type", Values: ["PUBLIC_IMAGE"] }], Limit: 100 })).response.ImageSet as { ImageId: string; OsName: string }[];
    const imageId = images.find((i) => i.OsName === image.osName)!.ImageId;
    const started = Date.now();
    const run = await call(port, "RunInstances", { Placement: { Zone: "ap-guangzhou-3" }, ImageId: imageId, InstanceType: "S5.SMALL1", InstanceCount: count, SystemDisk: { DiskType: "CLOUD_PREMIUM", DiskSize: 20 } });
    const ids = run.response.InstanceIdSet as string[];
    if (!ids) throw new Error(`RunInstances failed: ${run.body}`);
    const running = new Map<string, number>();
    const ready = new Map<string, number>();
    const cpu = new Map<string, number>();
    while (ready.size < ids.length) {
      if (Date.now() - started > LIMIT_MS) throw new Error(`not SSH-ready within ${LIMIT_MS / 1000} s: ${ready.size} of ${ids.length}`);
      const set = (await call(port, "DescribeInstances", { InstanceIds: ids, Limit: 100 })).response.InstanceSet as { InstanceId: string; InstanceState: string }[];
      for (const i of set) if (i.InstanceState === "RUNNING" && !running.has(i.InstanceId)) running.set(i.InstanceId, Date.now() - started);
      for (const id of running.keys()) {
        if (ready.has(id)) continue;
        const vm = await admin(port, id);
        const fwd = vm.ports.find((p) => p.guestPort === 22);
        if (fwd && (await sshBanner(fwd.hostPort))) {
          ready.set(id, Date.now() - started);
          cpu.set(id, cpuMs(vm.pid!));
        }
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    // Idle for a while after boot, then each QEMU's resident memory.
    await new Promise((r) => setTimeout(r, 10_000));
    const rss = await Promise.all(ids.map(async (id) => rssMiB((await admin(port, id)).pid!)));
    const args = readFileSync(`/proc/${(await admin(port, ids[0])).pid}/cmdline`, "utf8").split("\0");
    accel = args[args.indexOf("-accel") + 1];
    // The guest's own clock: from the kernel's start to dropbear listening, as its rcS writes it on the console.
    const guest = ids.map((id) => Number(/ssh ready, ([\d.]+) s after the kernel started/.exec(readFileSync(join(data, "vms", id, "serial.log"), "utf8"))?.[1] ?? NaN));
    const s = (ms: number) => (ms / 1000).toFixed(1);
    const target = count === 1 && accel === "tcg" ? sshTarget(Math.max(...ready.values()) / 1000) : "-";
    rows.push([String(count), s(median([...running.values()])), s(Math.max(...running.values())), s(median([...ready.values()])), s(Math.max(...ready.values())), target, s(median([...cpu.values()])), median(guest).toFixed(1), median(rss).toFixed(0)]);
    await call(port, "TerminateInstances", { InstanceIds: ids });
    const until = Date.now() + 60_000;
    while (((await call(port, "DescribeInstances", { InstanceIds: ids })).response.TotalCount as number) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 500));
  } finally {
    proc.kill("SIGTERM");
    rmSync(data, { recursive: true, force: true });
  }
}

console.log(`\nqemu backend, ${accel || "accelerator unknown"}, image ${image.osName}, S5.SMALL1 (1 vCPU, 1 GiB)\n`);
console.log("| VMs launched at once | to RUNNING, median s | to RUNNING, last s | to SSH-ready, median s | to SSH-ready, last s | target (1 VM, TCG) | QEMU CPU to SSH-ready, median s | guest: kernel to SSH, median s | RSS per idle VM, MiB |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
