// ResetInstancesType, ResetInstance, ResizeInstanceDisks and ResetInstancesPassword: asynchronous changes that need
// a stopped machine (a running one is shut down for them; ForceStop powers it off when the shutdown fails). The
// lifecycle table gives their states.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { expandHostNames, validateHostName } from "../../../domain/naming.js";
import { hashPassword, validatePassword } from "../../../domain/password.js";
import { validateUserData } from "../../../domain/user-data.js";
import { enhancedServices } from "../../../domain/enhanced-service.js";
import type { InstanceDoc } from "../../../store/store.js";
import { reinstalledSystemDisk, resizedDisks } from "./disk-changes.js";
import { refuseDisksInTransit } from "../../cbs/disks/disk-attachment.js";
import { payForChange } from "../../../instances/charges.js";
import { checkArchitecture, checkInstanceType, checkLogin, findImage } from "./instance-inputs.js";
import { checkTypeChange } from "./purchase-inputs.js";
import { allowedFrom, begin, guard } from "../../../instances/operations.js";
import { checkIds, findInstances, namedInstances } from "./instance-operations.js";
import { checkLoginKeys, loginKeys } from "../key-pairs/key-pair-bindings.js";
import { invalid } from "../../shared/refusals.js";

/** ForceStop, as these actions document it: power off a running instance when its normal shutdown fails. */
const stopTypeOf = (forceStop: boolean | undefined) => (forceStop ? "SOFT_FIRST" : "SOFT");

export const resetInstancesType = action<cvm.ResetInstancesTypeRequest, cvm.ResetInstancesTypeResponse>("cvm", "ResetInstancesType", async (ctx, p, deps) => {
  checkIds(ctx.action, p.InstanceIds, "InstanceIds");
  if (p.InstanceIds.length !== 1) {
    throw invalid("InvalidParameterValue.LimitExceeded", "InstanceIds", p.InstanceIds.length, "the instance type is changed one instance at a time", "每次只能调整一个实例的机型");
  }
  const type = checkInstanceType(deps.catalog, p.InstanceType, "InstanceType", ctx.action);
  const [record] = await findInstances(deps.store, ctx, p.InstanceIds);
  // A running instance is shut down normally; ForceStop powers it off when that fails.
  guard(ctx.action, [record]);
  if (record.instanceType === type.instanceType) {
    throw invalid("InvalidParameterValue", "InstanceType", type.instanceType, `instance ${record.instanceId} already has this type`, `实例 ${record.instanceId} 已是该机型`);
  }
  checkTypeChange(deps.catalog, ctx.action, record, type);
  // A monthly instance pays (or is refunded) the difference for the rest of its term, as the inquiry quotes.
  await deps.store.transaction(async (tx) => {
    await payForChange(tx, deps, ctx, record, { instanceType: type.instanceType });
    await begin(deps, ctx, ctx.action, [record], { instanceType: type.instanceType, instanceFamily: type.family, cpu: type.cpu, memory: type.memory, stopType: stopTypeOf(p.ForceStop) }, tx);
  }, ctx.account.appId);
  deps.engine.kick();
  return {};
});

