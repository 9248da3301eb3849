#!/usr/bin/env bash
# Builds OpenCVM's own public image, opencvm-mini: Debian's kernel, BusyBox and Dropbear, taken from Debian packages
# (apt-get download, no root needed, nothing installed on the host), assembled without mounting anything.
#
#   scripts/build-guest-image.sh [--images DIR] [--force]      (npm run build:image)
#
# Output, the contract with the qemu backend (docs/vm.md): DIR/opencvm-mini/ with vmlinuz, initrd.img, disk.qcow2
# (an ext4 root made by mke2fs -d, converted to qcow2) and image.json (what the catalog shows, the machine type and
# the kernel arguments to add). DIR is --images, else $OPENCVM_IMAGES, else
# $OPENCVM_DATA/images (OPENCVM_DATA defaults to ./opencvm-data). The build is keyed on this script, the files in
# scripts/guest/ and the exact package versions: when image.json's buildId matches, nothing is done.
set -euo pipefail

NAME=opencvm-mini
SIZE_GIB=1
# Added to the backend's own (console=ttyS0, opencvm.ip=..., opencvm.gw=...); the initramfs mounts root= or /dev/vda.
# Under software emulation every check the kernel skips is time saved (docs/performance.md, "Real machines"): QEMU's
# timer needs no check, the crypto self-tests prove nothing about an emulator, and one serial port is all there is
# to probe. The TSC keeps its watchdog: on a loaded host the guest's TSC can be miscalibrated, and the watchdog is
# what moves the guest to another clock then. rodata=off: Debian's kernel checks every page table for writable and
# executable mappings after making its own data read-only, a sixth of the whole boot under emulation; the price is
# that the guest kernel's read-only data stays writable (a hardening against kernel exploits, not a boundary).
APPEND="quiet rodata=off no_timer_check cryptomgr.notests 8250.nr_uarts=1"
# Modules the initramfs loads (with what they depend on), each one emulated work at every boot: virtio over PCI, the
# network and the disk, ext4's checksum before ext4 (it asks for it), and the power button's input events for acpid.
MODULES="virtio_pci virtio_net virtio_blk virtio-rng crc32c_generic ext4 evdev button"
# q35 rather than pc: the kernel reaches PCI configuration space through memory (ECAM) instead of I/O ports, which
# made loading virtio_pci, the slowest module on pc, nearly free under emulation (docs/performance.md).
MACHINE=q35
# Dropbear and resize2fs are dynamically linked; these are the libraries they need (apt-cache depends --recurse).
LIBRARIES="libc6 libcrypt1 libtomcrypt1 libtommath1 libgmp10 zlib1g libext2fs2 libcom-err2 libblkid1 libuuid1"

here=$(cd "$(dirname "$0")" && pwd)
images=${OPENCVM_IMAGES:-${OPENCVM_DATA:-./opencvm-data}/images}
force=
while [ $# -gt 0 ]; do
  case "$1" in
    --images) images=$2; shift 2 ;;
    --images=*) images=${1#--images=}; shift ;;
    --force) force=1; shift ;;
    *) echo "usage: $0 [--images DIR] [--force]" >&2; exit 2 ;;
  esac
done
case "$images" in :memory:*) echo "build-guest-image: set OPENCVM_IMAGES or --images (the data directory is :memory:)" >&2; exit 2 ;; esac

