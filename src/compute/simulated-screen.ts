// A simulated machine's screen. No guest runs to draw one, so the server speaks VNC (RFB 3.8, also 3.7 and 3.3)
// itself, over a stream that the console proxy joins to the websocket as it joins a QEMU socket: no password
// (security type None), a small true-colour framebuffer, and one still picture whose text says what it is. Keys,
// the pointer and the clipboard are read and ignored; a message RFB does not define ends the connection.
import { Duplex } from "node:stream";
import { drawText, GLYPH_HEIGHT } from "./bitmap-font.js";

export const SCREEN_WIDTH = 640;
export const SCREEN_HEIGHT = 400;
const SECURITY_NONE = 1;
/** Background, then text, as RGB. */
const COLOURS: readonly (readonly [number, number, number])[] = [[0x12, 0x2a, 0x4c], [0xf2, 0xf2, 0xf2]];
const SCALE = 2;

interface PixelFormat {
  /** 1, 2 or 4 bytes a pixel. */
  bytes: number;
  bigEndian: boolean;
  max: readonly [number, number, number];
  shift: readonly [number, number, number];
}

/** What ServerInit offers: 32 bits a pixel, 8 bits a colour, until the client sets its own. */
const SERVER_FORMAT: PixelFormat = { bytes: 4, bigEndian: false, max: [255, 255, 255], shift: [16, 8, 0] };

export class SimulatedScreen extends Duplex {
  private input = Buffer.alloc(0);
  private phase: "version" | "security" | "init" | "messages" = "version";
  /** RFB 3.8 answers the security choice with a result; 3.7 does not. */
  private securityResult = true;
  private format = SERVER_FORMAT;
  private readonly picture = new Uint8Array(SCREEN_WIDTH * SCREEN_HEIGHT);

