// RunInstances with ChcIds: one cloud host on each named CHC host. A host takes one when the operator has produced it
// (PREPARED) and it has its deploy network, through which the image is installed; the instance gets the host's CPU
// and memory, and the host shows ONLINE with the instance's id until the instance ends (engine/steps.ts frees it).
import type { RequestContext } from "../../../api/action.js";
import { whyDenied } from "../../../domain/chc-hosts.js";
import { fail } from "../../../domain/errors.js";
import type { ChcHostRecord, InstanceRecord, Store } from "../../../store/store.js";
import { invalid } from "../../shared/refusals.js";
import { ownChcHosts } from "./chc-inputs.js";

/** Refuses, before anything is read, a launch whose count is not one instance per named host. */
export function checkChcLaunch(chcIds: readonly string[], count: number, minCount: number | undefined, onHosts: boolean): void {
  if (onHosts) throw fail("InvalidParameterCombination", "`ChcIds` and `Placement.HostIds` cannot be given together.", "`ChcIds` 与 `Placement.HostIds` 不能同时指定。");
  if (count !== chcIds.length || (minCount !== undefined && minCount !== count)) {
    throw invalid("InvalidParameterValue", "InstanceCount", count, `launch one instance on each of the ${chcIds.length} CHC hosts named`, `应为指定的 ${chcIds.length} 台 CHC 物理服务器各创建一台实例`);
  }
}

/** The caller's named hosts, each in the launch's zone and ready to take a cloud host. */
export async function chcHostsFor(store: Store, ctx: RequestContext, chcIds: readonly string[], zone: string): Promise<ChcHostRecord[]> {
  const hosts = await ownChcHosts(store, ctx, chcIds);
  if (hosts.length !== chcIds.length) throw invalid("InvalidParameterValue", "ChcIds", chcIds.join(","), "a host is named twice", "物理服务器重复");
  hosts.forEach((h, i) => {
    const field = `ChcIds.${i}`;
    if (h.zone !== zone) throw invalid("InvalidParameterValue.ChcHostsNotFound", field, h.chcId, `the host is in ${h.zone}, not ${zone}`, `该物理服务器位于 ${h.zone}，而非 ${zone}`);
    if (!h.doc.deploy) throw invalid("OperationDenied.ChcInstallCloudImageWithoutDeployNetwork", field, h.chcId, "the image is installed through the host's deploy network, which is not configured (ConfigureChcDeployVpc)", "镜像经部署网络安装，该物理服务器未配置部署网络（ConfigureChcDeployVpc）");
    const why = whyDenied({ state: h.state, bmc: h.doc.bmc, deploy: h.doc.deploy }, "RunInstances");
    if (why) throw invalid("InvalidParameter.HostIdStatusNotSupport", field, h.chcId, why, `物理服务器处于 ${h.state} 状态，不可创建云主机`);
  });
  return hosts;
}

/** Puts each instance on its host (same order): the host's CPU and memory, and the host ONLINE with the instance. */
export async function occupy(tx: Store, hosts: readonly ChcHostRecord[], created: readonly InstanceRecord[]): Promise<void> {
  for (const [i, r] of created.entries()) {
    const h = hosts[i];
    Object.assign(r.doc, { ChcId: h.chcId, CPU: h.doc.cpu, Memory: h.doc.memory });
    await tx.chcHosts.update(h.chcId, { state: "ONLINE", doc: { ...h.doc, cvmInstanceId: r.instanceId } });
  }
}
