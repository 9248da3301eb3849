// Checks of request members that several instance actions share (RunInstances, ResetInstance, ResetInstancesType,
// ResetInstancesPassword): images, types, login settings and monthly terms, each refused as actions/shared/refusals.ts
// says.
import type * as cvm from "../../../api/generated/cvm-types.js";
import type { Deps, RequestContext } from "../../../api/action.js";
import type { Catalog, ImageEntry, InstanceTypeEntry } from "../../../domain/catalog.js";
import { INSTANCE_TYPE_NAME } from "../../../domain/catalog-file.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import { validatePassword } from "../../../domain/password.js";
import { booleanString, documentedCode, invalid } from "../../shared/refusals.js";

/** The key pairs an instance logs in with, and the public keys its machine accepts. */
export interface LoginKeys {
  keyIds: string[];
  authorizedKeys: string[];
}

/** An image an instance can boot from: public, or a custom image of the caller's or shared with it. */
export interface LaunchImage extends ImageEntry {
  custom: boolean;
  /** Data disks a custom image carries; instances launched from it get them first. */
  dataDisks: { DiskType: string; DiskSize: number }[];
  /**
   * What LoginSettings.KeepImageLogin gives an instance: the public keys on the image's disk, and the key pairs they
   * are when the image is the caller's own (a shared image's key pairs are its owner's).
   */
  imageLogin: LoginKeys;
}

export async function findImage(deps: Deps, ctx: RequestContext, imageId: string, field: string, action = "RunInstances"): Promise<LaunchImage> {
  if (!isIdOf("img", imageId)) throw invalid("InvalidImageId.Malformed", field, imageId, "expected img-xxxxxxxx", "格式应为 img-xxxxxxxx");
  const pub = deps.catalog.image(imageId);
  if (pub) return { ...pub, custom: false, dataDisks: [], imageLogin: { keyIds: [], authorizedKeys: [] } };
  const own = (await deps.store.images.visible(ctx.account.appId, ctx.region!)).find((v) => v.image.imageId === imageId)?.image;
  if (!own) throw invalid("InvalidImageId.NotFound", field, imageId, `no such image in ${ctx.region}`, `${ctx.region} 不存在该镜像`);
  if (own.state !== "NORMAL") throw invalid(documentedCode(action, ["InvalidParameterValue.InvalidImageState", "InvalidParameterValue.InvalidImageId"]), field, imageId, `the image is ${own.state}`, `镜像处于 ${own.state} 状态`);
  return {
    imageId: own.imageId,
    osName: own.osName,
    platform: own.platform,
    family: own.family,
    loginUser: own.loginUser,
    imageFamily: own.imageFamily,
    architecture: own.architecture,
    imageSize: own.imageSize,
    createdTime: own.createdAt,
    custom: true,
    dataDisks: own.dataDisks,
    imageLogin: { keyIds: own.appId === ctx.account.appId ? own.keyIds : [], authorizedKeys: own.authorizedKeys },
  };
}

/** An image boots only on instance types of its architecture. */
export function checkArchitecture(image: LaunchImage, type: InstanceTypeEntry, field: string, action = "RunInstances"): void {
  if (image.architecture !== type.architecture) {
    const code = documentedCode(action, ["InvalidParameterValue.InvalidImageForGivenInstanceType", "InvalidParameter.InstanceImageNotSupport", "InvalidParameterValue.InvalidImageIdForRetsetInstance"]);
    throw invalid(code, field, image.imageId, `a ${image.architecture} image does not boot on ${type.instanceType} (${type.architecture})`, `${image.architecture} 镜像不能用于 ${type.instanceType}（${type.architecture}）`);
  }
}

/** An instance type on sale; a malformed or unknown name is refused with the codes `action` documents for it. */
export function checkInstanceType(catalog: Catalog, name: string, field: string, action: string): InstanceTypeEntry {
  if (!INSTANCE_TYPE_NAME.test(name)) throw invalid(documentedCode(action, ["InvalidInstanceType.Malformed"]), field, name, "expected a type such as S5.MEDIUM4", "格式应如 S5.MEDIUM4");
  const type = catalog.instanceType(name);
  if (!type) {
    const code = documentedCode(action, ["InvalidParameterValue.InstanceTypeNotFound", "ResourceNotFound.InvalidZoneInstanceType"]);
    throw invalid(code, field, name, "no such instance type is sold", "不存在该实例机型");
  }
  return type;
}

export const keepsImageLogin = (login: cvm.LoginSettingsIn | undefined): boolean => booleanString(login?.KeepImageLogin, "LoginSettings.KeepImageLogin");

/**
 * LoginSettings as RunInstances and ResetInstance take them: a password by the image's rules, or the image's own
 * login, which only a custom image has (key pairs: key-pair-bindings.ts).
 */
export function checkLogin(login: cvm.LoginSettingsIn | undefined, image: LaunchImage): void {
  if (keepsImageLogin(login)) {
    if (login!.Password !== undefined) {
      throw fail("InvalidParameter.ParameterConflict", "`LoginSettings.Password` and `LoginSettings.KeepImageLogin=true` cannot be given together.", "`LoginSettings.Password` 与 `LoginSettings.KeepImageLogin=true` 不能同时指定。");
    }
    if (!image.custom) {
      throw invalid("InvalidParameterValue", "LoginSettings.KeepImageLogin", login!.KeepImageLogin, "only custom, shared or imported images keep their login settings", "仅自定义、共享或导入镜像可保留镜像登录设置");
    }
  }
  if (login?.Password !== undefined) validatePassword(login.Password, image.family, "LoginSettings.Password", image.loginUser);
}

/** InstanceChargePrepaid.Period in months (limits.md §3). */
export const PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36, 48, 60];
const RENEW_FLAGS = ["NOTIFY_AND_AUTO_RENEW", "NOTIFY_AND_MANUAL_RENEW", "DISABLE_NOTIFY_AND_MANUAL_RENEW"];
export const DEFAULT_RENEW_FLAG = "NOTIFY_AND_MANUAL_RENEW";

/** InstanceChargePrepaid, which must be given, with a documented Period. */
export function checkPrepaid(prepaid: cvm.InstanceChargePrepaidIn | undefined, why: string, whyZh: string): cvm.InstanceChargePrepaidIn {
  if (!prepaid) throw fail("MissingParameter", `The request is missing the required parameter \`InstanceChargePrepaid\`: ${why}.`, `缺少必需参数 \`InstanceChargePrepaid\`：${whyZh}。`);
  if (!PERIODS.includes(prepaid.Period)) {
    throw invalid("InvalidPeriod", "InstanceChargePrepaid.Period", prepaid.Period, `use one of ${PERIODS.join(", ")} months`, `取值应为 ${PERIODS.join("、")}（月）`);
  }
  return prepaid;
}

export function checkRenewFlag(flag: string, field: string): string {
  if (!RENEW_FLAGS.includes(flag)) throw invalid("InvalidParameterValue", field, flag, `use one of ${RENEW_FLAGS.join(", ")}`, `取值应为 ${RENEW_FLAGS.join("、")}`);
  return flag;
}
