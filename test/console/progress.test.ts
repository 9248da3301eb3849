// The steps of long operations on the console's event stream: each step as it begins, in order, to the owner's
// streams only, then the trail once more with its result; a stream opened mid-operation starts with the trail so far.
// The backend's calls are held where a test needs an operation to stay under way, so nothing depends on timing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "../../src/keys.js";
import { imageIn, launch, waitFor } from "../helpers/instances.js";
import { cvmClient, SECRET_ID, SECRET_KEY, startServer, type TestServer } from "../helpers/server.js";
import { SteppedBackend } from "../helpers/stepped-backend.js";

interface Trail {
  ResourceId: string;
  Operation: string;
  RequestId: string;
  Steps: string[];
  Result?: string;
}

const backend = new SteppedBackend();
let server: TestServer;
beforeAll(async () => {
  server = await startServer({}, undefined, backend);
});
afterAll(() => server?.close());

async function sessionCookie(keys: { SecretId: string; SecretKey: string }): Promise<string> {
  const res = await fetch(`${server.url}/console/api/sign-in`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(keys) });
  expect(res.status).toBe(200);
  return res.headers.get("set-cookie")!.split(";")[0];
}

/** An open event stream of one session, collecting its progress messages. */
async function progressStream(cookie: string) {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/console/api/events`, { headers: { Cookie: cookie }, signal: controller.signal });
  expect(res.headers.get("content-type")).toBe("text/event-stream");
  const reader = res.body!.getReader();
  const trails: Trail[] = [];
  let buffer = "";
  const read = async () => {
    const { value, done } = await reader.read();
    if (done) throw new Error("the event stream ended");
    buffer += new TextDecoder().decode(value);
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^event: progress\ndata: (.*)$/m.exec(message);
      if (data) trails.push(JSON.parse(data[1]) as Trail);
    }
  };
  return {
    trails,
    /** Reads until a progress message satisfies `match`, and answers it. */
    async until(match: (t: Trail) => boolean): Promise<Trail> {
      for (;;) {
        const found = trails.find(match);
        if (found) return found;
        await read();
      }
    },
    close: () => controller.abort(),
  };
}

const finished = (id: string, operation: string) => (t: Trail) => t.ResourceId === id && t.Operation === operation && t.Result !== undefined;

describe("the progress of long operations", () => {
  it("streams a launch's, a type change's, an image's capture and copy's steps in order, each ending with its result", { timeout: 30_000 }, async () => {
    const stream = await progressStream(await sessionCookie({ SecretId: SECRET_ID, SecretKey: SECRET_KEY }));
    const cvm = cvmClient(server);
    try {
      const [id] = (await launch(cvm)).InstanceIdSet!;
      const launched = await stream.until(finished(id, "RunInstances"));
      expect(launched).toMatchObject({ Steps: ["creating-disks", "booting"], Result: "SUCCESS" });
      // Every message of the trail was the steps so far: one more step each time.
      expect(stream.trails.filter((t) => t.ResourceId === id).map((t) => t.Steps.length)).toEqual([1, 2, 2]);
      await waitFor(cvm, [id], "RUNNING");

      // A type change of a running machine stops it, changes it and starts it again, and says so.
      const { RequestId } = await cvm.ResetInstancesType({ InstanceIds: [id], InstanceType: "S5.LARGE8" });
      const changed = await stream.until(finished(id, "ResetInstancesType"));
      expect(changed).toMatchObject({ RequestId, Steps: ["STOPPING", "STOPPED", "reconfiguring", "STARTING", "booting", "RUNNING"], Result: "SUCCESS" });
      await waitFor(cvm, [id], "RUNNING");

      // An image captured from the instance (its trail is the new image's), then copied to another region (the copy's).
      const { ImageId } = await cvm.CreateImage({ InstanceId: id, ImageName: "progress" });
      expect(await stream.until(finished(ImageId!, "CreateImage"))).toMatchObject({ Steps: ["capturing-image"], Result: "SUCCESS" });
      expect(stream.trails.filter((t) => t.Operation === "CreateImage" && t.ResourceId !== ImageId)).toEqual([]);
      await imageIn(cvm, ImageId!, "NORMAL");
      const copy = (await cvm.SyncImages({ ImageIds: [ImageId!], DestinationRegions: ["ap-shanghai"], ImageSetRequired: true })).ImageSet![0].ImageId!;
      expect(await stream.until(finished(copy, "SyncImages"))).toMatchObject({ Steps: ["copying-image"], Result: "SUCCESS" });
    } finally {
      stream.close();
    }
  });

  it("starts a stream opened mid-operation with the steps so far, and sends no account another's", { timeout: 30_000 }, async () => {
    const key = generateKeyPair();
    await server.store.accounts.create(key);
    const other = await progressStream(await sessionCookie({ SecretId: key.secretId, SecretKey: key.secretKey }));
    const cvm = cvmClient(server);
    const created = backend.hold("create");
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await created.reached;
    // Only now does the owner open the page: the launch is writing its disks.
    const mine = await progressStream(await sessionCookie({ SecretId: SECRET_ID, SecretKey: SECRET_KEY }));
    try {
      expect(await mine.until((t) => t.ResourceId === id)).toMatchObject({ Operation: "RunInstances", Steps: ["creating-disks"] });
      created.release();
      expect(await mine.until(finished(id, "RunInstances"))).toMatchObject({ Steps: ["creating-disks", "booting"], Result: "SUCCESS" });
      expect(other.trails).toEqual([]);
    } finally {
      mine.close();
      other.close();
    }
  });
});
