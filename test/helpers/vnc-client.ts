// A websocket client of the server's VNC consoles (http/vnc-proxy.ts), as noVNC connects: the "binary" subprotocol,
// RFB in binary messages.
import WebSocket from "ws";

export interface VncConnection {
  ws: WebSocket;
  /** Exactly n bytes of what the console sent next (10 s at most). */
  read(n: number): Promise<Buffer>;
}

/** Opens the address; a refusal before the upgrade rejects with `refused: <HTTP status>`. */
export function openVnc(address: string): Promise<VncConnection> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(address, ["binary"]);
    let got = Buffer.alloc(0);
    let wake = () => undefined as void;
    ws.on("message", (data: Buffer) => ((got = Buffer.concat([got, data])), wake()));
    ws.once("unexpected-response", (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once("error", reject);
    ws.once("open", () =>
      resolve({
        ws,
        read: async (n) => {
          const until = Date.now() + 10_000;
          while (got.length < n) {
            if (Date.now() > until) throw new Error(`only ${got.length} of ${n} bytes came`);
            await new Promise<void>((r) => ((wake = r), setTimeout(r, 200)));
          }
          const out = got.subarray(0, n);
          got = got.subarray(n);
          return out;
        },
      }),
    );
  });
}
