// A QEMU Machine Protocol client: JSON objects, one a line, over the VM's unix socket. QEMU greets, the client
// negotiates capabilities, then each command gets one answer ({return} or {error}) in order; events arrive between.
import { createConnection, type Socket } from "node:net";

export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export class QmpError extends Error {}

export class Qmp {
  private buffer = "";
  private readonly pending: Pending[] = [];
  private readonly listeners = new Set<(e: QmpEvent) => void>();
  private closedReason: Error | undefined;
  /** Settles when the socket closes: QEMU quit, was killed, or the client closed it. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    this.closed = new Promise((resolve) => {
      socket.on("close", () => {
        this.closedReason ??= new QmpError("QMP connection closed");
        for (const p of this.pending.splice(0)) p.reject(this.closedReason);
        resolve();
      });
    });
    socket.on("error", (e) => (this.closedReason = new QmpError(`QMP: ${e.message}`)));
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.read(chunk));
  }

  /** Connects to the socket, waits for the greeting and leaves capabilities negotiation done. */
  static async connect(path: string, timeoutMs = 5000): Promise<Qmp> {
    const socket = createConnection(path);
    const qmp = new Qmp(socket);
    const greeted = new Promise<void>((resolve, reject) => qmp.pending.push({ resolve: () => resolve(), reject }));
    const timer = setTimeout(() => socket.destroy(new Error(`no QMP greeting on ${path} within ${timeoutMs} ms`)), timeoutMs);
    try {
      await greeted;
      await qmp.execute("qmp_capabilities");
      return qmp;
    } catch (e) {
      socket.destroy();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a command; a QEMU that does not answer within `timeoutMs` is treated as gone (the connection closes). */
  execute(command: string, args?: Record<string, unknown>, timeoutMs = 30_000): Promise<unknown> {
    if (this.socket.destroyed) return Promise.reject(this.closedReason ?? new QmpError("QMP connection closed"));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.socket.destroy(new Error(`no answer to ${command} within ${timeoutMs} ms`)), timeoutMs);
      const settle = <T>(f: (v: T) => void) => (v: T) => (clearTimeout(timer), f(v));
      this.pending.push({ resolve: settle(resolve), reject: settle(reject) });
      this.socket.write(`${JSON.stringify(args ? { execute: command, arguments: args } : { execute: command })}\n`);
    });
  }

  /** A human monitor command (hostfwd_add and the like have no QMP form); HMP reports errors as text. */
  async hmp(commandLine: string): Promise<string> {
    const out = String(await this.execute("human-monitor-command", { "command-line": commandLine }));
    if (/error|invalid|could not|can't|failed/i.test(out)) throw new QmpError(`${commandLine}: ${out.trim()}`);
    return out;
  }

  onEvent(listener: (e: QmpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first event of this name, or rejects when the connection closes first. */
  waitFor(event: string, timeoutMs: number): Promise<QmpEvent | undefined> {
    return new Promise((resolve) => {
      const done = (e: QmpEvent | undefined) => {
        clearTimeout(timer);
        off();
        resolve(e);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const off = this.onEvent((e) => e.event === event && done(e));
      void this.closed.then(() => done(undefined));
    });
  }

  close(): void {
    this.closedReason = new QmpError("QMP connection closed by the client");
    this.socket.destroy();
  }

  private read(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (!line) continue;
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (typeof msg.event === "string") {
        for (const l of this.listeners) l(msg as unknown as QmpEvent);
        continue;
      }
      const p = this.pending.shift();
      if (!p) continue;
      if ("error" in msg) {
        const err = msg.error as { class?: string; desc?: string };
        p.reject(new QmpError(`${err.class ?? "Error"}: ${err.desc ?? "unknown"}`));
      } else p.resolve(msg.return ?? msg.QMP);
    }
  }
}
