// CHC hosts as their owner sees them: DescribeChcHosts, DescribeChcDeniedActions (what each host's state refuses,
// from the rule the actions themselves follow) and ModifyChcAttribute (name, device type, BMC credentials and
// security groups). An operator registers and removes hosts (`opencvm chc`); the API never creates one.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { deniedActions } from "../../../domain/chc-hosts.js";
import { hashPassword, PASSWORD_SPECIALS } from "../../../domain/password.js";
import { invalid } from "../../shared/refusals.js";
import { checkChcIds, checkSecurityGroups, ownChcHosts } from "./chc-inputs.js";
import { chcFilter, chcView } from "./chc-view.js";

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
const MAX_NAME = 60;
const BMC_USER = /^[A-Za-z0-9_-]{1,32}$/;
const PASSWORD_CHARS = new RegExp(`^[A-Za-z0-9${PASSWORD_SPECIALS.replace(/[\\\]^-]/g, "\\$&")}]{8,16}$`);

export const describeChcHosts = action<cvm.DescribeChcHostsRequest, cvm.DescribeChcHostsResponse>("cvm", "DescribeChcHosts", async (ctx, p, deps) => {
  const limit = p.Limit ?? DEFAULT_LIMIT;
  const offset = p.Offset ?? 0;
  if (limit < 0 || limit > MAX_LIMIT) throw invalid("InvalidParameterValueLimit", "Limit", limit, `it must be between 0 and ${MAX_LIMIT}`, `取值范围为 0 到 ${MAX_LIMIT}`);
  if (offset < 0) throw invalid("InvalidParameterValueOffset", "Offset", offset, "it must not be negative", "不能为负数");
  if (p.ChcIds?.length && p.Filters?.length) throw invalid("InvalidParameter.AtMostOne", "ChcIds", p.ChcIds.join(","), "give ChcIds or Filters, not both", "ChcIds 与 Filters 不能同时指定");
  if (p.ChcIds?.length) checkChcIds(ctx.action, p.ChcIds);
  const test = chcFilter(ctx, deps.catalog, p.Filters ?? []);
  const ids = p.ChcIds?.length ? new Set(p.ChcIds) : undefined;
  const hosts = (await deps.store.chcHosts.all(ctx.account.appId, ctx.region!)).filter((h) => (!ids || ids.has(h.chcId)) && test(h));
  return { TotalCount: hosts.length, ChcHostSet: hosts.slice(offset, offset + limit).map(chcView) };
});

export const describeChcDeniedActions = action<cvm.DescribeChcDeniedActionsRequest, cvm.DescribeChcDeniedActionsResponse>("cvm", "DescribeChcDeniedActions", async (ctx, p, deps) => {
  const hosts = await ownChcHosts(deps.store, ctx, p.ChcIds);
  return {
    ChcHostDeniedActionSet: hosts.map((h) => ({ ChcId: h.chcId, State: h.state, DenyActions: deniedActions({ state: h.state, bmc: h.doc.bmc, deploy: h.doc.deploy }) })),
  };
});

export const modifyChcAttribute = action<cvm.ModifyChcAttributeRequest, cvm.ModifyChcAttributeResponse>("cvm", "ModifyChcAttribute", async (ctx, p, deps) => {
  const name = p.InstanceName;
  if (name !== undefined && (!name.trim() || name.length > MAX_NAME)) throw invalid("InvalidParameterValue.IncorrectFormat", "InstanceName", name, `1 to ${MAX_NAME} characters`, `应为 1 到 ${MAX_NAME} 个字符`);
  if (p.DeviceType !== undefined && (!p.DeviceType.trim() || p.DeviceType.length > 64)) throw invalid("InvalidParameterValue.IncorrectFormat", "DeviceType", p.DeviceType, "1 to 64 characters", "应为 1 到 64 个字符");
  if (p.BmcUser !== undefined && !BMC_USER.test(p.BmcUser)) throw invalid("InvalidParameterValue.IncorrectFormat", "BmcUser", p.BmcUser, "letters, digits, - and _ (at most 32)", "仅可包含字母、数字、横线和下划线（不超过 32 个）");
  // The password is never echoed back, even in a refusal.
  if (p.Password !== undefined && !PASSWORD_CHARS.test(p.Password)) throw invalid("InvalidPassword", "Password", "******", `8 to 16 letters, digits or ${PASSWORD_SPECIALS}`, `应为 8 到 16 位字母、数字或 ${PASSWORD_SPECIALS}`);
  const touchesBmc = p.BmcUser !== undefined || p.Password !== undefined || p.BmcSecurityGroupIds !== undefined;
  await deps.store.transaction(async (tx) => {
    const hosts = await ownChcHosts(tx, ctx, p.ChcIds);
    const groups = p.BmcSecurityGroupIds && (await checkSecurityGroups(tx, ctx, p.BmcSecurityGroupIds, "BmcSecurityGroupIds"));
    const bare = touchesBmc && hosts.find((h) => !h.doc.bmc);
    if (bare) throw invalid("InvalidParameterValue.ChcNetworkEmpty", "ChcIds", bare.chcId, "the host has no out-of-band network to set BMC credentials or security groups on", "物理服务器未配置带外网络");
    for (const h of hosts) {
      const d = h.doc;
      await tx.chcHosts.update(h.chcId, {
        doc: {
          ...d,
          ...(name !== undefined ? { instanceName: name } : {}),
          ...(p.DeviceType !== undefined ? { deviceType: p.DeviceType } : {}),
          ...(p.BmcUser !== undefined ? { bmcUser: p.BmcUser } : {}),
          ...(p.Password !== undefined ? { bmcPasswordHash: hashPassword(p.Password) } : {}),
          ...(groups && d.bmc ? { bmc: { ...d.bmc, securityGroupIds: groups } } : {}),
        },
      });
    }
  });
  return {};
});
