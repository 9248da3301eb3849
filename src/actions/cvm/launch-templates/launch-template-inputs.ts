// What the launch template actions check: ids, names, descriptions and version numbers, the documented quotas,
// and finding the caller's template and its versions (another account's template answers as one that never was).
import type { RequestContext } from "../../../api/action.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import type { LaunchTemplateRecord, LaunchTemplateVersionRecord, Store } from "../../../store/store.js";
import { documentedCode, invalid } from "../../shared/refusals.js";

/** Versions per template ("每个实例启动模板最多创建30个版本"). */
export const VERSION_QUOTA = 30;
/** Templates per account and region: Tencent does not publish the figure; OpenCVM allows as many as versions. */
export const TEMPLATE_QUOTA = 30;

export function checkTemplateId(action: string, id: string, field: string): void {
  if (!isIdOf("lt", id)) throw invalid(documentedCode(action, ["InvalidParameterValue.LaunchTemplateIdMalformed"]), field, id, "expected lt-xxxxxxxx", "格式应为 lt-xxxxxxxx");
}

/** LaunchTemplateName: 2 to 128 characters. */
export function checkTemplateName(action: string, name: string, field: string): string {
  const n = [...name].length;
  if (n < 2 || n > 128 || name.trim() !== name) {
    throw invalid(documentedCode(action, ["InvalidParameterValue.InvalidLaunchTemplateName"]), field, name, "a name is 2 to 128 characters, without leading or trailing spaces", "名称长度为 2 到 128 个字符，首尾不能有空格");
  }
  return name;
}

/** LaunchTemplateVersionDescription: 2 to 256 characters; empty when not given. */
export function checkVersionDescription(action: string, description: string | undefined): string {
  if (description === undefined) return "";
  const n = [...description].length;
  if (n < 2 || n > 256) {
    throw invalid(documentedCode(action, ["InvalidParameterValue.InvalidLaunchTemplateVersionDescription"]), "LaunchTemplateVersionDescription", description, "a description is 2 to 256 characters", "描述长度为 2 到 256 个字符");
  }
  return description;
}

/** The caller's template `id`, with its versions. */
export async function findTemplate(store: Store, ctx: RequestContext, id: string, field: string): Promise<{ template: LaunchTemplateRecord; versions: LaunchTemplateVersionRecord[] }> {
  checkTemplateId(ctx.action, id, field);
  const [template] = await store.launchTemplates.find(ctx.account.appId, ctx.region!, [id]);
  if (!template) {
    throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.LaunchTemplateNotFound", "InvalidParameterValue.LaunchTemplateIdNotExisted"]), field, id, `no such launch template in ${ctx.region}`, `${ctx.region} 不存在该实例启动模板`);
  }
  return { template, versions: await store.launchTemplates.versions(id) };
}

/** Version `n` among `versions`, refused when the template has no such version. */
export function versionOf(action: string, template: LaunchTemplateRecord, versions: readonly LaunchTemplateVersionRecord[], n: number, field: string): LaunchTemplateVersionRecord {
  if (!Number.isInteger(n) || n < 1) throw invalid(documentedCode(action, ["InvalidParameterValue.LaunchTemplateVersion"]), field, n, "a version number is a positive integer", "版本号应为正整数");
  const found = versions.find((v) => v.version === n);
  if (!found) {
    throw invalid(
      documentedCode(action, ["InvalidParameterValue.LaunchTemplateIdVerNotExisted", "InvalidParameterValue.LaunchTemplateVersion"]),
      field,
      n,
      `launch template ${template.launchTemplateId} has no such version (it has ${versions.map((v) => v.version).join(", ")})`,
      `实例启动模板 ${template.launchTemplateId} 没有该版本（现有版本 ${versions.map((v) => v.version).join("、")}）`,
    );
  }
  return found;
}

/** TemplateDataModifyAction: Update or Replace (it matters only with Metadata, which OpenCVM does not keep yet). */
export function checkModifyAction(value: string | undefined): void {
  if (value !== undefined && value !== "Update" && value !== "Replace") {
    throw invalid("InvalidParameterValue", "TemplateDataModifyAction", value, "use Update or Replace", "取值应为 Update 或 Replace");
  }
}

export function refuseOverQuota(count: number, quota: number, code: string, what: string, whatZh: string): void {
  if (count >= quota) throw fail(code, `There are already ${count} ${what}, the quota.`, `${whatZh}已达配额 ${quota} 个。`);
}
