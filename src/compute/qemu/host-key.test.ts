// The host key made for a machine is one Dropbear reads, and its public half is the line an SSH client is shown:
// checked against Dropbear's own tool (test/setup/system-packages.ts installs it).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hostPublicKey, newHostKey } from "./host-key.js";

describe("host keys", () => {
  it("are Ed25519 in Dropbear's layout, a new one each time", () => {
    const key = newHostKey();
    expect(key.length).toBe(4 + 11 + 4 + 64);
    expect(key.subarray(4, 15).toString()).toBe("ssh-ed25519");
    expect(key.readUInt32BE(15)).toBe(64);
    expect(newHostKey().equals(key)).toBe(false);
    expect(hostPublicKey(key)).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}=?$/);
  });

  it("are read by Dropbear, which derives the same public key", () => {
    const dir = mkdtempSync(join(tmpdir(), "opencvm-hostkey-"));
    try {
      const key = newHostKey();
      writeFileSync(join(dir, "key"), key, { mode: 0o600 });
      const out = execFileSync("dropbearkey", ["-y", "-f", join(dir, "key")], { encoding: "utf8" });
      expect(out).toContain(hostPublicKey(key));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
