// A minimal guest for the qemu backend's tests: the Debian kernel and a busybox initramfs whose init brings up the
// network from the kernel command line, writes what it sees (CPUs, memory) to the serial console, answers on port
// 22 with an SSH-style banner, and powers off on the ACPI power button (unless booted with tiny.stubborn).
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";

const INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover virtio_net virtio_blk button evdev fat vfat nls_cp437 nls_ascii; do
  insmod /lib/modules/$m.ko 2>/dev/null
done
for w in $(cat /proc/cmdline); do case $w in opencvm.ip=*) IP=\${w#*=};; opencvm.gw=*) GW=\${w#*=};; esac; done
ip link set lo up; ip link set eth0 up; ip addr add $IP dev eth0; ip route add default via $GW
echo "tiny-guest up nproc=$(nproc) memkb=$(awk '/MemTotal/ {print $2}' /proc/meminfo) ip=$IP"
# A NoCloud seed (an image with datasource nocloud) is the file system labelled CIDATA: show its files.
seed=$(findfs LABEL=CIDATA 2>/dev/null)
if [ -n "$seed" ]; then
  mkdir -p /seed; mount -t vfat -o ro $seed /seed && for f in /seed/*; do echo "seed-file \${f#/seed/}:"; cat $f; echo; done; echo "seed-end"
fi
while true; do echo "SSH-2.0-tinyguest nproc=$(nproc) memkb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)" | nc -l -p 22; done &
if ! grep -q tiny.stubborn /proc/cmdline; then
  for e in /dev/input/event*; do (head -c 1 $e >/dev/null; echo "tiny-guest powering off"; poweroff -f) & done
fi
while true; do sleep 3600; done
`;

const MODULES = [
  "drivers/virtio/virtio_ring",
  "drivers/virtio/virtio",
  "drivers/virtio/virtio_pci_legacy_dev",
  "drivers/virtio/virtio_pci_modern_dev",
  "drivers/virtio/virtio_pci",
  "net/core/failover",
  "drivers/net/net_failover",
  "drivers/net/virtio_net",
  "drivers/block/virtio_blk",
  "drivers/acpi/button",
  "drivers/input/evdev",
  "fs/fat/fat",
  "fs/fat/vfat",
  "fs/nls/nls_cp437",
  "fs/nls/nls_ascii",
];

/**
 * Writes images `tiny`, `tiny-stubborn` (a guest that ignores ACPI) and `tiny-cloud` (datasource nocloud: the backend
 * gives it a seed disk, whose files its init prints) into `imagesDir`.
 */
export function writeTinyImages(imagesDir: string, work: string): void {
  const release = readdirSync("/lib/modules").sort().pop()!;
  const root = join(work, "root");
  for (const d of ["bin", "lib/modules", "proc", "sys", "dev"]) mkdirSync(join(root, d), { recursive: true });
  copyFileSync("/bin/busybox", join(root, "bin/busybox"));
  chmodSync(join(root, "bin/busybox"), 0o755);
  for (const m of MODULES) copyFileSync(`/lib/modules/${release}/kernel/${m}.ko`, join(root, "lib/modules", `${m.split("/").pop()}.ko`));
  writeFileSync(join(root, "init"), INIT, { mode: 0o755 });
  const initrd = join(work, "initrd.img");
  const packed = spawnSync("sh", ["-c", `cd ${root} && find . | cpio -o -H newc 2>/dev/null | gzip -1 > ${initrd}`]);
  if (packed.status !== 0) throw new Error(`cannot pack the initramfs: ${packed.stderr}`);
  for (const [name, meta] of [
    ["tiny", { osName: "Tiny busybox guest", imageSize: 1 }],
    ["tiny-stubborn", { osName: "Tiny busybox guest ignoring ACPI", imageSize: 1, append: "tiny.stubborn" }],
    ["tiny-cloud", { osName: "Tiny busybox guest reading a NoCloud seed", imageSize: 1, datasource: "nocloud" }],
  ] as const) {
    const dir = join(imagesDir, name);
    mkdirSync(dir, { recursive: true });
    copyFileSync(`/boot/vmlinuz-${release}`, join(dir, "vmlinuz"));
    copyFileSync(initrd, join(dir, "initrd.img"));
    execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", join(dir, "disk.qcow2"), "1G"]);
    writeFileSync(join(dir, "image.json"), JSON.stringify({ ...meta, imageFamily: name, architecture: "x86_64", loginUser: "root" }));
  }
}
