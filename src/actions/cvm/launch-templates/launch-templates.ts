// Launch templates: CreateLaunchTemplate, CreateLaunchTemplateVersion, DescribeLaunchTemplates,
// DescribeLaunchTemplateVersions, ModifyLaunchTemplateDefaultVersion, DeleteLaunchTemplateVersions and
// DeleteLaunchTemplate. A version's members are checked as RunInstances checks a launch (so a template that
// could not launch is refused when it is written) and are never changed afterwards.
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { randomId } from "../../../domain/ids.js";
import { hashPassword } from "../../../domain/password.js";
import { checkLaunch, chosenSubnet } from "../instances/run-instances.js";
import { paging } from "../instances/describe-instances.js";
import { checkTags } from "../../shared/tag-inputs.js";
import { invalid } from "../../shared/refusals.js";
import {
  checkModifyAction,
  checkTemplateId,
  checkTemplateName,
  checkVersionDescription,
  findTemplate,
  refuseOverQuota,
  TEMPLATE_QUOTA,
  VERSION_QUOTA,
  versionOf,
} from "./launch-template-inputs.js";
import type { VersionDoc } from "./launch-template-merge.js";
import { resolvedData, templateView, versionView } from "./launch-template-view.js";

/** Members of the template actions that are about the template, not the launch it describes. */
const TEMPLATE_MEMBERS = ["LaunchTemplateName", "LaunchTemplateId", "LaunchTemplateVersion", "LaunchTemplateVersionDescription", "LaunchTemplateTagSpecification", "TemplateDataModifyAction", "DryRun"];

/** The launch members of a template request, defined ones only. */
function launchMembers(p: object): Partial<cvm.RunInstancesRequest> {
  return Object.fromEntries(Object.entries(p).filter(([k, v]) => v !== undefined && !TEMPLATE_MEMBERS.includes(k))) as Partial<cvm.RunInstancesRequest>;
}

/** Checks the members as a launch and makes the document a version keeps; DryRun stops here, as documented. */
async function versionDoc(ctx: RequestContext, members: Partial<cvm.RunInstancesRequest>, inherited: VersionDoc | undefined, deps: Deps, dryRun: boolean | undefined): Promise<VersionDoc> {
  const plan = await checkLaunch(ctx, members, deps);
  // RunInstances looks its subnet up where it writes; a template holds one only if it is the caller's.
  if (plan.vpc) await chosenSubnet(deps.store, ctx, plan);
  if (dryRun) throw fail("DryRunOperation", "The request would have succeeded (DryRun: nothing was created).", "请求将会成功（DryRun：未创建任何资源）。");
  const { LoginSettings: login, ...rest } = members;
  const password = login?.Password;
  const { Password: _, ...keptLogin } = login ?? {};
  // A password is kept only as its hash; a version that inherits its LoginSettings inherits the hash.
  const passwordHash = password !== undefined ? hashPassword(password) : login === inherited?.members.LoginSettings ? inherited?.passwordHash : undefined;
  return { members: { ...rest, ...(login ? { LoginSettings: keptLogin } : {}) }, ...(passwordHash ? { passwordHash } : {}), view: resolvedData(members, plan) };
}

export const createLaunchTemplate = action<cvm.CreateLaunchTemplateRequest, cvm.CreateLaunchTemplateResponse>("cvm", "CreateLaunchTemplate", async (ctx, p, deps) => {
  const name = checkTemplateName(ctx.action, p.LaunchTemplateName, "LaunchTemplateName");
  const description = checkVersionDescription(ctx.action, p.LaunchTemplateVersionDescription);
  checkModifyAction(p.TemplateDataModifyAction);
  const tags = checkTags(ctx.action, p.LaunchTemplateTagSpecification, "launch-template", "refuse");
  const { appId, uin } = ctx.account;
  refuseOverQuota(await deps.store.launchTemplates.count(appId, ctx.region!), TEMPLATE_QUOTA, "LimitExceeded.LaunchTemplateQuota", `launch templates in ${ctx.region}`, `${ctx.region} 的实例启动模板`);
  const doc = await versionDoc(ctx, launchMembers(p), undefined, deps, p.DryRun);
  const launchTemplateId = randomId("lt");
  const createdAt = isoSeconds(ctx.now);
  await deps.store.transaction(async (tx) => {
    // Counted again where it is written: racing requests cannot pass the quota together.
    refuseOverQuota(await tx.launchTemplates.count(appId, ctx.region!), TEMPLATE_QUOTA, "LimitExceeded.LaunchTemplateQuota", `launch templates in ${ctx.region}`, `${ctx.region} 的实例启动模板`);
    await tx.launchTemplates.insert(
      { launchTemplateId, appId, region: ctx.region!, name, createdBy: uin, createdAt, tags },
      { launchTemplateId, version: 1, description, data: doc as unknown as Record<string, unknown>, createdBy: uin, createdAt },
    );
  });
  return { LaunchTemplateId: launchTemplateId };
});

