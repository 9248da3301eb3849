// OpenSSH's own ssh-keygen, as the independent judge of the keys OpenCVM hands out and accepts.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class SshKeygen {
  private readonly dir = mkdtempSync(join(tmpdir(), "opencvm-ssh-keygen-"));
  private n = 0;

  /** A new key of `type` ("rsa", "ed25519", "ecdsa", with `bits` for RSA and ECDSA): its public line. */
  generate(type: string, bits?: number, comment = `${type}@test`): string {
    const file = join(this.dir, `key${this.n++}`);
    execFileSync("ssh-keygen", ["-q", "-N", "", "-C", comment, "-t", type, ...(bits ? ["-b", String(bits)] : []), "-f", file]);
    return readFileSync(`${file}.pub`, "utf8").trim();
  }

  /** `ssh-keygen -l` of a public line or a private key: its size and SHA256 fingerprint. */
  fingerprint(key: string): { bits: number; fingerprint: string } {
    const [bits, fingerprint] = execFileSync("ssh-keygen", ["-l", "-f", this.write(key)], { encoding: "utf8" }).split(" ");
    return { bits: Number(bits), fingerprint };
  }

  /** `ssh-keygen -y`: the public line OpenSSH derives from a private key (which it reads only from a 0600 file). */
  publicOf(privateKey: string): string {
    return execFileSync("ssh-keygen", ["-y", "-f", this.write(privateKey)], { encoding: "utf8" }).trim();
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private write(text: string): string {
    const file = join(this.dir, `file${this.n++}`);
    writeFileSync(file, text.endsWith("\n") ? text : `${text}\n`, { mode: 0o600 });
    return file;
  }
}
