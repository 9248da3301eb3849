// OpenCVM's own guest image for the tests that boot it, built by the project's script when missing or stale (the
// script does nothing when the image is current, and builds one at a time). Kept across runs in
// $OPENCVM_TEST_IMAGES, by default a directory under the system's temporary directory.
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../scripts/build-guest-image.sh", import.meta.url));

export const TEST_IMAGES = process.env.OPENCVM_TEST_IMAGES || join(tmpdir(), "opencvm-test-images");

/** The directory of the built opencvm-mini image (vmlinuz, initrd.img, disk.qcow2, image.json). */
export function guestImage(): string {
  const built = spawnSync("bash", [SCRIPT, "--images", TEST_IMAGES], { encoding: "utf8", timeout: 600_000 });
  if (built.status !== 0) throw new Error(`build-guest-image.sh failed (${built.status ?? built.signal}): ${built.stderr || built.stdout}`);
  return join(TEST_IMAGES, "opencvm-mini");
}
