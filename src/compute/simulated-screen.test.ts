// The simulated screen's RFB beyond what noVNC takes (test/contract/instance-queries.test.ts takes that path through
// the server): older protocol versions, a refused security type, messages split across writes, a 16-bit client,
// and a message RFB does not define.
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { SCREEN_HEIGHT, SCREEN_WIDTH, SimulatedScreen } from "./simulated-screen.js";

/** A screen and what it has sent so far, read as the test goes. */
function screen() {
  const s = new SimulatedScreen("ins-abcd1234");
  let got = Buffer.alloc(0);
  s.on("data", (chunk: Buffer) => (got = Buffer.concat([got, chunk])));
  const take = async () => {
    await new Promise((r) => setImmediate(r));
    const out = got;
    got = Buffer.alloc(0);
    return out;
  };
  return { s, take };
}

describe("the simulated screen", () => {
  it("tells an RFB 3.3 client its security type, and answers a 3.7 one without a security result", async () => {
    const old = screen();
    expect((await old.take()).toString()).toBe("RFB 003.008\n");
    old.s.write("RFB 003.003\n");
    expect([...(await old.take())]).toEqual([0, 0, 0, 1]);
    old.s.write(Buffer.from([1]));
    expect((await old.take()).readUInt16BE(0)).toBe(SCREEN_WIDTH);

    const mid = screen();
    await mid.take();
    mid.s.write("RFB 003.007\n");
    expect([...(await mid.take())]).toEqual([1, 1]);
    mid.s.write(Buffer.from([1, 1])); // the choice, then ClientInit in the same write
    const init = await mid.take();
    expect([init.length, init.readUInt16BE(2)]).toEqual([24 + "OpenCVM simulated instance ins-abcd1234".length, SCREEN_HEIGHT]);
  });

  it("refuses a security type other than None with a reason, and closes", async () => {
    const { s, take } = screen();
    await take();
    s.write("RFB 003.008\n");
    await take();
    const closed = once(s, "close");
    s.write(Buffer.from([2]));
    const failed = await take();
    expect(failed.readUInt32BE(0)).toBe(1);
    expect(failed.subarray(8).toString()).toContain("None");
    await closed;
  });

  it("takes messages split across writes, draws in a 16-bit big-endian format, and ends at an unknown message", async () => {
    const { s, take } = screen();
    await take();
    s.write("RFB 003.008\n");
    s.write(Buffer.from([1, 1]));
    await take();
    // SetPixelFormat 16 bits, big-endian, 5-6-5; then a 2x1 update request sent in two pieces.
    s.write(Buffer.from([0, 0, 0, 0, 16, 16, 1, 1, 0, 31, 0, 63, 0, 31, 11, 5, 0, 0, 0, 0]));
    s.write(Buffer.from([3, 0, 0, 0]));
    expect((await take()).length).toBe(0);
    s.write(Buffer.from([0, 0, 0, 2, 0, 1]));
    const update = await take();
    expect([update.readUInt16BE(8), update.readUInt16BE(10), update.length]).toEqual([2, 1, 16 + 2 * 2]);
    const background = update.readUInt16BE(16);
    // The background (0x12, 0x2a, 0x4c) in 5-6-5: more blue than red.
    expect([background >> 11, background & 31]).toEqual([Math.round((0x12 * 31) / 255), Math.round((0x4c * 31) / 255)]);

    // An incremental request of an unchanging picture waits; an unknown message type ends the connection.
    s.write(Buffer.from([3, 1, 0, 0, 0, 0, 0, 10, 0, 10]));
    expect((await take()).length).toBe(0);
    const failed = once(s, "error");
    s.write(Buffer.from([99]));
    expect(String((await failed)[0])).toContain("type 99");
  });
});
