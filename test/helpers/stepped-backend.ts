// The simulated backend (instant, with any injected faults) whose calls a test can hold: it holds one kind of call,
// reads the state the instance shows while the call is under way, then lets it go. No timing is guessed.
import type { MachineSpec } from "../../src/compute/backend.js";
import { SimulatedBackend, type Faults } from "../../src/compute/simulated.js";

export type Call = "create" | "start" | "stop" | "destroy" | "reconfigure" | "reinstall" | "resizeDisks" | "setPassword" | "setAuthorizedKeys";

export interface Hold {
  /** Resolves once the held call has begun (the step has shown everything it shows before it). */
  reached: Promise<void>;
  release(): void;
}

export class SteppedBackend extends SimulatedBackend {
  private readonly holds = new Map<Call, { arrive: () => void; gate: Promise<void> }>();

  constructor(faults: Faults = {}) {
    super("instant", faults);
  }

  /** Holds the next `call` until released. */
  hold(call: Call): Hold {
    let arrive = () => {};
    let release = () => {};
    const reached = new Promise<void>((r) => (arrive = r));
    const gate = new Promise<void>((r) => (release = r));
    this.holds.set(call, { arrive, gate });
    return { reached, release };
  }

  private async pass(call: Call): Promise<void> {
    const held = this.holds.get(call);
    if (!held) return;
    this.holds.delete(call);
    held.arrive();
    await held.gate;
  }

  override async create(spec: MachineSpec) {
    await this.pass("create");
    return super.create(spec);
  }
  override async start(id: string) {
    await this.pass("start");
    return super.start(id);
  }
  override async stop(id: string, hard: boolean) {
    await this.pass("stop");
    return super.stop(id, hard);
  }
  override async destroy(id: string) {
    await this.pass("destroy");
    return super.destroy(id);
  }
  override async reconfigure() {
    await this.pass("reconfigure");
    return super.reconfigure();
  }
  override async reinstall(spec: MachineSpec) {
    await this.pass("reinstall");
    return super.reinstall(spec);
  }
  override async resizeDisks() {
    await this.pass("resizeDisks");
    return super.resizeDisks();
  }
  override async setPassword(id: string, user: string, hash: string) {
    await this.pass("setPassword");
    return super.setPassword(id, user, hash);
  }
  override async setAuthorizedKeys(id: string, keys: readonly string[]) {
    await this.pass("setAuthorizedKeys");
    return super.setAuthorizedKeys(id, keys);
  }
}
