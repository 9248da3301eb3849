#!/usr/bin/env bash
# Builds debian-cloud, a Debian cloud image of the usual kind: a partitioned disk that boots with its own boot loader
# (SYSLINUX, from the firmware; no kernel from the host), systemd, Debian's cloud-init and OpenSSH, configured by
# cloud-init from a NoCloud seed. Everything comes from Debian packages (mmdebstrap from the host's apt sources);
# nothing is mounted: the root file system is written by mke2fs -d into its partition, the boot partition (FAT) by
# mtools, and SYSLINUX installs itself into it through mtools too.
#
#   scripts/build-cloud-image.sh [--out DIR] [--force]          (npm run build:cloud-image; root: mmdebstrap's root mode)
#
# Output: DIR/debian-cloud/disk.qcow2 (what ImportImage takes, docs/vm.md) and image.json (what the build used).
# DIR is --out, else $OPENCVM_IMPORT_DIR, else $OPENCVM_DATA/import (OPENCVM_DATA defaults to ./opencvm-data). The
# build is keyed on this script and the versions of the packages it names; when image.json's buildId matches,
# nothing is done.
set -euo pipefail

NAME=debian-cloud
SIZE_MIB=2048
BOOT_MIB=96
SUITE=bookworm
# The cloud kernel (virtio and what a virtual machine has, little else); ifupdown is what cloud-init renders the
# network for on Debian; cloud-guest-utils grows the root partition to the disk at first boot.
PACKAGES="linux-image-cloud-amd64,systemd-sysv,udev,cloud-init,cloud-guest-utils,openssh-server,ifupdown,isc-dhcp-client,sudo,netbase,procps,e2fsprogs,python3-jsonschema"
# The initramfs holds only what finds the root file system here (smaller is less to unpack under emulation).
MODULES="virtio_pci virtio_blk virtio_net virtio_rng ext4 crc32c_generic vfat nls_cp437 nls_iso8859_1"

images=${OPENCVM_IMPORT_DIR:-${OPENCVM_DATA:-./opencvm-data}/import}
force=
while [ $# -gt 0 ]; do
  case "$1" in
    --out) images=$2; shift 2 ;;
    --out=*) images=${1#--out=}; shift ;;
    --force) force=1; shift ;;
    *) echo "usage: $0 [--out DIR] [--force]" >&2; exit 2 ;;
  esac
done