export const resetInstance = action<cvm.ResetInstanceRequest, cvm.ResetInstanceResponse>("cvm", "ResetInstance", async (ctx, p, deps) => {
  const [record] = await namedInstances(ctx, deps.store, [p.InstanceId], "InstanceId");
  const image = await findImage(deps, ctx, p.ImageId ?? record.imageId, "ImageId");
  // A type the catalog no longer has (an operator's catalog changed under the instance) has no rule to check.
  const type = deps.catalog.instanceType(record.instanceType);
  if (type) checkArchitecture(image, type, "ImageId");
  checkLoginKeys(p.LoginSettings, image);
  checkLogin(p.LoginSettings, image);
  const login = await loginKeys(deps.store, ctx, p.LoginSettings, image);
  const systemDisk = reinstalledSystemDisk(deps, record, image, p.SystemDisk);
  const hostName = p.HostName === undefined ? undefined : expandHostNames(p.HostName, 1, [record.privateIp])[0];
  if (hostName !== undefined) validateHostName(hostName, image.family, "HostName");
  if (p.UserData !== undefined) validateUserData(p.UserData, "UserData");
  guard(ctx.action, [record]);
  // The new system's login password reaches the machine only as its hash.
  const password = p.LoginSettings?.Password !== undefined ? { passwordHash: hashPassword(p.LoginSettings.Password) } : {};
  const doc: Partial<InstanceDoc> = {
    OsName: image.osName,
    Platform: image.family,
    DefaultLoginUser: image.loginUser,
    DefaultLoginPort: image.family === "WINDOWS" ? 3389 : 22,
    SystemDisk: systemDisk,
    // The new system gets the agents asked for now, with the defaults for what is not asked.
    EnhancedService: enhancedServices(p.EnhancedService, !image.custom),
    ...(hostName !== undefined ? { HostName: hostName } : {}),
    ...(p.UserData !== undefined ? { UserData: p.UserData } : {}),
  };
  await deps.store.transaction(async (tx) => {
    await payForChange(tx, deps, ctx, record, { systemDisk: doc.SystemDisk });
    await begin(deps, ctx, ctx.action, [record], { imageId: image.imageId, hostName, doc, ...login, ...password, stopType: "SOFT_FIRST" }, tx);
  }, ctx.account.appId);
  deps.engine.kick();
  return {};
});

export const resizeInstanceDisks = action<cvm.ResizeInstanceDisksRequest, cvm.ResizeInstanceDisksResponse>("cvm", "ResizeInstanceDisks", async (ctx, p, deps) => {
  const [record] = await namedInstances(ctx, deps.store, [p.InstanceId], "InstanceId");
  guard(ctx.action, [record], allowedFrom(ctx.action, p.ForceStop || p.ResizeOnline));
  const { SystemDisk: systemDisk, DataDisks: dataDisks } = resizedDisks(deps, ctx.action, record, p);
  await deps.store.transaction(async (tx) => {
    // The new disks replace the record's: none may be on its way in or out meanwhile (AttachDisks, DetachDisks).
    await refuseDisksInTransit(tx, ctx.action, record.instanceId);
    await payForChange(tx, deps, ctx, record, { systemDisk, dataDisks });
    await begin(deps, ctx, ctx.action, [record], { online: Boolean(p.ResizeOnline), doc: { SystemDisk: systemDisk, DataDisks: dataDisks }, stopType: stopTypeOf(p.ForceStop) }, tx);
  }, ctx.account.appId);
  deps.engine.kick();
  return {};
});

export const resetInstancesPassword = action<cvm.ResetInstancesPasswordRequest, cvm.ResetInstancesPasswordResponse>("cvm", "ResetInstancesPassword", async (ctx, p, deps) => {
  checkIds(ctx.action, p.InstanceIds, "InstanceIds");
  if (p.UserName !== undefined && (p.UserName.length === 0 || p.UserName.length > 64)) {
    throw invalid("InvalidParameterValue.TooLong", "UserName", p.UserName, "a user name has 1-64 characters", "用户名长度为 1-64 个字符");
  }
  const records = await findInstances(deps.store, ctx, p.InstanceIds);
  // A batch with a Windows instance follows the Windows rules, which are the stricter ones.
  const platform = records.some((r) => r.doc.Platform === "WINDOWS") ? "WINDOWS" : "LINUX";
  validatePassword(p.Password, platform, "Password", p.UserName);
  guard(ctx.action, records, allowedFrom(ctx.action, p.ForceStop));
  await begin(deps, ctx, ctx.action, records, { userName: p.UserName ?? "", passwordHash: hashPassword(p.Password), stopType: stopTypeOf(p.ForceStop) });
  return {};
});
