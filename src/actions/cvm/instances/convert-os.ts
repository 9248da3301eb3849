// ConvertOperatingSystems: running CentOS 7 and CentOS 8 instances are converted in place to TencentOS Server, the
// only documented target (CentOS 7 to 2.4, CentOS 8 to 3.1, as Tencent's migration guide pairs them). The
// conversion is done at once: the instance keeps its disk and image id, and shows its new system's name.
import { randomUUID } from "node:crypto";
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { fail } from "../../../domain/errors.js";
import { applyNow } from "../../../instances/operations.js";
import type { InstanceRecord } from "../../../store/store.js";
import { namedInstances } from "./instance-operations.js";
import { invalid } from "../../shared/refusals.js";

const TARGET = "TencentOS";
/** Source system → the TencentOS version and name it becomes. */
const CONVERSIONS: { source: RegExp; version: string; osName: string }[] = [
  { source: /^CentOS (Linux )?7(\.|\s|$)/, version: "2.4", osName: "TencentOS Server 2.4 (TK4)" },
  { source: /^CentOS (Linux )?8(\.|\s|$)/, version: "3.1", osName: "TencentOS Server 3.1 (TK4)" },
];

function conversionOf(r: InstanceRecord): (typeof CONVERSIONS)[number] {
  if (r.doc.Platform === "WINDOWS") throw fail("UnsupportedOperation.InstanceOsWindows", `Instance ${r.instanceId} runs ${r.doc.OsName}; only CentOS 7 and 8 can be converted.`, `实例 ${r.instanceId} 的系统为 ${r.doc.OsName}，仅 CentOS 7 与 CentOS 8 支持转换。`);
  const found = CONVERSIONS.find((c) => c.source.test(r.doc.OsName));
  if (!found) throw fail("UnsupportedOperation.InstanceOsConvertOsNotSupport", `Instance ${r.instanceId} runs ${r.doc.OsName}; only CentOS 7 and 8 can be converted.`, `实例 ${r.instanceId} 的系统为 ${r.doc.OsName}，仅 CentOS 7 与 CentOS 8 支持转换。`);
  return found;
}

export const convertOperatingSystems = action<cvm.ConvertOperatingSystemsRequest, cvm.ConvertOperatingSystemsResponse>("cvm", "ConvertOperatingSystems", async (ctx, p, deps) => {
  // MinimalConversion changes what the guest keeps, which a simulated disk does not hold.
  const target = p.TargetOSType ?? TARGET;
  if (target !== TARGET) throw invalid("InvalidParameter.InvalidTargetOSType", "TargetOSType", target, `the only target is ${TARGET}`, `目标系统仅支持 ${TARGET}`);
  const records = await namedInstances(ctx, deps.store, p.InstanceIds, "InstanceIds");
  for (const r of records) {
    if (r.latestOperationState === "OPERATING" || r.state !== "RUNNING") {
      throw fail("UnsupportedOperation.InstanceStateNotRunning", `Instance ${r.instanceId} is ${r.state}; a system is converted on a running instance.`, `实例 ${r.instanceId} 处于 ${r.state} 状态，仅运行中的实例支持转换系统。`);
    }
  }
  const plans = new Map(records.map((r) => [r.instanceId, conversionOf(r)]));
  if (p.DryRun) return { SupportTargetOSList: [...new Set([...plans.values()].map((c) => c.version))].map((v) => ({ TargetOSType: TARGET, TargetOSVersion: v })) };
  await applyNow(deps.store, ctx, ctx.action, records, (r) => ({ doc: { OsName: plans.get(r.instanceId)!.osName } }));
  return { TaskId: randomUUID() };
});
