// What the dedicated host actions check alike: host ids (well formed, distinct, the caller's in the region) and a
// host's prepaid term (HostChargePrepaid).
import type { RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import type { HostRecord, Store } from "../../../store/store.js";
import { documentedCode, invalid } from "../../shared/refusals.js";
import { checkRenewFlag, PERIODS } from "../instances/instance-inputs.js";

/** Hosts one request may name (RenewHosts and InquiryPriceRenewHosts document 100). */
export const MAX_HOST_IDS = 100;

/** Well-formed, distinct host ids, at most MAX_HOST_IDS. */
export function checkHostIds(action: string, ids: readonly string[], field: string): void {
  if (ids.length === 0) throw fail("MissingParameter", `\`${field}\` names no host.`, `\`${field}\` 未指定宿主机。`);
  if (ids.length > MAX_HOST_IDS) {
    throw fail(documentedCode(action, ["InvalidParameterValue.LimitExceeded"]), `\`${field}\` takes at most ${MAX_HOST_IDS} host ids, not ${ids.length}.`, `\`${field}\` 最多 ${MAX_HOST_IDS} 个宿主机 ID，当前 ${ids.length} 个。`);
  }
  ids.forEach((id, i) => {
    if (!isIdOf("host", id)) throw invalid("InvalidHostId.Malformed", `${field}.${i}`, id, "expected host-xxxxxxxx", "格式应为 host-xxxxxxxx");
  });
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw invalid("InvalidParameterValue", field, twice, "the host is named twice", "宿主机 ID 重复");
}

/** The caller's hosts of `ids`, in the order named; one that is not the caller's (or nowhere) is refused. */
export async function findHosts(store: Store, ctx: RequestContext, ids: readonly string[], field: string): Promise<HostRecord[]> {
  checkHostIds(ctx.action, ids, field);
  const found = new Map((await store.hosts.find(ctx.account.appId, ctx.region!, ids)).map((h) => [h.hostId, h]));
  return ids.map((id, i) => {
    const host = found.get(id);
    if (!host) throw invalid("InvalidHostId.NotFound", `${field}.${i}`, id, `no such dedicated host in ${ctx.region}`, `${ctx.region} 不存在该专用宿主机`);
    return host;
  });
}

/** HostChargePrepaid: a documented Period and, when given, a documented RenewFlag. */
export function checkHostPrepaid(prepaid: cvm.ChargePrepaidIn | undefined, field: string): { period: number; renewFlag?: string } {
  if (!prepaid) throw fail("MissingParameter", `The request is missing the required parameter \`${field}\`: dedicated hosts are bought by the month.`, `缺少必需参数 \`${field}\`：专用宿主机按月购买。`);
  if (!PERIODS.includes(prepaid.Period)) throw invalid("InvalidPeriod", `${field}.Period`, prepaid.Period, `use one of ${PERIODS.join(", ")} months`, `取值应为 ${PERIODS.join("、")}（月）`);
  return { period: prepaid.Period, ...(prepaid.RenewFlag !== undefined ? { renewFlag: checkRenewFlag(prepaid.RenewFlag, `${field}.RenewFlag`) } : {}) };
}
