// The API structure of every service served on the one endpoint, and the lookups the request path needs.
import { spec as cvm } from "./generated/cvm.js";
import { spec as vpc } from "./generated/vpc.js";
import { spec as billing } from "./generated/billing.js";
import { spec as tag } from "./generated/tag.js";
import { spec as api } from "./generated/api.js";
import { spec as cbs } from "./generated/cbs.js";
import type { ActionSpec, ServiceSpec } from "./spec-types.js";

// cvm before api: the two share DescribeRegions and DescribeZones (under different versions), and a lookup by
// action name alone (documentedCode) means cvm's. cbs shares cvm's version and none of its action names.
export const SERVICES: readonly ServiceSpec[] = [cvm, vpc, billing, tag, api, cbs];

export interface ActionRef {
  service: ServiceSpec;
  name: string;
  spec: ActionSpec;
}

// One ActionRef per action, made here: a request's lookups return these rather than building one each time.
const byVersion = new Map<string, Map<string, ActionRef>>();
const byService = new Map<ServiceSpec, Map<string, ActionRef>>();
for (const service of SERVICES) {
  const actions = byVersion.get(service.version) ?? new Map<string, ActionRef>();
  const own = new Map<string, ActionRef>();
  for (const [name, spec] of Object.entries(service.actions)) {
    if (actions.has(name)) throw new Error(`${name} is an action of two services of version ${service.version}`);
    const ref = { service, name, spec };
    actions.set(name, ref);
    own.set(name, ref);
  }
  byVersion.set(service.version, actions);
  byService.set(service, own);
}

export const VERSIONS: readonly string[] = [...byVersion.keys()];

/** An action of one service, or undefined when the service has none of that name. */
export function actionOf(service: ServiceSpec, name: string): ActionRef | undefined {
  return byService.get(service)?.get(name);
}

/** The actions served under an API version, or undefined for a version no service has. */
export function actionsOf(version: string): ReadonlyMap<string, ActionRef> | undefined {
  return byVersion.get(version);
}

const byName = new Map(SERVICES.map((s) => [s.service, s]));

/** The service of this name, or undefined when none is served under it. */
export function findService(name: string): ServiceSpec | undefined {
  return byName.get(name);
}

export function serviceSpec(name: string): ServiceSpec {
  const found = findService(name);
  if (!found) throw new Error(`no service ${name}`);
  return found;
}