export const createLaunchTemplateVersion = action<cvm.CreateLaunchTemplateVersionRequest, cvm.CreateLaunchTemplateVersionResponse>(
  "cvm",
  "CreateLaunchTemplateVersion",
  async (ctx, p, deps) => {
    const description = checkVersionDescription(ctx.action, p.LaunchTemplateVersionDescription);
    checkModifyAction(p.TemplateDataModifyAction);
    const { template, versions } = await findTemplate(deps.store, ctx, p.LaunchTemplateId, "LaunchTemplateId");
    const base = versionOf(ctx.action, template, versions, p.LaunchTemplateVersion ?? template.defaultVersion, "LaunchTemplateVersion");
    refuseOverQuota(versions.length, VERSION_QUOTA, "LimitExceeded.LaunchTemplateVersionQuota", `versions of ${template.launchTemplateId}`, `实例启动模板 ${template.launchTemplateId} 的版本`);
    // Members not given are the base version's ("未显式指定的参数值，使用指定版本号对应参数值").
    const inherited = base.data as unknown as VersionDoc;
    const doc = await versionDoc(ctx, { ...inherited.members, ...launchMembers(p) }, inherited, deps, p.DryRun);
    const { uin } = ctx.account;
    const number = await deps.store.transaction(async (tx) => {
      const now = await findTemplate(tx, ctx, p.LaunchTemplateId, "LaunchTemplateId");
      refuseOverQuota(now.versions.length, VERSION_QUOTA, "LimitExceeded.LaunchTemplateVersionQuota", `versions of ${template.launchTemplateId}`, `实例启动模板 ${template.launchTemplateId} 的版本`);
      const version = now.template.latestVersion + 1;
      await tx.launchTemplates.addVersion({ launchTemplateId: template.launchTemplateId, version, description, data: doc as unknown as Record<string, unknown>, createdBy: uin, createdAt: isoSeconds(ctx.now) });
      return version;
    });
    return { LaunchTemplateVersionNumber: number };
  },
);

const NAME_FILTER = "launch-template-name";
const MAX_VALUES = 5;

export const describeLaunchTemplates = action<cvm.DescribeLaunchTemplatesRequest, cvm.DescribeLaunchTemplatesResponse>("cvm", "DescribeLaunchTemplates", async (ctx, p, deps) => {
  if (p.LaunchTemplateIds?.length && p.Filters?.length) throw fail("InvalidParameter", "LaunchTemplateIds and Filters cannot be given together.", "LaunchTemplateIds 与 Filters 不能同时指定。");
  const { offset, limit } = paging(p, ctx.action);
  const { appId } = ctx.account;
  if (p.LaunchTemplateIds?.length) {
    for (const id of p.LaunchTemplateIds) checkTemplateId(ctx.action, id, "LaunchTemplateIds");
    const found = await deps.store.launchTemplates.find(appId, ctx.region!, p.LaunchTemplateIds);
    return { TotalCount: found.length, LaunchTemplateSet: found.slice(offset, offset + limit).map(templateView) };
  }
  let names: string[] | undefined;
  for (const [i, f] of (p.Filters ?? []).entries()) {
    if (f.Name !== NAME_FILTER) throw fail("InvalidFilter", `Unknown filter \`${f.Name}\` (Filters.${i}); DescribeLaunchTemplates filters on ${NAME_FILTER}.`, `不支持过滤条件 \`${f.Name}\`（Filters.${i}）；可用的有 ${NAME_FILTER}。`);
    if (f.Values.length > MAX_VALUES) throw fail("InvalidFilterValue.LimitExceeded", `Filter \`${f.Name}\` (Filters.${i}) takes at most ${MAX_VALUES} values.`, `过滤条件 \`${f.Name}\`（Filters.${i}）最多 ${MAX_VALUES} 个取值。`);
    names = names ? names.filter((n) => f.Values.includes(n)) : [...f.Values];
  }
  const { total, records } = await deps.store.launchTemplates.list(appId, ctx.region!, names, offset, limit);
  return { TotalCount: total, LaunchTemplateSet: records.map(templateView) };
});