  constructor(private readonly instanceId: string) {
    // The picture's end (a refused client) closes the stream, as a socket's would.
    super({ allowHalfOpen: false });
    const lines = [`OpenCVM simulated instance ${instanceId}`, "", "(no guest runs: this is the simulated", "compute backend)"];
    lines.forEach((line, i) => drawText(this.picture, SCREEN_WIDTH, 32, 48 + i * (GLYPH_HEIGHT + 5) * SCALE, line, SCALE, 1));
    this.push("RFB 003.008\n");
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (e?: Error | null) => void): void {
    this.input = Buffer.concat([this.input, chunk]);
    try {
      while (this.input.length > 0 && this.step());
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  /** Takes one whole client message from the head of the input; false while it has not all arrived. */
  private step(): boolean {
    const b = this.input;
    if (this.phase === "version") {
      if (b.length < 12) return false;
      const minor = /^RFB 003\.(\d{3})\n$/.exec(b.subarray(0, 12).toString("latin1"))?.[1];
      if (minor === undefined) throw new Error("not an RFB client");
      // 3.3 is told the security type; later versions choose from a list.
      if (Number(minor) < 7) return this.reply(u32(SECURITY_NONE), 12, "init");
      this.securityResult = Number(minor) >= 8;
      return this.reply(Buffer.from([1, SECURITY_NONE]), 12, "security");
    }
    if (this.phase === "security") {
      if (b[0] !== SECURITY_NONE) {
        const reason = Buffer.from("This screen asks no password: security type None (1) only.");
        this.push(Buffer.concat([u32(1), u32(reason.length), reason]));
        this.push(null);
        this.input = Buffer.alloc(0);
        return false;
      }
      return this.reply(this.securityResult ? u32(0) : Buffer.alloc(0), 1, "init");
    }
    if (this.phase === "init") return this.reply(this.serverInit(), 1, "messages");
    const size = messageSize(b);
    if (size === undefined || b.length < size) return false;
    if (b[0] === 0) this.format = pixelFormat(b.subarray(4, 20));
    // An incremental request waits for a change, and this picture never changes.
    if (b[0] === 3 && b[1] === 0) this.push(this.update(b.readUInt16BE(2), b.readUInt16BE(4), b.readUInt16BE(6), b.readUInt16BE(8)));
    this.input = b.subarray(size);
    return true;
  }

  private reply(out: Buffer, taken: number, next: SimulatedScreen["phase"]): boolean {
    if (out.length > 0) this.push(out);
    this.input = this.input.subarray(taken);
    this.phase = next;
    return true;
  }

  private serverInit(): Buffer {
    const name = Buffer.from(`OpenCVM simulated instance ${this.instanceId}`);
    const out = Buffer.alloc(24);
    out.writeUInt16BE(SCREEN_WIDTH, 0);
    out.writeUInt16BE(SCREEN_HEIGHT, 2);
    out.set([32, 24, 0, 1], 4); // bits a pixel, depth, little-endian, true colour
    SERVER_FORMAT.max.forEach((m, i) => out.writeUInt16BE(m, 8 + i * 2));
    out.set(SERVER_FORMAT.shift, 14);
    out.writeUInt32BE(name.length, 20);
    return Buffer.concat([out, name]);
  }

  /** A FramebufferUpdate of the asked rectangle (clipped to the screen), one raw-encoded rectangle. */
  private update(x0: number, y0: number, w0: number, h0: number): Buffer {
    const x = Math.min(x0, SCREEN_WIDTH);
    const y = Math.min(y0, SCREEN_HEIGHT);
    const w = Math.min(w0, SCREEN_WIDTH - x);
    const h = Math.min(h0, SCREEN_HEIGHT - y);
    const { bytes, bigEndian } = this.format;
    const values = COLOURS.map((rgb) => pixelValue(this.format, rgb));
    const out = Buffer.alloc(16 + w * h * bytes);
    out.writeUInt16BE(1, 2); // type 0, padding, one rectangle
    [x, y, w, h].forEach((v, i) => out.writeUInt16BE(v, 4 + i * 2));
    out.writeInt32BE(0, 12); // raw encoding
    let at = 16;
    for (let row = y; row < y + h; row++)
      for (let col = x; col < x + w; col++, at += bytes) {
        const v = values[this.picture[row * SCREEN_WIDTH + col]];
        if (bigEndian) out.writeUIntBE(v, at, bytes);
        else out.writeUIntLE(v, at, bytes);
      }
    return out;
  }
}

/** The length of the client message at the head of `b`; undefined until enough of it has come to tell. */
function messageSize(b: Buffer): number | undefined {
  switch (b[0]) {
    case 0: return 20; // SetPixelFormat
    case 2: return b.length < 4 ? undefined : 4 + 4 * b.readUInt16BE(2); // SetEncodings
    case 3: return 10; // FramebufferUpdateRequest
    case 4: return 8; // KeyEvent
    case 5: return 6; // PointerEvent
    case 6: return b.length < 8 ? undefined : 8 + b.readUInt32BE(4); // ClientCutText
    default: throw new Error(`RFB client message type ${b[0]} is not one this screen knows`);
  }
}

/** The client's SetPixelFormat: true colour of 8, 16 or 32 bits a pixel (a colour map is not offered). */
function pixelFormat(f: Buffer): PixelFormat {
  if (![8, 16, 32].includes(f[0]) || f[3] === 0) throw new Error(`pixel format of ${f[0]} bits, true colour ${f[3]}: not supported`);
  return { bytes: f[0] / 8, bigEndian: f[2] !== 0, max: [f.readUInt16BE(4), f.readUInt16BE(6), f.readUInt16BE(8)], shift: [f[10], f[11], f[12]] };
}

function pixelValue(format: PixelFormat, rgb: readonly [number, number, number]): number {
  // Unsigned: a red shifted to bit 24 and up would otherwise turn negative.
  return rgb.reduce((v, c, i) => (v | (Math.round((c * format.max[i]) / 255) << format.shift[i])) >>> 0, 0);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}
