// The SSH wire format public keys are written in (RFC 4251 §5): uint32-length-prefixed strings and mpints
// (big-endian two's complement integers). The reader refuses truncated, negative and trailing data, so a blob that
// reads cleanly is exactly one key.

export class WireError extends Error {}

export class WireReader {
  private at = 0;

  constructor(private readonly buf: Buffer) {}

  /** A length-prefixed byte string. */
  bytes(): Buffer {
    if (this.buf.length - this.at < 4) throw new WireError("truncated length");
    const length = this.buf.readUInt32BE(this.at);
    this.at += 4;
    if (length > this.buf.length - this.at) throw new WireError(`a ${length}-byte string runs past the end`);
    const out = this.buf.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }

  /** A string of printable ASCII, such as a key type or curve name. */
  text(): string {
    const b = this.bytes();
    if (b.some((c) => c < 0x21 || c > 0x7e)) throw new WireError("a name holds a byte that is not printable ASCII");
    return b.toString("latin1");
  }

  /** A non-negative mpint, as its unsigned big-endian magnitude without leading zeros. */
  mpint(): Buffer {
    const b = this.bytes();
    if (b.length > 0 && b[0] & 0x80) throw new WireError("a negative integer");
    let start = 0;
    while (start < b.length && b[start] === 0) start++;
    return b.subarray(start);
  }

  /** Refuses anything left after the last field. */
  end(): void {
    if (this.at !== this.buf.length) throw new WireError(`${this.buf.length - this.at} bytes after the last field`);
  }
}

export function writeBytes(b: Buffer | string): Buffer {
  const data = typeof b === "string" ? Buffer.from(b, "latin1") : b;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

/** An mpint from an unsigned big-endian magnitude: minimal, with a zero byte first when the top bit is set. */
export function writeMpint(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  const m = magnitude.subarray(start);
  return writeBytes(m.length > 0 && m[0] & 0x80 ? Buffer.concat([Buffer.from([0]), m]) : m);
}

/** The number of significant bits of an unsigned big-endian magnitude without leading zeros. */
export function bitLength(magnitude: Buffer): number {
  if (magnitude.length === 0) return 0;
  return (magnitude.length - 1) * 8 + (32 - Math.clz32(magnitude[0]));
}