export const describeLaunchTemplateVersions = action<cvm.DescribeLaunchTemplateVersionsRequest, cvm.DescribeLaunchTemplateVersionsResponse>(
  "cvm",
  "DescribeLaunchTemplateVersions",
  async (ctx, p, deps) => {
    const ranged = p.MinVersion !== undefined || p.MaxVersion !== undefined || p.Offset !== undefined || p.Limit !== undefined || p.DefaultVersion !== undefined;
    if (p.LaunchTemplateVersions?.length && ranged) {
      throw fail("InvalidParameterCombination", "`LaunchTemplateVersions` cannot be given with MinVersion, MaxVersion, Offset, Limit or DefaultVersion.", "`LaunchTemplateVersions` 不能与 MinVersion、MaxVersion、Offset、Limit 或 DefaultVersion 同时指定。");
    }
    const { offset, limit } = paging(p, ctx.action);
    const { template, versions } = await findTemplate(deps.store, ctx, p.LaunchTemplateId, "LaunchTemplateId");
    let chosen = versions;
    if (p.LaunchTemplateVersions?.length) {
      chosen = [...new Set(p.LaunchTemplateVersions)].map((n) => versionOf(ctx.action, template, versions, n, "LaunchTemplateVersions"));
    } else {
      const min = p.MinVersion ?? 0;
      const max = p.MaxVersion ?? VERSION_QUOTA;
      if (min < 0 || max < min) throw invalid("InvalidParameterValue", "MaxVersion", max, `the range ${min}..${max} is empty`, `范围 ${min}..${max} 为空`);
      chosen = versions.filter((v) => v.version >= min && v.version <= max && (!p.DefaultVersion || v.version === template.defaultVersion));
    }
    return { TotalCount: chosen.length, LaunchTemplateVersionSet: chosen.slice(offset, offset + limit).map((v) => versionView(template, v)) };
  },
);

export const modifyLaunchTemplateDefaultVersion = action<cvm.ModifyLaunchTemplateDefaultVersionRequest, cvm.ModifyLaunchTemplateDefaultVersionResponse>(
  "cvm",
  "ModifyLaunchTemplateDefaultVersion",
  async (ctx, p, deps) => {
    await deps.store.transaction(async (tx) => {
      const { template, versions } = await findTemplate(tx, ctx, p.LaunchTemplateId, "LaunchTemplateId");
      versionOf(ctx.action, template, versions, p.DefaultVersion, "DefaultVersion");
      if (template.defaultVersion === p.DefaultVersion) {
        throw invalid("InvalidParameterValue.LaunchTemplateIdVerSetAlready", "DefaultVersion", p.DefaultVersion, "it is already the default version", "该版本已是默认版本");
      }
      await tx.launchTemplates.setDefault(template.launchTemplateId, p.DefaultVersion);
    });
    return {};
  },
);

export const deleteLaunchTemplateVersions = action<cvm.DeleteLaunchTemplateVersionsRequest, cvm.DeleteLaunchTemplateVersionsResponse>(
  "cvm",
  "DeleteLaunchTemplateVersions",
  async (ctx, p, deps) => {
    if (p.LaunchTemplateVersions.length === 0) throw fail("MissingParameter", "The request is missing the required parameter `LaunchTemplateVersions`.", "缺少必需参数 `LaunchTemplateVersions`。");
    // All or nothing: one version that does not exist, or the default one, refuses the call.
    await deps.store.transaction(async (tx) => {
      const { template, versions } = await findTemplate(tx, ctx, p.LaunchTemplateId, "LaunchTemplateId");
      for (const n of p.LaunchTemplateVersions) {
        versionOf(ctx.action, template, versions, n, "LaunchTemplateVersions");
        if (n === template.defaultVersion) {
          throw invalid("InvalidParameterValue.LaunchTemplateDefaultVersion", "LaunchTemplateVersions", n, "it is the default version; make another version the default first", "该版本为默认版本，请先将其他版本设为默认");
        }
      }
      await tx.launchTemplates.removeVersions(template.launchTemplateId, p.LaunchTemplateVersions);
    });
    return {};
  },
);

export const deleteLaunchTemplate = action<cvm.DeleteLaunchTemplateRequest, cvm.DeleteLaunchTemplateResponse>("cvm", "DeleteLaunchTemplate", async (ctx, p, deps) => {
  await deps.store.transaction(async (tx) => {
    const { template } = await findTemplate(tx, ctx, p.LaunchTemplateId, "LaunchTemplateId");
    await tx.launchTemplates.remove(template.launchTemplateId);
  });
  return {};
});
