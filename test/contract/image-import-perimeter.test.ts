// ImportImage as a hostile tenant would use it: to make the server fetch its own admin paths, the link-local
// metadata range or a private service, to read the host's files, FIFOs and devices, or to exhaust its memory. Each
// is refused with the documented code and the rule in its message, or, when only the fetch can find it out (a
// redirect, a body too large), the import fails and nothing forbidden is reached.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";

const CAP = 192 * 1024 ** 2;
const dir = mkdtempSync(join(tmpdir(), "opencvm-import-dir-"));
const base = { Architecture: "x86_64", OsType: "Ubuntu", OsVersion: "22.04" };
const qcow2 = Buffer.concat([Buffer.from("QFI\xfb", "latin1"), Buffer.alloc(1020)]);

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
const servers: Server[] = [];
/** Requests each local HTTP server received, by its port. */
const hits = new Map<number, string[]>();

async function serve(handler: RequestListener, host = "127.0.0.1"): Promise<number> {
  const s = createServer((req, res) => {
    hits.get(port)!.push(req.url ?? "");
    handler(req, res);
  });
  await new Promise<void>((r) => s.listen(0, host, r));
  const port = (s.address() as { port: number }).port;
  hits.set(port, []);
  servers.push(s);
  return port;
}

beforeAll(async () => {
  server = await startServer({ OPENCVM_TIMING: "instant", OPENCVM_IMPORT_DIR: dir, OPENCVM_IMPORT_ALLOW: "127.0.0.1/32", OPENCVM_IMPORT_MAX_SIZE: String(CAP) });
  cvm = cvmClient(server, { language: "en-US" });
});
afterAll(async () => {
  await server.close();
  for (const s of servers) s.closeAllConnections(), s.close();
});

let named = 0;
const refusal = (ImageUrl: string) => sdkError(cvm.ImportImage({ ...base, ImageUrl, ImageName: `refused-${named++}` }));

/** Imports and waits for the engine's verdict (a large body takes a while). */
async function importEnds(ImageUrl: string): Promise<string> {
  const ImageName = `fetched-${named++}`;
  await cvm.ImportImage({ ...base, ImageUrl, ImageName });
  const [listed] = (await cvm.DescribeImages({ Filters: [{ Name: "image-name", Values: [ImageName] }] })).ImageSet!;
  for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
    const [image] = (await cvm.DescribeImages({ ImageIds: [listed.ImageId!] })).ImageSet!;
    if (image.ImageState !== "IMPORTING") return image.ImageState!;
  }
  throw new Error(`${ImageName} is still importing`);
}

