// The networks of CHC hosts: ConfigureChcAssistVpc (the out-of-band network, and the deploy network with it),
// ConfigureChcDeployVpc, RemoveChcAssistVpc (both), RemoveChcDeployVpc and ModifyChcNetworkMode. Each change is
// asynchronous as in the real cloud: the host is OPERATING at once, with the action as its LatestOperation, and the
// engine settles it (engine/resource-steps.ts, ChcNetwork) in the state the payload names. Addresses are reserved
// in the subnet when the change starts and given back when a network is removed.
import { randomUUID } from "node:crypto";
import { action, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { NO_DEPLOY_NETWORK, networkModeDenied, settledState, type ChcNetworkMode, type ChcOutcome } from "../../../domain/chc-hosts.js";
import type { ChcHostDoc, ChcHostRecord, Store } from "../../../store/store.js";
import { documentedCode, invalid } from "../../shared/refusals.js";
import { attachNetwork, checkDeployExtra, checkSecurityGroups, ownChcHosts, refuseDenied } from "./chc-inputs.js";

const STATE_CODES = ["OperationDenied.ChcHostStateNotSupported", "InvalidInstance.NotSupported", "InvalidHost.NotSupported"];

/**
 * Starts `operation` on each host: OPERATING now with `doc`'s changes, then `success` (or `failure`) once the engine
 * has done it.
 */
async function startChange(tx: Store, ctx: RequestContext, hosts: readonly ChcHostRecord[], operation: string, change: (h: ChcHostRecord, i: number) => Partial<ChcHostDoc>, outcome: (h: ChcHostRecord) => { success: ChcOutcome; failure: ChcOutcome }): Promise<void> {
  for (const [i, h] of hosts.entries()) {
    await tx.chcHosts.update(h.chcId, { state: "OPERATING", doc: { ...h.doc, ...change(h, i), latestOperation: operation, latestOperationState: "OPERATING" } });
  }
  await tx.operations.add(hosts.map((h) => ({ operationId: randomUUID(), instanceId: h.chcId, kind: "ChcNetwork", requestId: ctx.requestId, payload: { chcId: h.chcId, ...outcome(h) } })));
}

export const configureChcAssistVpc = action<cvm.ConfigureChcAssistVpcRequest, cvm.ConfigureChcAssistVpcResponse>("cvm", "ConfigureChcAssistVpc", async (ctx, p, deps) => {
  const deployExtra = checkDeployExtra(ctx.action, p.ChcDeployExtraConfig);
  if (deployExtra && !p.DeployVirtualPrivateCloud) throw invalid("InvalidParameter", "ChcDeployExtraConfig", deployExtra.MiniOsType, "it configures a deploy network: give DeployVirtualPrivateCloud", "它用于部署网络：请同时指定 DeployVirtualPrivateCloud");
  await deps.store.transaction(async (tx) => {
    const hosts = await ownChcHosts(tx, ctx, p.ChcIds);
    refuseDenied("ConfigureChcAssistVpc", hosts, STATE_CODES);
    const bmcGroups = await checkSecurityGroups(tx, ctx, p.BmcSecurityGroupIds ?? [], "BmcSecurityGroupIds");
    const deployGroups = await checkSecurityGroups(tx, ctx, p.DeploySecurityGroupIds ?? [], "DeploySecurityGroupIds");
    const bmc = await attachNetwork(tx, ctx, hosts, p.BmcVirtualPrivateCloud, bmcGroups, "BmcVirtualPrivateCloud");
    const deploy = p.DeployVirtualPrivateCloud ? await attachNetwork(tx, ctx, hosts, p.DeployVirtualPrivateCloud, deployGroups, "DeployVirtualPrivateCloud") : undefined;
    await startChange(
      tx,
      ctx,
      hosts,
      ctx.action,
      (h, i) => ({ bmc: bmc[i], deploy: deploy?.[i] ?? h.doc.deploy, deployExtra: deploy ? deployExtra : h.doc.deployExtra }),
      (h) => ({ success: { state: settledState(bmc[0], deploy?.[0] ?? h.doc.deploy), clear: [] }, failure: { state: h.state, clear: deploy ? ["bmc", "deploy"] : ["bmc"] } }),
    );
  });
  deps.engine.kick();
  return {};
});

export const configureChcDeployVpc = action<cvm.ConfigureChcDeployVpcRequest, cvm.ConfigureChcDeployVpcResponse>("cvm", "ConfigureChcDeployVpc", async (ctx, p, deps) => {
  const deployExtra = checkDeployExtra(ctx.action, p.ChcDeployExtraConfig);
  await deps.store.transaction(async (tx) => {
    const hosts = await ownChcHosts(tx, ctx, p.ChcIds);
    const configured = hosts.find((h) => h.doc.deploy && h.state !== "OPERATING");
    if (configured) throw invalid("InvalidParameterValue.DeployVpcAlreadyExists", "ChcIds", configured.chcId, `the host's deploy network is in ${configured.doc.deploy!.vpcId} already`, `物理服务器已有部署网络 ${configured.doc.deploy!.vpcId}`);
    refuseDenied("ConfigureChcDeployVpc", hosts, STATE_CODES);
    const groups = await checkSecurityGroups(tx, ctx, p.DeploySecurityGroupIds ?? [], "DeploySecurityGroupIds");
    const deploy = await attachNetwork(tx, ctx, hosts, p.DeployVirtualPrivateCloud, groups, "DeployVirtualPrivateCloud");
    await startChange(
      tx,
      ctx,
      hosts,
      ctx.action,
      (_, i) => ({ deploy: deploy[i], deployExtra }),
      (h) => ({ success: { state: settledState(h.doc.bmc, deploy[0]), clear: [] }, failure: { state: h.state, clear: ["deploy"] } }),
    );
  });
  deps.engine.kick();
  return {};
});

export const removeChcAssistVpc = action<cvm.RemoveChcAssistVpcRequest, cvm.RemoveChcAssistVpcResponse>("cvm", "RemoveChcAssistVpc", async (ctx, p, deps) => {
  await deps.store.transaction(async (tx) => {
    const hosts = await ownChcHosts(tx, ctx, p.ChcIds);
    refuseDenied("RemoveChcAssistVpc", hosts, STATE_CODES);
    await startChange(tx, ctx, hosts, ctx.action, () => ({}), () => ({ success: { state: "INIT", clear: ["bmc", "deploy"] }, failure: { state: "CLEAR_NETWORK_FAILED", clear: [] } }));
  });
  deps.engine.kick();
  return {};
});

export const removeChcDeployVpc = action<cvm.RemoveChcDeployVpcRequest, cvm.RemoveChcDeployVpcResponse>("cvm", "RemoveChcDeployVpc", async (ctx, p, deps) => {
  await deps.store.transaction(async (tx) => {
    const hosts = await ownChcHosts(tx, ctx, p.ChcIds);
    refuseDenied("RemoveChcDeployVpc", hosts, STATE_CODES);
    // Without its deploy network a host is no longer READY or produced: it goes back to INIT, in DEPLOY mode no more.
    await startChange(tx, ctx, hosts, ctx.action, () => ({}), () => ({ success: { state: "INIT", clear: ["deploy"], networkMode: "BUSINESS" }, failure: { state: "CLEAR_NETWORK_FAILED", clear: [] } }));
  });
  deps.engine.kick();
  return {};
});

const MODES: Record<string, string> = { DEPLOY: "SwitchChcDeployNetwork", BUSINESS: "SwitchChcBusinessNetwork" };

export const modifyChcNetworkMode = action<cvm.ModifyChcNetworkModeRequest, cvm.ModifyChcNetworkModeResponse>("cvm", "ModifyChcNetworkMode", async (ctx, p, deps) => {
  if (!Object.hasOwn(MODES, p.NetworkMode)) throw invalid("InvalidParameterValue", "NetworkMode", p.NetworkMode, "use DEPLOY or BUSINESS", "取值应为 DEPLOY 或 BUSINESS");
  const mode = p.NetworkMode as ChcNetworkMode;
  await deps.store.transaction(async (tx) => {
    const hosts = await ownChcHosts(tx, ctx, p.ChcIds);
    for (const h of hosts) {
      const why = networkModeDenied({ state: h.state, bmc: h.doc.bmc, deploy: h.doc.deploy }, mode);
      if (!why) continue;
      const code = why === NO_DEPLOY_NETWORK ? "OperationDenied.ChcDeployConfigInvalid" : "OperationDenied.ChcHostStateNotSupported";
      throw invalid(code, "ChcIds", h.chcId, `cannot switch to ${mode}: ${why}`, `无法切换到 ${mode}：${why}`);
    }
    await startChange(tx, ctx, hosts, MODES[mode], () => ({}), (h) => ({ success: { state: h.state, clear: [], networkMode: mode }, failure: { state: h.state, clear: [] } }));
  });
  deps.engine.kick();
  return {};
});