need() {
  local missing=() c
  for c in "$@"; do command -v "${c%%:*}" >/dev/null || missing+=("${c#*:}"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "build-guest-image: needs the Debian packages ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
}
need apt-get:apt dpkg-deb:dpkg flock:util-linux depmod:kmod xz:xz-utils mke2fs:e2fsprogs qemu-img:qemu-utils cpio:cpio sha256sum:coreutils
[ "$(id -u)" = 0 ] || need debugfs:e2fsprogs

kernel_package() { apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1; }
kernel_pkg=$(kernel_package)
if [ -z "$kernel_pkg" ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq >/dev/null 2>&1 || true
  kernel_pkg=$(kernel_package)
fi
if [ -z "$kernel_pkg" ]; then
  echo "build-guest-image: apt knows no linux-image-amd64; run apt-get update (Debian's main archive is needed)" >&2
  exit 1
fi
packages="$kernel_pkg busybox-static dropbear-bin e2fsprogs $LIBRARIES"

# What apt would download: one line per package, 'URI' FILE SIZE SHA256:HASH.
uris=$(apt-get download --print-uris $packages)
build_id=$( { cat "$0"; (cd "$here/guest" && find . -type f | LC_ALL=C sort | xargs sha256sum); echo "$uris" | awk '{print $2, $4}' | LC_ALL=C sort; } | sha256sum | cut -c1-16)

out="$images/$NAME"
mkdir -p "$images"
# One build at a time per images directory (test files may ask at once); the next one finds the image current.
exec 9>"$images/.build.lock"
flock 9
if [ -z "$force" ] && [ -f "$out/image.json" ] && grep -q "\"buildId\": \"$build_id\"" "$out/image.json"; then
  echo "build-guest-image: $out is current (build $build_id)"
  exit 0
fi

cache="$images/.cache/debs"
mkdir -p "$cache"
work=$(mktemp -d "$images/.build-$NAME.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Fetch: from the cache, else apt's own archive cache, else the mirror; each file checked against apt's hash.
missing=
while read -r _uri file _size _hash; do
  [ ! -f "$cache/$file" ] || continue
  if [ -f "/var/cache/apt/archives/$file" ]; then cp "/var/cache/apt/archives/$file" "$work/"; else missing="$missing ${file%%_*}"; fi
done <<<"$uris"
if [ -n "$missing" ] && ! (cd "$work" && apt-get download -q $missing >/dev/null 2>&1); then
  echo "build-guest-image: could not download$missing" >&2
  exit 1
fi
while read -r _uri file _size hash; do
  [ ! -f "$cache/$file" ] || continue
  if [ "$(sha256sum "$work/$file" | cut -d' ' -f1)" != "${hash#SHA256:}" ]; then
    echo "build-guest-image: $file does not match apt's hash" >&2
    exit 1
  fi
  mv "$work/$file" "$cache/$file"
done <<<"$uris"
for file in $(echo "$uris" | awk '{print $2}'); do
  pkg=${file%%_*}
  [ "$pkg" != "$kernel_pkg" ] || kernel_file=$file
  [ "$pkg" != "$kernel_pkg" ] || continue
  mkdir -p "$work/pkgs/$pkg"
  dpkg-deb -x "$cache/$file" "$work/pkgs/$pkg"
done
P=$work/pkgs

# Debian signs its modules, and the kernel checks a signature it finds: a SHA-256 of the whole module and an RSA
# verification, slow under emulation. Unsigned modules load all the same (MODULE_SIG_FORCE is off; the kernel only
# marks itself tainted), so the signature is cut off: the file ends with the marker, before it the signature's
# length (4 bytes, big-endian) closes a 12-byte header that follows the signature itself.
unsign() {
  local size length
  size=$(stat -c %s "$1")
  [ "$(tail -c 28 "$1")" = "~Module signature appended~" ] || return 0
  length=$(od -An -tu1 -j $((size - 32)) -N 4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
  truncate -s $((size - 28 - 12 - length)) "$1"
}

# From the kernel package (400 MB unpacked), only the kernel and the modules the initramfs loads, kept in the cache.
kernel=$images/.cache/${kernel_file%.deb}-$(echo "$MODULES unsigned" | sha256sum | cut -c1-8)
if [ ! -d "$kernel" ]; then
  k=$work/kernel-package
  mkdir -p "$k" "$work/kernel/modules"
  dpkg-deb -x "$cache/$kernel_file" "$k"
  kver=$(ls "$k/lib/modules")
  depmod -b "$k" "$kver" # the package leaves modules.dep to its install script
  moddir=$k/lib/modules/$kver
  : >"$work/kernel/modules/order"
  for module in $MODULES; do
    line=$(grep -E "(^|/)${module}\.ko:" "$moddir/modules.dep") || { echo "build-guest-image: kernel $kver has no module $module" >&2; exit 1; }
    # modules.dep lists a module's dependencies, those it needs last; load them in reverse, then the module.
    deps=$(echo "${line#*:}" | tr ' ' '\n' | grep . | tac || true)
    for path in $deps "${line%%:*}"; do
      base=$(basename "$path" .ko)
      grep -qx "$base" "$work/kernel/modules/order" && continue
      cp "$moddir/$path" "$work/kernel/modules/$base.ko"
      unsign "$work/kernel/modules/$base.ko"
      echo "$base" >>"$work/kernel/modules/order"
    done
  done
  # The bzImage's own decompressor takes most of the time to the kernel's first line under TCG; QEMU loads the
  # uncompressed ELF straight to its PVH entry instead. Any kernel not packed with xz keeps its bzImage.
  offset=$(LC_ALL=C grep -abo $'\xfd7zXZ\x00' "$k/boot/vmlinuz-$kver" | head -n 1 | cut -d: -f1)
  [ -z "$offset" ] || tail -c +$((offset + 1)) "$k/boot/vmlinuz-$kver" | xz -dcq >"$work/kernel/vmlinuz" 2>/dev/null || true
  if [ "$(head -c 4 "$work/kernel/vmlinuz" 2>/dev/null | od -An -c | tr -d ' \n')" != '177ELF' ]; then
    cp "$k/boot/vmlinuz-$kver" "$work/kernel/vmlinuz"
  fi
  echo "$kver" >"$work/kernel/release"
  rm -rf "$k"
  mv "$work/kernel" "$kernel"
fi
kver=$(cat "$kernel/release")

# The root file system.
root=$work/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/lib,lib,etc,proc,sys,dev,run,tmp,mnt,root,var/log,var/lib/opencvm,var/empty}
install -m 755 "$P/busybox-static/bin/busybox" "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list-full); do
  [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
install -m 755 "$P/dropbear-bin/usr/sbin/dropbear" "$root/usr/sbin/dropbear"
install -m 755 "$P/dropbear-bin/usr/bin/dropbearkey" "$root/usr/bin/dropbearkey"
install -m 755 "$P/e2fsprogs/sbin/resize2fs" "$root/sbin/resize2fs"
for pkg in $LIBRARIES; do
  (cd "$P/$pkg" && find . -path ./usr/share -prune -o -path '*/gconv' -prune -o -name '*.so*' \( -type f -o -type l \) -print) |
    while read -r lib; do
      mkdir -p "$root/$(dirname "$lib")"
      cp -a "$P/$pkg/$lib" "$root/$lib"
    done
done
cp -a "$here/guest/rootfs/." "$root/"
ln -s /proc/mounts "$root/etc/mtab"
ln -s /run "$root/var/run"
chmod 600 "$root/etc/shadow"
chmod 700 "$root/root"
chmod 1777 "$root/tmp"

# The initramfs: BusyBox, the modules in dependency order, and the first-stage init.
initrd=$work/initrd
mkdir -p "$initrd"/{bin,dev,proc,sys,root,lib/modules}
install -m 755 "$P/busybox-static/bin/busybox" "$initrd/bin/busybox"
for applet in $("$initrd/bin/busybox" --list); do [ -e "$initrd/bin/$applet" ] || ln -s busybox "$initrd/bin/$applet"; done
install -m 755 "$here/guest/initramfs-init" "$initrd/init"
cp "$kernel/modules/"* "$initrd/lib/modules/"
# Not compressed: QEMU hands the file to the kernel at memory speed, and inflating it was emulated work.
(cd "$initrd" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$work/initrd.img"

# The system disk: ext4 written straight from the directory, owned by root whoever builds it.
mke2fs -q -F -t ext4 -b 4096 -L opencvm-root -d "$root" -E root_owner=0:0 "$work/root.raw" "${SIZE_GIB}G" >/dev/null
if [ "$(id -u)" != 0 ]; then
  (cd "$root" && find . -mindepth 1 | sed 's|^\.||' | while read -r p; do echo "sif \"$p\" uid 0"; echo "sif \"$p\" gid 0"; done) >"$work/owners"
  debugfs -w -f "$work/owners" "$work/root.raw" >/dev/null 2>&1
fi
qemu-img convert -O qcow2 "$work/root.raw" "$work/disk.qcow2"
cp "$kernel/vmlinuz" "$work/vmlinuz"

version() { echo "$uris" | awk -v p="$1" '{ split($2, f, "_"); if (f[1] == p) { gsub("%3a", ":", f[2]); print f[2] } }'; }
pkgs_json=$(for file in $(echo "$uris" | awk '{print $2}'); do pkg=${file%%_*}; printf '"%s=%s", ' "$pkg" "$(version "$pkg")"; done)
cat >"$work/image.json" <<EOF
{
  "name": "$NAME",
  "osName": "OpenCVM Mini (Debian kernel $kver, BusyBox $(version busybox-static | cut -d- -f1 | sed 's/^1://'), Dropbear $(version dropbear-bin | cut -d- -f1))",
  "platform": "Debian",
  "imageFamily": "$NAME",
  "architecture": "x86_64",
  "imageSize": $SIZE_GIB,
  "loginUser": "root",
  "machine": "$MACHINE",
  "append": "$APPEND",
  "datasource": "opencvm",
  "buildId": "$build_id",
  "packages": [${pkgs_json%, }]
}
EOF

# Replace the image in one rename, keeping the old one until the new one is in place.
mkdir -p "$work/image"
mv "$work/vmlinuz" "$work/initrd.img" "$work/disk.qcow2" "$work/image.json" "$work/image/"
if [ -d "$out" ]; then mv "$out" "$work/old"; fi
mv "$work/image" "$out"
echo "build-guest-image: built $out (build $build_id): $(du -sh "$out" | cut -f1)"
