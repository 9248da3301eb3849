// The QEMU command line of one machine. QEMU daemonizes (so the server's restart or death leaves it running),
// writes its pid file, and is driven through its QMP socket; its serial console goes to a log file and its screen
// to a VNC unix socket. The guest learns its address from its kernel command line and the rest from its metadata
// service (user-network.ts, metadata.ts).
import { createHash } from "node:crypto";
import type { MachineSpec } from "../backend.js";
import { deviceOf, type DataDisk } from "./disk-files.js";
import type { ImageFiles } from "./image-dir.js";
import type { Endpoint } from "./metadata.js";
import { seedDrive } from "./nocloud-seed.js";
import { guestNetworkParams, userNetdev } from "./user-network.js";
import type { VmFiles } from "./vm-files.js";

export type Accel = "kvm" | "tcg";

/** A stable MAC address per instance, in the locally administered range QEMU uses (52:54:00). */
export function macOf(instanceId: string): string {
  const h = createHash("sha256").update(instanceId).digest();
  return ["52", "54", "00", ...[h[0], h[1], h[2]].map((b) => b.toString(16).padStart(2, "0"))].join(":");
}

/** The guest's network reaches its metadata service (`endpoint`) and nothing else; ports are forwarded later. */
/**
 * `icountShift` (benchmarks only, TCG): the guest's clock advances 2^shift ns per emulated instruction, so its own
 * timings count the work it did, whatever else the host runs (waits on the host still count as they last).
 */
export function qemuArgs(spec: MachineSpec, image: ImageFiles, files: VmFiles, dataDisks: readonly DataDisk[], accel: Accel, endpoint: Endpoint, icountShift?: number): string[] {
  const machine = image.meta.machine ?? "pc";
  const pci = machine.startsWith("microvm") ? "device" : "pci";
  const firmware = image.meta.boot === "firmware";
  const append = [
    "console=ttyS0",
    "reboot=t",
    "panic=-1",
    guestNetworkParams({ address: `${spec.network.privateIp}/${spec.network.prefix}`, gateway: spec.network.gateway }),
    image.meta.append ?? "",
  ].filter(Boolean);
  const args = [
    "-name", spec.instanceId,
    "-M", machine,
    "-accel", accel,
    ...(accel === "kvm" ? ["-cpu", "host"] : []),
    ...(icountShift !== undefined && accel === "tcg" ? ["-icount", `shift=${icountShift}`] : []),
    "-smp", String(spec.cpu),
    "-m", `${Math.round(spec.memory * 1024)}M`,
    "-nodefaults", "-no-user-config",
    // A cloud image boots from its disk through the firmware (first in the boot order, before the seed disk) and
    // learns its address from the NoCloud seed; QEMU's own kernel loader takes boot index 0 otherwise.
    ...(firmware ? [] : ["-kernel", image.kernel, "-initrd", image.initrd, "-append", append.join(" ")]),
    "-drive", `file=${files.systemDisk},if=none,id=disk0,format=qcow2,cache=unsafe`,
    "-device", `virtio-blk-${pci},drive=disk0${firmware ? ",bootindex=0" : ""}`,
  ];
  const ports = machine.startsWith("q35") ? dataDisks.length + HOTPLUG_PORTS : 0;
  for (let i = 0; i < ports; i++) args.push("-device", `pcie-root-port,id=${portOf(i)},chassis=${i + 1},port=${i + 1},io-reserve=0`);
  dataDisks.forEach((d, i) => {
    // A block node of its own and a device with an id, so the disk can be unplugged from a running machine; on q35
    // each sits behind a root port (a device on the root complex cannot be unplugged).
    args.push("-blockdev", blockdevArg(d), "-device", `virtio-blk-${pci},drive=${d.node},id=${deviceOf(d.node)}${ports ? `,bus=${portOf(i)}` : ""}`);
  });
  if (image.meta.datasource === "nocloud") args.push(...seedDrive(files.seedDir, pci));
  args.push(
    // Entropy from the host: without it a first boot waits for the kernel's pool before making its SSH host key.
    "-object", "rng-random,id=rng0,filename=/dev/urandom",
    "-device", `virtio-rng-${pci},rng=rng0`,
    "-netdev", userNetdev({ id: "net0", endpoint, address: `${spec.network.privateIp}/${spec.network.prefix}`, gateway: spec.network.gateway }),
    // No option ROM (PCI only): the kernel is loaded directly, so the firmware has no network boot to prepare.
    "-device", `virtio-net-${pci},netdev=net0,mac=${macOf(spec.instanceId)}${pci === "pci" ? ",romfile=" : ""}`,
    "-chardev", `file,id=serial0,path=${files.serialLog},append=on`,
    "-serial", "chardev:serial0",
    "-vga", "std",
    "-display", "none",
    "-vnc", `unix:${files.vncSocket}`,
    "-qmp", `unix:${files.qmpSocket},server=on,wait=off`,
    "-pidfile", files.pidFile,
    "-daemonize",
  );
  return args;
}

/** Empty PCIe root ports a q35 machine starts with, beyond one per data disk, where disks are plugged in while it runs. */
export const HOTPLUG_PORTS = 4;

export const portOf = (i: number) => `port${i}`;

/** A data disk's qcow2 node over its file; flushes are skipped as with the system disk's cache=unsafe. */
function blockdevArg(d: DataDisk): string {
  return `driver=qcow2,node-name=${d.node},cache.no-flush=on,file.driver=file,file.filename=${d.path}`;
}
