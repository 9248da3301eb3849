// Vitest global set-up: the Debian packages the tests drive for real. A missing one is installed with apt-get when
// this runs as root (as on the project's machines and CI); otherwise the run stops at once with one line naming the
// packages, so that no test is skipped or fails later for want of a program.
import { spawnSync } from "node:child_process";

/**
 * A program the tests run (or, for a package without one, a shell pattern of a file it installs), and the Debian
 * package that provides it. Add a row when a test needs a new one.
 */
export const SYSTEM_PACKAGES: readonly { command: string; pkg: string; why: string }[] = [
  { command: "ssh-keygen", pkg: "openssh-client", why: "key pair tests check generated keys" },
  { command: "qemu-img", pkg: "qemu-utils", why: "image export tests read exported disks; the guest image's disk is converted with it" },
  { command: "qemu-system-x86_64", pkg: "qemu-system-x86", why: "the guest image tests boot it" },
  { command: "socat", pkg: "socat", why: "QEMU's guestfwd relays each guest connection to the metadata service with it" },
  { command: "sshpass", pkg: "sshpass", why: "the guest image tests log in with a password" },
  { command: "ssh", pkg: "openssh-client", why: "the guest image tests log in over SSH" },
  { command: "mke2fs", pkg: "e2fsprogs", why: "build-guest-image.sh writes the guest's ext4 root" },
  { command: "depmod", pkg: "kmod", why: "build-guest-image.sh orders the guest kernel's modules" },
  { command: "dropbearkey", pkg: "dropbear-bin", why: "the host key tests check that Dropbear reads the keys the qemu backend makes" },
  { command: "cpio", pkg: "cpio", why: "build-guest-image.sh packs the guest's initramfs" },
  { command: "ip", pkg: "iproute2", why: "the README test runs its examples in a network namespace of its own" },
  { command: "curl", pkg: "curl", why: "the README test waits for the server it starts" },
  { command: "xz", pkg: "xz-utils", why: "build-guest-image.sh unpacks the guest's kernel" },
  { command: "chromium", pkg: "chromium", why: "the VNC console test opens the noVNC page in a real browser (playwright-core drives it)" },
  { command: "busybox", pkg: "busybox-static", why: "the qemu backend's tests boot a busybox initramfs" },
  { command: "/boot/vmlinuz-*", pkg: "linux-image-amd64", why: "the qemu backend's tests boot the Debian kernel" },
  { command: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", pkg: "fonts-wqy-zenhei", why: "the console's screenshots in Chinese need a font with its characters" },
  { command: "chromium", pkg: "chromium", why: "the web console's tests drive it through Playwright (which cannot download its own browsers here)" },
  { command: "mmdebstrap", pkg: "mmdebstrap", why: "build-cloud-image.sh installs the cloud image's Debian system" },
  { command: "syslinux", pkg: "syslinux", why: "build-cloud-image.sh installs the cloud image's boot loader through mtools" },
  { command: "/usr/lib/syslinux/mbr/mbr.bin", pkg: "syslinux-common", why: "the cloud image's master boot record" },
  { command: "mcopy", pkg: "mtools", why: "build-cloud-image.sh writes the cloud image's boot partition without mounting it" },
  { command: "mkfs.vfat", pkg: "dosfstools", why: "build-cloud-image.sh makes the cloud image's boot partition" },
  { command: "sfdisk", pkg: "fdisk", why: "build-cloud-image.sh partitions the cloud image's disk" },
];

const present = (command: string) =>
  spawnSync("sh", ["-c", command.startsWith("/") ? `ls ${command}` : `command -v ${command}`], { stdio: "ignore" }).status === 0;

function aptInstall(pkgs: readonly string[]): string | undefined {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update", "-qq"], { env, encoding: "utf8" });
  if (update.status !== 0) return (update.stderr || update.error?.message || "apt-get update failed").trim().split("\n").pop();
  const install = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...pkgs], { env, encoding: "utf8" });
  if (install.status !== 0) return (install.stderr || install.error?.message || "apt-get install failed").trim().split("\n").pop();
  return undefined;
}

export default function setup(): void {
  const missing = [...new Set(SYSTEM_PACKAGES.filter((p) => !present(p.command)).map((p) => p.pkg))];
  if (!missing.length) return;
  const isRoot = process.getuid?.() === 0;
  const why = isRoot ? aptInstall(missing) : "not root, so they cannot be installed here";
  if (why === undefined) {
    const still = SYSTEM_PACKAGES.filter((p) => !present(p.command));
    if (!still.length) return;
    throw new Error(`the tests need ${still.map((p) => p.command).join(", ")}, still missing after installing ${missing.join(" ")}`);
  }
  throw new Error(`the tests need the Debian packages ${missing.join(" ")} (apt-get install ${missing.join(" ")}): ${why}`);
}
