// The instances' screens through the server. DescribeInstanceVncUrl issues a ticket and answers with
// ws://<this server>/vnc?s=<ticket>; the first websocket to show the ticket within its lifetime
// (domain/console-tickets.ts) is joined to the machine's screen as its backend opens it (QEMU's VNC socket, or the
// simulated backend's in-process RFB server), byte for byte both ways (noVNC speaks RFB over
// binary messages). A ticket already used, expired or unknown, or whose instance is no longer its account's and
// RUNNING, is refused before the upgrade with a plain HTTP status, as nothing of the machine is reached.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { ComputeBackend } from "../compute/backend.js";
import { ConsoleTickets } from "../domain/console-tickets.js";
import type { Logger } from "../log.js";
import type { Store } from "../store/store.js";

/** Where the websockets are taken; the page that shows them is under /vnc/ (vnc-page.ts). */
export const VNC_PATH = "/vnc";

export class VncConsoles {
  private readonly tickets = new ConsoleTickets();
  private readonly sockets = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // noVNC asks for the "binary" subprotocol; a client asking none gets none.
    handleProtocols: (offered) => (offered.has("binary") ? "binary" : false),
  });
  /** This server's websocket base, `ws://host:port`, known once it listens. */
  base = "";

  constructor(
    private readonly store: Store,
    private readonly backend: Pick<ComputeBackend, "openConsole">,
    private readonly log: Logger,
  ) {}

  /** A single-use address of the instance's screen, for the account that owns it. */
  address(appId: number, instanceId: string): string {
    return `${this.base}${VNC_PATH}?s=${this.tickets.issue(appId, instanceId, Date.now())}`;
  }

  /** Takes an HTTP upgrade on VNC_PATH (any other path is refused). */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on("error", () => socket.destroy());
    const url = new URL(req.url ?? "/", "http://console");
    if (url.pathname !== VNC_PATH) return refuse(socket, 404, "No websocket here: consoles are at /vnc?s=<ticket>.");
    const ticket = this.tickets.take(url.searchParams.get("s") ?? "", Date.now());
    if (!ticket) return refuse(socket, 403, "This console address was already used, has expired (15 s), or was never issued: ask DescribeInstanceVncUrl for a new one.");
    const instance = await this.store.instances.get(ticket.instanceId);
    if (instance?.appId !== ticket.appId || instance.state !== "RUNNING") return refuse(socket, 409, `Instance ${ticket.instanceId} is no longer RUNNING.`);
    const vnc = await this.backend.openConsole(ticket.instanceId);
    if (!vnc) return refuse(socket, 503, `The machine of ${ticket.instanceId} has no screen to reach now.`);
    this.sockets.handleUpgrade(req, socket, head, (ws) => {
      this.log.info("vnc console", { instance: ticket.instanceId, account: ticket.appId, remote: req.socket.remoteAddress });
      join(ws, vnc);
    });
  }

  /** Ends every open console (the server is stopping; the machines go on). */
  close(): void {
    for (const ws of this.sockets.clients) ws.terminate();
    this.sockets.close();
  }
}

/** Joins the websocket and the VNC stream; either closing closes the other. */
function join(ws: WebSocket, vnc: Duplex): void {
  vnc.on("data", (chunk) => ws.send(chunk));
  ws.on("message", (data: Buffer) => vnc.write(data));
  vnc.on("close", () => ws.close());
  vnc.on("error", () => ws.terminate());
  ws.on("close", () => vnc.destroy());
  ws.on("error", () => vnc.destroy());
}

function refuse(socket: Duplex, status: number, message: string): void {
  const reason = { 403: "Forbidden", 404: "Not Found", 409: "Conflict", 503: "Service Unavailable" }[status];
  const body = Buffer.from(`${message}\n`);
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
}
