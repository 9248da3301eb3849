// npm run bench:boot: where a qemu machine's boot time goes, without the API in the way. The qemu backend itself
// creates one machine from OpenCVM's own image (1 vCPU, 1 GiB, SSH forwarded) several times in a row, and each
// milestone is stamped by the host as it appears on the serial console (polled every 20 ms): QEMU running, the
// initramfs's first line, the system's network up, the metadata applied, dropbear listening; then the SSH banner
// through the forwarded port. Medians per milestone, in seconds from the start of `create`, and the CPU time QEMU
// spent to get there; under TCG, issue #16's target (SSH-ready within 10 s of RunInstances) beside the banner's
// median, which leaves out the API's part before `create` (bench:vms has it).
// Settings (environment): BENCH_BOOTS (3), BENCH_ACCEL (tcg), BENCH_IMAGES (a directory kept between runs),
// BENCH_ICOUNT (a shift, e.g. 5: the guest's clock then counts emulated instructions, 2^shift ns each, which makes
// its own figures the same from run to run whatever the host's load; the wall-clock columns then mean little).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MachineSpec } from "../src/compute/backend.js";
import { QemuBackend } from "../src/compute/qemu/backend.js";
import { imageIdOf } from "../src/compute/qemu/image-dir.js";
import { cpuMs, median, ROOT, sshBanner, sshTarget } from "./common.js";

const env = process.env;
const BOOTS = Number(env.BENCH_BOOTS ?? 3);
const IMAGES = env.BENCH_IMAGES ?? join(tmpdir(), "opencvm-bench-images");
const LIMIT_MS = 180_000;

/** Milestones, each the first console line that matches, in boot order. */
const MILESTONES: [string, RegExp][] = [
  ["initramfs", /^opencvm: initramfs/m],
  ["network up", /^opencvm: eth0 /m],
  ["metadata applied", /^opencvm: instance /m],
  ["dropbear listening", /^opencvm: ssh ready/m],
];

execFileSync("bash", [join(ROOT, "scripts/build-guest-image.sh"), "--images", IMAGES], { stdio: "inherit" });

function spec(instanceId: string): MachineSpec {
  return {
    instanceId,
    imageId: imageIdOf("opencvm-mini"),
    cpu: 1,
    memory: 1,
    hostName: "bench",
    userData: null,
    authorizedKeys: [],
    region: "ap-guangzhou",
    zone: "ap-guangzhou-3",
    instanceType: "S5.SMALL1",
    instanceName: "bench",
    systemDiskSize: 20,
    dataDiskSizes: [],
    network: { privateIp: "172.16.0.5", prefix: 20, gateway: "172.16.0.1", publicIp: null, vpcId: "vpc-bench000", subnetId: "subnet-bench000" },
    uuid: "8a3a2b1c-0d4e-4f60-8a7b-9c0d1e2f3a4b",
    appId: 1250000000,
    chargeType: "POSTPAID_BY_HOUR",
    createdTime: new Date().toISOString(),
    expiredTime: null,
    loginUser: "root",
  };
}

const work = mkdtempSync(join(tmpdir(), "opencvm-bench-boot-"));
const backend = new QemuBackend({
  vmsDir: join(work, "vms"),
  disksDir: join(work, "disks"),
  snapshotsDir: join(work, "snapshots"),
  imagesDir: IMAGES,
  accel: env.BENCH_ACCEL === "kvm" ? "kvm" : "tcg",
  softStopMs: 10_000,
  metadataDir: join(work, "md"),
  imports: { allow: [], maxBytes: 0, timeoutMs: 0 },
  icountShift: env.BENCH_ICOUNT ? Number(env.BENCH_ICOUNT) : undefined,
});
const seen = new Map<string, number[]>();
const note = (what: string, ms: number) => seen.set(what, [...(seen.get(what) ?? []), ms]);
const guestClock: number[] = [];
const cpu: number[] = [];

try {
  for (let i = 0; i < BOOTS; i++) {
    const id = `ins-bench${String(i).padStart(3, "0")}`;
    const started = performance.now();
    await backend.create(spec(id));
    note("QEMU running (create returned)", performance.now() - started);
    await backend.setIngress(id, [22]);
    const log = join(work, "vms", id, "serial.log");
    const pending = [...MILESTONES];
    for (;;) {
      const now = performance.now() - started;
      if (now > LIMIT_MS) throw new Error(`no SSH banner within ${LIMIT_MS / 1000} s:\n${readFileSync(log, "utf8")}`);
      const text = existsSync(log) ? readFileSync(log, "utf8") : "";
      while (pending.length && pending[0][1].test(text)) note(pending.shift()![0], now);
      const port = backend.forwardedPorts(id).find((p) => p.guestPort === 22)?.hostPort;
      if (!pending.length && port && (await sshBanner(port))) {
        note("SSH banner on the forwarded port", performance.now() - started);
        // What the boot cost QEMU in CPU: far steadier than the wall clock on a machine that other work shares.
        cpu.push(cpuMs(Number(readFileSync(join(work, "vms", id, "qemu.pid"), "utf8"))));
        guestClock.push(Number(/ssh ready, ([\d.]+) s after the kernel started/.exec(text)![1]));
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await backend.destroy(id);
  }
} finally {
  await backend.close();
  rmSync(work, { recursive: true, force: true });
}

console.log(`\nBoot milestones of opencvm-mini under ${env.BENCH_ACCEL === "kvm" ? "KVM" : "TCG"}, ${BOOTS} boots, median s from create\n`);
console.log("| milestone | median s | each boot |");
console.log("| --- | --- | --- |");
for (const [what, ms] of seen) console.log(`| ${what} | ${(median(ms) / 1000).toFixed(2)} | ${ms.map((m) => (m / 1000).toFixed(1)).join(", ")} |`);
const banner = median(seen.get("SSH banner on the forwarded port")!) / 1000;
if (env.BENCH_ACCEL !== "kvm") console.log(`| (target: SSH-ready within 10 s; from create, not RunInstances) | ${sshTarget(banner)} | |`);
console.log(`| (QEMU's CPU time up to the SSH banner) | ${(median(cpu) / 1000).toFixed(2)} | ${cpu.map((m) => (m / 1000).toFixed(1)).join(", ")} |`);
console.log(`| (guest's clock${env.BENCH_ICOUNT ? `, counting instructions (-icount shift=${env.BENCH_ICOUNT})` : ""}: kernel start to dropbear) | ${median(guestClock).toFixed(2)} | ${guestClock.map((s) => s.toFixed(1)).join(", ")} |`);