describe("ImportImage refuses, before anything is fetched or opened", () => {
  it.each([
    ["the server's own admin path", () => `http://127.0.0.1:${server.port}/_opencvm/clock`, /own API and admin port/],
    ["the server's own port by another loopback name", () => `http://localhost:${server.port}/`, /own API and admin port/],
    ["the link-local metadata range", () => "http://169.254.0.23/latest/meta-data/", /169\.254\.0\.23, a link-local address/],
    ["the same written as IPv4-mapped IPv6", () => "http://[::ffff:169.254.0.23]/", /link-local/],
    ["a private address", () => "http://10.0.0.1/disk.qcow2", /10\.0\.0\.1, a private address.*OPENCVM_IMPORT_ALLOW/],
    ["another private range", () => "http://192.168.1.10/disk.qcow2", /private/],
    ["a unique local IPv6 address", () => "http://[fd00::1]/disk.qcow2", /private \(unique local\)/],
    ["shared address space", () => "http://100.64.0.1/disk.qcow2", /shared/],
    ["an unspecified address", () => "http://0.0.0.0:9/disk.qcow2", /unspecified/],
    ["loopback outside the allowed range", () => "http://127.0.0.2:9/disk.qcow2", /loopback/],
    ["a file: URL", () => "file:///etc/passwd", /only http and https/],
    ["another scheme", () => "gopher://example.com/", /only http and https/],
    ["/dev/zero", () => "/dev/zero", /outside the import directory/],
    ["a host file", () => "/etc/passwd", /outside the import directory/],
    ["a path climbing out of the directory", () => `${dir}/../../etc/passwd`, /outside the import directory/],
  ])("%s", async (_label, url, rule) => {
    const e = await refusal(url());
    expect(e.code).toBe("InvalidParameter.InvalidParameterUrlError");
    expect(e.message).toMatch(rule);
  });

  it("a FIFO in the import directory, without blocking on it", async () => {
    const fifo = join(dir, "pipe.qcow2");
    execFileSync("mkfifo", [fifo]);
    expect(await refusal(fifo)).toMatchObject({ code: "InvalidParameter.InvalidParameterUrlError", message: expect.stringMatching(/not a regular file/) });
  });

  it("a directory, and symlinks that lead out of the import directory", async () => {
    mkdirSync(join(dir, "sub"));
    expect((await refusal(join(dir, "sub"))).message).toMatch(/not a regular file/);
    symlinkSync("/etc/hostname", join(dir, "out.qcow2"));
    expect((await refusal(join(dir, "out.qcow2"))).message).toMatch(/leads out of the import directory/);
    symlinkSync("/dev", join(dir, "devices"));
    expect((await refusal(join(dir, "devices", "zero"))).message).toMatch(/leads out of the import directory/);
    // A symlink that stays inside is followed.
    writeFileSync(join(dir, "real.qcow2"), qcow2);
    symlinkSync(join(dir, "real.qcow2"), join(dir, "alias.qcow2"));
    expect(await importEnds(join(dir, "alias.qcow2"))).toBe("NORMAL");
  });

  it("local paths and loopback URLs on a server whose operator opened neither", async () => {
    const plain = await startServer({ OPENCVM_TIMING: "instant" });
    try {
      const client = cvmClient(plain, { language: "en-US" });
      writeFileSync(join(dir, "fine.qcow2"), qcow2);
      const files = await serve((_req, res) => res.end(qcow2));
      for (const [url, rule] of [
        [join(dir, "fine.qcow2"), /no import directory \(OPENCVM_IMPORT_DIR\)/],
        [`http://127.0.0.1:${files}/disk.qcow2`, /a loopback address/],
      ] as const) {
        expect((await sdkError(client.ImportImage({ ...base, ImageUrl: url, ImageName: `plain-${named++}` }))).message).toMatch(rule);
      }
      expect(hits.get(files)).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});

describe("ImportImage's fetch", () => {
  it("follows a redirect to an allowed address", async () => {
    const files = await serve((_req, res) => res.end(qcow2));
    const hop = await serve((_req, res) => res.writeHead(302, { Location: `http://127.0.0.1:${files}/disk.qcow2` }).end());
    expect(await importEnds(`http://127.0.0.1:${hop}/start`)).toBe("NORMAL");
    expect(hits.get(files)).toEqual(["/disk.qcow2"]);
  });

  it("fails, reaching nothing, when a redirect leads to loopback, the admin paths or the metadata range", async () => {
    // Listening on every address, so a connection to 127.0.0.2 would arrive here.
    const trap = await serve((_req, res) => res.end(qcow2), "0.0.0.0");
    for (const target of [`http://127.0.0.2:${trap}/disk.qcow2`, `http://127.0.0.1:${server.port}/_opencvm/clock`, "http://169.254.169.254/latest/"]) {
      const hop = await serve((_req, res) => res.writeHead(301, { Location: target }).end());
      const logged = server.logs.length;
      expect(await importEnds(`http://127.0.0.1:${hop}/start`), target).toBe("IMPORTFAILED");
      expect(hits.get(hop)).toEqual(["/start"]);
      expect(server.logs.slice(logged).filter((l) => l.includes("msg=admin"))).toEqual([]);
    }
    expect(hits.get(trap)).toEqual([]);
  });

  it("fails after a bounded number of redirects", async () => {
    const loop: number = await serve((req, res) => res.writeHead(302, { Location: `http://127.0.0.1:${loop}/again${req.url}` }).end());
    expect(await importEnds(`http://127.0.0.1:${loop}/x`)).toBe("IMPORTFAILED");
    expect(hits.get(loop)!.length).toBe(6);
  });

  it("refuses a body declared larger than the cap without reading it", async () => {
    const big = await serve((_req, res) => {
      res.writeHead(200, { "Content-Length": String(CAP + 1) });
      res.write(qcow2);
    });
    expect(await importEnds(`http://127.0.0.1:${big}/big.qcow2`)).toBe("IMPORTFAILED");
  });

  it("streams an endless body to a file and stops at the cap, its memory bounded", { timeout: 120_000 }, async () => {
    const chunk = Buffer.concat([qcow2, Buffer.alloc(1024 ** 2 - qcow2.length)]);
    let sent = 0;
    const endless = await serve((_req, res) => {
      const more = () => {
        while (res.write(chunk)) sent += chunk.length;
        sent += chunk.length;
      };
      res.on("drain", more);
      res.on("close", () => res.off("drain", more));
      more();
    });
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      expect(await importEnds(`http://127.0.0.1:${endless}/forever.qcow2`)).toBe("IMPORTFAILED");
    } finally {
      clearInterval(sampler);
    }
    // The whole cap went through, and far less than it was ever held in memory.
    expect(sent).toBeGreaterThan(CAP);
    expect(peak - baseline).toBeLessThan(96 * 1024 ** 2);
  });
});
