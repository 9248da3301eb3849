// What every instance action shares before it acts: checking an id list and finding the caller's instances. What
// it then does to them (guard, begin, apply) is the instance service's (src/instances/).
import type { RequestContext } from "../../../api/action.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import type { InstanceRecord, Store } from "../../../store/store.js";
import { documentedCode } from "../../shared/refusals.js";

/** Most instance actions take at most 100 ids per call (shared/cvm-api/limits.md §2). */
export const MAX_IDS = 100;

/**
 * A malformed instance id is refused with the code `action` documents for it, else InvalidParameterValue. Where
 * both are documented the live service answers the newer `InvalidParameterValue.InstanceIdMalformed`.
 */
export function checkIds(action: string, ids: readonly string[], field: string, max = MAX_IDS): void {
  if (ids.length > max) {
    throw fail(documentedCode(action, ["InvalidParameterValue.LimitExceeded"]), `\`${field}\` takes at most ${max} ids, not ${ids.length}.`, `\`${field}\` 最多 ${max} 个 ID，当前 ${ids.length} 个。`);
  }
  const bad = ids.find((id) => !isIdOf("ins", id));
  if (bad !== undefined) {
    const code = documentedCode(action, ["InvalidParameterValue.InstanceIdMalformed", "InvalidInstanceId.Malformed"]);
    throw fail(code, `The instance id \`${bad}\` in \`${field}\` is malformed (expected ins-xxxxxxxx).`, `\`${field}\` 中的实例 ID \`${bad}\` 格式错误（应为 ins-xxxxxxxx）。`);
  }
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw fail("InvalidParameterValue", `The instance id \`${id}\` is given twice in \`${field}\`.`, `\`${field}\` 中实例 ID \`${id}\` 重复。`);
    seen.add(id);
  }
}

/** The caller's instances with these ids, in the order given; a not-found code names any missing. */
export async function findInstances(store: Store, ctx: RequestContext, ids: readonly string[]): Promise<InstanceRecord[]> {
  const found = new Map((await store.instances.find(ctx.account.appId, ctx.region!, ids)).map((r) => [r.instanceId, r]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) {
    const code = documentedCode(ctx.action, ["InvalidInstanceId.NotFound", "ResourceNotFound.InvalidInstanceIdNotFound"], "InvalidInstanceId.NotFound");
    throw fail(code, `No instance ${missing.join(", ")} exists in ${ctx.region}.`, `实例 ${missing.join("，")} 在 ${ctx.region} 不存在。`);
  }
  return ids.map((id) => found.get(id)!);
}

/** The caller's instances that `field` names, their ids checked first: the opening most instance handlers share. */
export async function namedInstances(ctx: RequestContext, store: Store, ids: readonly string[], field: string, max = MAX_IDS): Promise<InstanceRecord[]> {
  checkIds(ctx.action, ids, field, max);
  return findInstances(store, ctx, ids);
}
