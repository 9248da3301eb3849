// What a handler sees and how an action is declared. Handlers are thin: they read validated, typed params and
// return the action's output object; the envelope and RequestId are added by the HTTP layer.
import type { Deps } from "../deps.js";
import type { Language } from "../domain/errors.js";
import type { Account } from "../store/store.js";

// A handler is given the service's parts; handlers take the type from here, with the rest of their contract.
export type { Deps };

export interface RequestContext {
  requestId: string;
  /** The action being served, as its definition names it: handlers take their name from here. */
  action: string;
  account: Account;
  /** The request's region; undefined only for region-less actions. */
  region: string | undefined;
  language: Language;
  /** When the request arrived, on the service clock: one instant for everything it writes. */
  now: Date;
}

export type ServiceName = "cvm" | "vpc" | "billing" | "tag" | "api" | "cbs";

/** Services whose actions the real API serves without a Region (billing, tag, and api's region and zone lists). */
export const REGIONLESS_SERVICES: ReadonlySet<string> = new Set(["billing", "tag", "api"]);

// Handlers take the generated request type and return the generated response type of their action.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (ctx: RequestContext, params: any, deps: Deps) => Promise<object> | object;

export interface ActionDef {
  service: ServiceName;
  name: string;
  /** Actions the real API serves without a Region (e.g. DescribeRegions). */
  regionless: boolean;
  /** Actions whose Region is optional (api's zone list): served without one, or for the region given. */
  regionOptional?: true;
  /**
   * The answer depends on nothing but the catalog (fixed while the server runs), the region, the language and the
   * parameters: the registry serialises it once and keeps it.
   */
  catalogOnly?: true;
  /** Why the action does only part of what the API documents (docs/coverage.md marks it partial); none: all of it. */
  partial?: string;
  handler: Handler;
}

export function action<Req, Res extends object>(
  service: ServiceName,
  name: string,
  handler: (ctx: RequestContext, params: Req, deps: Deps) => Promise<Res> | Res,
  options: { regionless?: boolean; regionOptional?: true; catalogOnly?: true; partial?: string } = {},
): ActionDef {
  return {
    service,
    name,
    regionless: options.regionless ?? REGIONLESS_SERVICES.has(service),
    handler,
    ...(options.regionOptional ? { regionOptional: true } : {}),
    ...(options.catalogOnly ? { catalogOnly: true } : {}),
    ...(options.partial ? { partial: options.partial } : {}),
  };
}
