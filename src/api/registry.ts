// Finds the action a request names, validates its parameters against the spec and runs its handler.
// Actions of the spec without a handler answer that they are not implemented (UnsupportedOperation), never
// InvalidAction, which is kept for names the API does not have. A request that names a service it is served by (the
// TC3 scope, or the Host's first label) is looked up in that service alone, as the real endpoints do; one naming
// none (the Node SDKs at 127.0.0.1:4577 sign the scope `127`) is found by its version and action name.
import { errors } from "../domain/errors.js";
import type { ActionDef, Deps, RequestContext } from "./action.js";
import { KeptAnswers, type Serialized } from "./kept-answers.js";
import { actionOf, actionsOf, findService, serviceSpec, VERSIONS, type ActionRef } from "./spec.js";
import { outputProblems } from "./output-check.js";
import { validateInput } from "./validate.js";

export class Registry {
  /** Definitions by the spec's ActionRef, one object per action (spec.ts), found without building a key. */
  private readonly byRef = new Map<ActionRef, ActionDef>();
  private readonly kept = new KeptAnswers();

  /** With checkOutputs, an answer that does not match the spec's output object is a bug (InternalError). */
  constructor(
    defs: readonly ActionDef[],
    private readonly checkOutputs = false,
  ) {
    for (const def of defs) {
      const ref = actionOf(serviceSpec(def.service), def.name);
      if (!ref) throw new Error(`${def.service}.${def.name} is not an action of the spec`);
      this.byRef.set(ref, def);
    }
  }

  /**
   * The spec's action for a version and name, in the service named by the first of `named` that is one (those that
   * name no service are passed over); NoSuchVersion or InvalidAction when there is none.
   */
  resolve(version: string, name: string, named: readonly (string | undefined)[] = []): ActionRef {
    let service;
    for (const n of named) if (n !== undefined && (service = findService(n))) break;
    if (service) {
      if (service.version !== version) throw errors.noSuchVersion(version, [service.version]);
      const ref = actionOf(service, name);
      if (!ref) throw errors.invalidAction(name, version);
      return ref;
    }
    const actions = actionsOf(version);
    if (!actions) throw errors.noSuchVersion(version, VERSIONS);
    const ref = actions.get(name);
    if (!ref) throw errors.invalidAction(name, version);
    return ref;
  }

  definition(ref: ActionRef): ActionDef | undefined {
    return this.byRef.get(ref);
  }

  /** The action's output, or its JSON when the action's answers are kept (`catalogOnly`). */
  async run(ref: ActionRef, ctx: RequestContext, params: Record<string, unknown>, deps: Deps): Promise<object | Serialized> {
    const input = validateInput(ref.service, ref.spec.input, params);
    const def = this.definition(ref);
    if (!def) throw errors.notImplemented(ref.name);
    if (def.catalogOnly) return this.kept.get(`${def.service}.${def.name}`, ctx.region, ctx.language, input, () => this.answer(def, ref, ctx, input, deps));
    return this.answer(def, ref, ctx, input, deps);
  }

  private async answer(def: ActionDef, ref: ActionRef, ctx: RequestContext, input: Record<string, unknown>, deps: Deps): Promise<object> {
    const answer = def.handler(ctx, input, deps);
    // Most handlers answer at once: no promise to wait for.
    const output = answer instanceof Promise ? await answer : answer;
    if (this.checkOutputs) {
      const problems = outputProblems(ref.service.service, ref.name, output as Record<string, unknown>);
      if (problems.length) throw new Error(`${ref.name} answered outside its spec: ${problems.join("; ")}`);
    }
    return output;
  }
}