need() {
  local missing=() c
  for c in "$@"; do command -v "${c%%:*}" >/dev/null || missing+=("${c#*:}"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "build-cloud-image: needs the Debian packages ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
}
need mmdebstrap:mmdebstrap mke2fs:e2fsprogs qemu-img:qemu-utils sfdisk:fdisk mcopy:mtools mkfs.vfat:dosfstools syslinux:syslinux flock:util-linux sha256sum:coreutils
mbr=/usr/lib/syslinux/mbr/mbr.bin
[ -f "$mbr" ] || { echo "build-cloud-image: needs the Debian package syslinux-common ($mbr)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "build-cloud-image: runs as root (mmdebstrap's root mode writes the system's owners and devices)" >&2; exit 1; }

# The host's own apt sources, Debian's suite only (a deb822 file, as Debian 12 writes it).
sources=$(ls /etc/apt/sources.list.d/debian.sources 2>/dev/null || ls /etc/apt/sources.list 2>/dev/null || true)
[ -n "$sources" ] || { echo "build-cloud-image: no Debian apt sources on this host" >&2; exit 1; }

out=$images/$NAME
mkdir -p "$images"
exec 9>"$images/.$NAME.lock"
flock 9

versions=$(apt-cache policy ${PACKAGES//,/ } 2>/dev/null | awk '/^[^ ]/{p=$1} /Candidate:/{print p $2}' | tr '\n' ' ')
build_id=$( { cat "$0"; echo "$versions"; } | sha256sum | cut -c1-16)
if [ -z "$force" ] && [ -f "$out/image.json" ] && grep -q "\"buildId\": \"$build_id\"" "$out/image.json"; then
  echo "build-cloud-image: $out is up to date"
  exit 0
fi

work=$(mktemp -d "$images/.$NAME.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
started=$(date +%s)

# The initramfs is made again once its module list is in place, inside mmdebstrap (which mounts /proc and /sys).
mmdebstrap --quiet --mode=root --variant=minbase --include="$PACKAGES" \
  --essential-hook='mkdir -p "$1/etc/initramfs-tools/conf.d" && echo MODULES=list >"$1/etc/initramfs-tools/conf.d/opencvm"' \
  --essential-hook='echo "LABEL=opencvm-root / ext4 rw,discard,errors=remount-ro 0 1" >"$1/etc/fstab"' \
  --customize-hook="printf '%s\\n' $MODULES >>\"\$1/etc/initramfs-tools/modules\" && chroot \"\$1\" update-initramfs -u -k all >/dev/null" \
  "$SUITE" "$root" "$sources"

# cloud-init: NoCloud only (no probing of other clouds' addresses), one host key type (each made at first boot is
# emulated work), and the C.UTF-8 locale the C library always has (cloud-init's default, en_US.UTF-8, is not
# generated in a minimal system, and its locale module then fails the boot's status).
cat >"$root/etc/cloud/cloud.cfg.d/90-opencvm.cfg" <<'EOF'
datasource_list: [NoCloud, None]
ssh_genkeytypes: [ed25519]
locale: C.UTF-8
system_info:
  network:
    renderers: [eni]
EOF
printf 'localhost\n' >"$root/etc/hostname"
# Every instance makes its own: host keys (cloud-init), machine id (systemd), at first boot.
rm -f "$root"/etc/ssh/ssh_host_* "$root/var/lib/dbus/machine-id"
: >"$root/etc/machine-id"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb

kver=$(ls "$root/boot" | sed -n 's/^vmlinuz-//p' | sort -V | tail -n 1)
mkdir -p "$work/boot"
cp "$root/boot/vmlinuz-$kver" "$work/boot/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$work/boot/initrd.img"
cat >"$work/boot/syslinux.cfg" <<EOF
SERIAL 0 115200
DEFAULT debian
PROMPT 0
TIMEOUT 0
LABEL debian
  KERNEL /vmlinuz
  INITRD /initrd.img
  APPEND root=LABEL=opencvm-root ro console=tty0 console=ttyS0,115200 net.ifnames=0
EOF

# The disk: an MBR with SYSLINUX's boot code, a FAT boot partition (active) and the ext4 root after it. The boot
# partition is made as a file of its own (SYSLINUX installs into a FAT image through mtools) and copied into place.
disk=$work/disk.raw
boot_start=2048
root_start=$((boot_start + BOOT_MIB * 2048))
truncate -s "${SIZE_MIB}M" "$disk"
printf 'label: dos\nstart=%d, size=%d, type=e, bootable\nstart=%d, type=83\n' "$boot_start" $((BOOT_MIB * 2048)) "$root_start" | sfdisk -q "$disk"
dd if="$mbr" of="$disk" bs=440 count=1 conv=notrunc status=none
mkfs.vfat -F 16 -n BOOT -C "$work/boot.img" $((BOOT_MIB * 1024)) >/dev/null
export MTOOLS_SKIP_CHECK=1
for f in vmlinuz initrd.img syslinux.cfg; do mcopy -i "$work/boot.img" "$work/boot/$f" "::$f"; done
syslinux --install "$work/boot.img"
dd if="$work/boot.img" of="$disk" bs=512 seek="$boot_start" conv=notrunc status=none
mke2fs -q -t ext4 -L opencvm-root -d "$root" -E offset=$((root_start * 512)) "$disk" $(((SIZE_MIB - BOOT_MIB - 1) * 1024))k
qemu-img convert -O qcow2 "$disk" "$work/disk.qcow2"

mkdir -p "$work/image"
mv "$work/disk.qcow2" "$work/image/"
cat >"$work/image/image.json" <<EOF
{
  "name": "$NAME",
  "osName": "Debian 12 (cloud-init)",
  "platform": "Debian",
  "architecture": "x86_64",
  "imageSize": $(((SIZE_MIB + 1023) / 1024)),
  "kernel": "$kver",
  "buildSeconds": $(($(date +%s) - started)),
  "buildId": "$build_id",
  "packages": "$versions"
}
EOF
if [ -d "$out" ]; then mv "$out" "$work/old"; fi
mv "$work/image" "$out"
echo "build-cloud-image: $out ($(du -h "$out/disk.qcow2" | cut -f1), $(($(date +%s) - started)) s)"
