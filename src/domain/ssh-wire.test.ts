import { describe, expect, it } from "vitest";
import { bitLength, WireError, WireReader, writeBytes, writeMpint } from "./ssh-wire.js";

const hex = (s: string) => Buffer.from(s.replace(/ /g, ""), "hex");

describe("WireReader", () => {
  it("reads strings and mpints in order, then ends", () => {
    const r = new WireReader(Buffer.concat([writeBytes("ssh-rsa"), writeMpint(hex("010001")), writeMpint(hex("80 00"))]));
    expect(r.text()).toBe("ssh-rsa");
    expect(r.mpint()).toEqual(hex("010001"));
    expect(r.mpint()).toEqual(hex("8000"));
    expect(() => r.end()).not.toThrow();
  });

  it("reads RFC 4251's mpint examples", () => {
    expect(new WireReader(hex("00000000")).mpint()).toEqual(Buffer.alloc(0));
    expect(new WireReader(hex("00000008 09a378f9b2e332a7")).mpint()).toEqual(hex("09a378f9b2e332a7"));
    expect(new WireReader(hex("00000002 0080")).mpint()).toEqual(hex("80"));
  });

  it.each([
    ["a length cut short", hex("000000")],
    ["a string longer than what is left", hex("00000005 6162")],
    ["a length near 2^32", hex("ffffffff 00")],
  ])("refuses %s", (_, buf) => {
    expect(() => new WireReader(buf).bytes()).toThrow(WireError);
  });

  it("refuses a negative mpint", () => {
    expect(() => new WireReader(hex("00000002 edcc")).mpint()).toThrow(/negative/);
  });

  it("refuses a name with a space, a control character or a non-ASCII byte", () => {
    for (const name of ["ssh rsa", "ssh-rsa\n", "ssh-rsä"]) {
      expect(() => new WireReader(writeBytes(Buffer.from(name))).text()).toThrow(/printable ASCII/);
    }
  });

  it("refuses bytes after the last field", () => {
    const r = new WireReader(Buffer.concat([writeBytes("x"), hex("00")]));
    r.bytes();
    expect(() => r.end()).toThrow(/1 bytes after/);
  });
});

describe("writeMpint", () => {
  it("writes RFC 4251's examples: zero as empty, a zero byte before a set top bit, leading zeros dropped", () => {
    expect(writeMpint(Buffer.alloc(0))).toEqual(hex("00000000"));
    expect(writeMpint(hex("0000 09a378f9b2e332a7"))).toEqual(hex("00000008 09a378f9b2e332a7"));
    expect(writeMpint(hex("80"))).toEqual(hex("00000002 0080"));
  });
});

describe("bitLength", () => {
  it("counts significant bits", () => {
    expect(bitLength(Buffer.alloc(0))).toBe(0);
    expect(bitLength(hex("01"))).toBe(1);
    expect(bitLength(hex("010001"))).toBe(17);
    expect(bitLength(Buffer.concat([hex("80"), Buffer.alloc(255)]))).toBe(2048);
  });
});
