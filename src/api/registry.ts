// Finds the action a request names, validates its parameters against the spec and runs its handler.
// Actions of the spec without a handler answer that they are not implemented (UnsupportedOperation), never
// InvalidAction, which is kept for names the API does not have.
import { errors } from "../domain/errors.js";
import type { ActionDef, Deps, RequestContext } from "./action.js";
import { actionsOf, serviceSpec, VERSIONS, type ActionRef } from "./spec.js";
import { outputProblems } from "./output-check.js";
import { validateInput } from "./validate.js";

export class Registry {
  private readonly handlers = new Map<string, ActionDef>();

  /** With checkOutputs, an answer that does not match the spec's output object is a bug (InternalError). */
  constructor(
    defs: readonly ActionDef[],
    private readonly checkOutputs = false,
  ) {
    for (const def of defs) {
      if (!serviceSpec(def.service).actions[def.name]) throw new Error(`${def.service}.${def.name} is not an action of the spec`);
      this.handlers.set(def.name, def);
    }
  }

  /** The spec's action for a version and name; NoSuchVersion or InvalidAction when there is none. */
  resolve(version: string, name: string): ActionRef {
    const actions = actionsOf(version);
    if (!actions) throw errors.noSuchVersion(version, VERSIONS);
    const ref = actions.get(name);
    if (!ref) throw errors.invalidAction(name, version);
    return ref;
  }

  definition(name: string): ActionDef | undefined {
    return this.handlers.get(name);
  }

  isImplemented(name: string): boolean {
    return this.handlers.has(name);
  }

  async run(ref: ActionRef, ctx: RequestContext, params: Record<string, unknown>, deps: Deps): Promise<object> {
    const input = validateInput(ref.service, ref.spec.input, params);
    const def = this.handlers.get(ref.name);
    if (!def) throw errors.notImplemented(ref.name);
    const output = await def.handler(ctx, input, deps);
    if (this.checkOutputs) {
      const problems = outputProblems(ref.service.service, ref.name, output as Record<string, unknown>);
      if (problems.length) throw new Error(`${ref.name} answered outside its spec: ${problems.join("; ")}`);
    }
    return output;
  }
}
