// The images directory (OPENCVM_IMAGES): one subdirectory per image, holding its disk (qcow2), image.json, which says
// what the catalog shows and how to boot it, and the kernel and initrd that boot it unless the disk boots itself. Captured images are written here too, marked
// with the instance they came from, and are not public.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";

export interface ImageFiles {
  imageId: string;
  dir: string;
  kernel: string;
  initrd: string;
  disk: string;
  /** What image.json says; only osName is required. */
  meta: ImageMeta;
}

/** image.json, as scripts/build-guest-image.sh writes it (docs/vm.md); only `osName` is required. */
export interface ImageMeta {
  /** The OS name the catalog shows. */
  osName: string;
  platform?: string;
  /** DescribeImageFromFamily's family (the directory's name when absent). */
  imageFamily?: string;
  architecture?: string;
  /** GiB: the smallest system disk. */
  imageSize?: number;
  loginUser?: string;
  /** The QEMU machine type (default pc). */
  machine?: string;
  /** Kernel command line arguments to add. */
  append?: string;
  /** How the guest learns about itself: `opencvm` (the metadata service only) or `nocloud` (cloud-init: a seed disk too). */
  datasource?: string;
  /** An id of the real shape (img-xxxxxxxx); absent: derived from the directory's name. */
  imageId?: string;
  /** Set on an image CreateImage captured: a custom image, not listed among the public ones. */
  capturedFrom?: string;
  /** Set on an image ImportImage wrote (its source): a custom image too. */
  importedFrom?: string;
  /** `firmware`: the disk boots with its own boot loader (a cloud image; no vmlinuz or initrd.img); else `kernel`. */
  boot?: "kernel" | "firmware";
}

const ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A stable id for an image directory without one: the same name gives the same id on every host. */
export function imageIdOf(name: string): string {
  const h = createHash("sha256").update(name).digest();
  let id = "img-";
  for (let i = 0; i < 8; i++) id += ID_CHARS[h[i] % ID_CHARS.length];
  return id;
}

/** Every usable image in the directory (a subdirectory missing a file or with a bad image.json is passed over). */
export function readImageDir(root: string): ImageFiles[] {
  if (!existsSync(root)) return [];
  const out: ImageFiles[] = [];
  for (const name of readdirSync(root).sort()) {
    const image = readImage(root, name);
    if (image) out.push(image);
  }
  return out;
}

export function readImage(root: string, name: string): ImageFiles | undefined {
  const dir = join(root, name);
  let meta: ImageMeta;
  try {
    meta = JSON.parse(readFileSync(join(dir, "image.json"), "utf8")) as ImageMeta;
  } catch {
    return undefined;
  }
  if (typeof meta.osName !== "string") return undefined;
  const files = { kernel: join(dir, "vmlinuz"), initrd: join(dir, "initrd.img"), disk: join(dir, "disk.qcow2") };
  const needed = meta.boot === "firmware" ? [files.disk] : Object.values(files);
  if (!needed.every((f) => existsSync(f))) return undefined;
  return { imageId: meta.imageId ?? imageIdOf(name), dir, ...files, meta };
}
