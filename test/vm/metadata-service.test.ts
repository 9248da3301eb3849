// The metadata service over its real unix sockets: one per VM, readable only by the server's user, each answering
// about its own VM with what the getter says now; stop removes a socket, and a new service takes over a closed one's.
import { request } from "node:http";
import { mkdtempSync, rmSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { guestMetadata } from "../helpers/guest-metadata.js";
import { MetadataService } from "../../src/compute/qemu/metadata.js";

const dir = mkdtempSync(join(tmpdir(), "opencvm-md-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function get(socket: string, path: string, method = "GET"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("MetadataService", () => {
  it("answers each VM about itself on its own socket, readable by the owner only", async () => {
    const service = new MetadataService(dir);
    const a = await service.serve("ins-aaaa0001", () => guestMetadata("ins-aaaa0001"));
    const b = await service.serve("ins-bbbb0002", () => guestMetadata("ins-bbbb0002", { zone: "ap-guangzhou-4" }));
    expect(a.socket).not.toBe(b.socket);
    expect(statSync(a.socket).mode & 0o777).toBe(0o600);
    expect(await get(a.socket, "/latest/meta-data/instance-id")).toEqual({ status: 200, body: "ins-aaaa0001" });
    expect(await get(b.socket, "/latest/meta-data/instance-id")).toEqual({ status: 200, body: "ins-bbbb0002" });
    expect((await get(b.socket, "/latest/meta-data/placement/zone")).body).toBe("ap-guangzhou-4");
    expect((await get(a.socket, "/latest/meta-data/nothing")).status).toBe(404);
    expect((await get(a.socket, "/latest/meta-data/instance-id", "POST")).status).toBe(405);
    await service.close();
  });

  it("reads the getter at every request, and a second serve re-points the same socket", async () => {
    const service = new MetadataService(dir);
    let name = "first";
    const e1 = await service.serve("ins-cccc0003", () => guestMetadata("ins-cccc0003", { hostName: name }));
    expect((await get(e1.socket, "/latest/meta-data/opencvm/hostname")).body).toBe("first");
    name = "second";
    expect((await get(e1.socket, "/latest/meta-data/opencvm/hostname")).body).toBe("second");
    const e2 = await service.serve("ins-cccc0003", () => guestMetadata("ins-cccc0003", { hostName: "third" }));
    expect(e2).toEqual(e1);
    expect((await get(e1.socket, "/latest/meta-data/opencvm/hostname")).body).toBe("third");
    await service.stop("ins-cccc0003");
    expect(existsSync(e1.socket)).toBe(false);
    await expect(get(e1.socket, "/")).rejects.toThrow();
    await service.close();
  });

  it("lets a new service (after a server restart) serve a VM at the same socket", async () => {
    const before = new MetadataService(dir);
    const e1 = await before.serve("ins-dddd0004", () => guestMetadata("ins-dddd0004"));
    await before.close();
    const after = new MetadataService(dir);
    const e2 = await after.serve("ins-dddd0004", () => guestMetadata("ins-dddd0004", { hostName: "adopted" }));
    expect(e2).toEqual(e1);
    expect((await get(e2.socket, "/latest/meta-data/opencvm/hostname")).body).toBe("adopted");
    await after.close();
  });

  it("refuses an id that could leave its directory", async () => {
    const service = new MetadataService(dir);
    await expect(service.serve("../evil", () => guestMetadata("ins-x"))).rejects.toThrow(/instance id/);
    await service.close();
  });
});
