// The metadata service the guests see at http://169.254.0.23 (metadata.tencentyun.com): each VM reaches its own
// listener and learns only about itself.
//
// Contract with the qemu backend:
//   const metadata = new MetadataService(dir);            // dir holds one unix socket per VM (keep it short: 108 bytes)
//   const endpoint = await metadata.serve(id, () => guestMetadataOf(instance));  // again: same socket, new getter
//   qemu ... -netdev userNetdev({ id: "net0", endpoint, address: "172.16.0.5/20", gateway: "172.16.0.1", hostForwards })
//            -append "<image.json boot.append> opencvm.ip=172.16.0.5/20 opencvm.gw=172.16.0.1"
//   await metadata.stop(id);                              // when the VM is destroyed
//   await metadata.close();                               // when the backend closes; a socket's path is derived from
//                                                         // the id, so a new service on the same dir serves adopted VMs
// The getter is called for every request, so a change (keys, password, name) shows at the guest's next read.
//
// How a guest gets here: QEMU's user network with restrict=on drops everything the guest sends except forwarded
// ports; its guestfwd for 169.254.0.23:80 runs `socat - UNIX-CONNECT:<socket>` for each connection (a guestfwd to a
// chardev connects once and carries one stream, which cannot tell HTTP requests apart). The socket is mode 0600, so
// other users of the host cannot read a VM's password hash either.
import { chmod, mkdir, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { answer, type GuestMetadata } from "./guest-metadata.js";

export type { GuestMetadata } from "./guest-metadata.js";

/** Where guests find the service (Tencent's documented address). */
export const METADATA_ADDRESS = "169.254.0.23";

export interface Endpoint {
  /** The unix socket the VM's guestfwd connects to. */
  socket: string;
}

interface Listener {
  server: Server;
  get: () => GuestMetadata;
}

// A request names a path and nothing else; anything larger or slower is not a metadata client.
const REQUEST_TIMEOUT_MS = 5000;

export class MetadataService {
  private readonly listeners = new Map<string, Listener>();

  constructor(private readonly dir: string) {}

  /** Starts (or re-points) the listener for one VM. */
  async serve(instanceId: string, get: () => GuestMetadata): Promise<Endpoint> {
    const socket = this.socketOf(instanceId);
    const existing = this.listeners.get(instanceId);
    if (existing) {
      existing.get = get;
      return { socket };
    }
    const listener: Listener = { server: createServer(), get };
    listener.server.on("request", (req, res) => {
      const reply = req.method === "GET" || req.method === "HEAD" ? answer(listener.get(), req.url ?? "/") : { status: 405 as const, body: Buffer.from("405 - Method Not Allowed\n") };
      res.writeHead(reply.status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": reply.body.length, Connection: "close" });
      res.end(req.method === "HEAD" ? undefined : reply.body);
    });
    listener.server.requestTimeout = REQUEST_TIMEOUT_MS;
    listener.server.headersTimeout = REQUEST_TIMEOUT_MS;
    listener.server.keepAliveTimeout = 0;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    // A socket left by a previous server process: its VMs are ours now.
    await rm(socket, { force: true });
    await new Promise<void>((resolve, reject) => {
      listener.server.once("error", reject);
      listener.server.listen(socket, () => {
        listener.server.off("error", reject);
        resolve();
      });
    });
    await chmod(socket, 0o600);
    this.listeners.set(instanceId, listener);
    return { socket };
  }

  /** Stops answering for one VM and removes its socket. */
  async stop(instanceId: string): Promise<void> {
    const listener = this.listeners.get(instanceId);
    this.listeners.delete(instanceId);
    if (listener) await closeServer(listener.server);
    await rm(this.socketOf(instanceId), { force: true });
  }

  /** Stops every listener; running VMs are served again by the next service's serve(). */
  async close(): Promise<void> {
    const all = [...this.listeners.values()];
    this.listeners.clear();
    await Promise.all(all.map((l) => closeServer(l.server)));
  }

  private socketOf(instanceId: string): string {
    if (!/^[A-Za-z0-9-]+$/.test(instanceId)) throw new Error(`not an instance id: ${JSON.stringify(instanceId)}`);
    return join(this.dir, `${instanceId}.sock`);
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
