// Key pairs on instances: AssociateInstancesKeyPairs and DisassociateInstancesKeyPairs (asynchronous, on stopped
// Linux instances, or running ones with ForceStop, which are started again), and LoginSettings.KeyIds and
// KeepImageLogin as RunInstances and ResetInstance take them.
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import type { ImageEntry } from "../../../domain/catalog.js";
import { fail } from "../../../domain/errors.js";
import type { InstanceRecord, KeyPairRecord, Store } from "../../../store/store.js";
import { keepsImageLogin, type LaunchImage, type LoginKeys } from "../instances/instance-inputs.js";
import { allowedFrom, begin, guard } from "../../../instances/operations.js";
import { checkIds, findInstances } from "../instances/instance-operations.js";
import { checkKeyIds, findKeyPairs } from "./key-pair-inputs.js";
import { documentedCode, invalid } from "../../shared/refusals.js";

const LOGIN_KEYS = "LoginSettings.KeyIds";

/** Key pairs are for Linux: a Windows instance refuses the whole call. */
function refuseWindows(records: readonly InstanceRecord[]): void {
  const windows = records.find((r) => r.doc.Platform === "WINDOWS");
  if (windows) {
    throw fail(
      "UnsupportedOperation.InstanceOsWindows",
      `Instance ${windows.instanceId} runs ${windows.doc.OsName}; key pairs are for Linux instances only.`,
      `实例 ${windows.instanceId} 的操作系统为 ${windows.doc.OsName}，密钥对仅支持 Linux 实例。`,
    );
  }
}

/** Each instance's new key set, with the public keys its machine is to accept. */
function payloads(keys: ReadonlyMap<string, KeyPairRecord>, keyIdsOf: (r: InstanceRecord) => string[]) {
  return (r: InstanceRecord) => {
    const keyIds = keyIdsOf(r);
    // ForceStop is documented as a forced power-off first, not a normal shutdown.
    return { keyIds, authorizedKeys: keyIds.map((id) => keys.get(id)!.publicKey), stopType: "HARD" };
  };
}

/** What both actions check: the caller's instances and key pairs, Linux instances, in a state the action takes. */
async function checkBinding(ctx: RequestContext, p: { InstanceIds: string[]; KeyIds: string[]; ForceStop?: boolean }, deps: Deps) {
  checkIds(ctx.action, p.InstanceIds, "InstanceIds");
  checkKeyIds(p.KeyIds, "KeyIds");
  const records = await findInstances(deps.store, ctx, p.InstanceIds);
  const keys = await findKeyPairs(deps.store, ctx, p.KeyIds, "KeyIds");
  refuseWindows(records);
  guard(ctx.action, records, allowedFrom(ctx.action, p.ForceStop));
  return { records, keys };
}

export const associateInstancesKeyPairs = action<cvm.AssociateInstancesKeyPairsRequest, cvm.AssociateInstancesKeyPairsResponse>(
  "cvm",
  "AssociateInstancesKeyPairs",
  async (ctx, p, deps) => {
    const { records, keys } = await checkBinding(ctx, p, deps);
    // The keys given replace those an instance had: the documented "原来的密钥将失效".
    await begin(deps, ctx, ctx.action, records, payloads(new Map(keys.map((k) => [k.keyId, k])), () => [...p.KeyIds]));
    return {};
  },
);

export const disassociateInstancesKeyPairs = action<cvm.DisassociateInstancesKeyPairsRequest, cvm.DisassociateInstancesKeyPairsResponse>(
  "cvm",
  "DisassociateInstancesKeyPairs",
  async (ctx, p, deps) => {
    const { records } = await checkBinding(ctx, p, deps);
    for (const r of records) {
      const unbound = p.KeyIds.find((id) => !r.keyIds.includes(id));
      if (unbound) throw invalid("InvalidParameterValue", "KeyIds", unbound, `the key pair is not bound to instance ${r.instanceId}`, `该密钥对未绑定实例 ${r.instanceId}`);
    }
    const remove = new Set(p.KeyIds);
    const left = (r: InstanceRecord) => r.keyIds.filter((id) => !remove.has(id));
    // The keys that stay need their public halves; bound keys cannot have been deleted.
    const kept = await findKeyPairs(deps.store, ctx, [...new Set(records.flatMap(left))], "KeyIds");
    await begin(deps, ctx, ctx.action, records, payloads(new Map(kept.map((k) => [k.keyId, k])), left));
    return {};
  },
);

/**
 * LoginSettings.KeyIds of RunInstances and ResetInstance, before the rest of LoginSettings is checked: not with a
 * password or the image's own login, not on Windows, at most 100 well-formed ids.
 */
export function checkLoginKeys(login: cvm.LoginSettingsIn | undefined, image: ImageEntry): void {
  const ids = login?.KeyIds ?? [];
  if (ids.length === 0) return;
  if (login!.Password !== undefined) {
    throw fail("InvalidParameter.ParameterConflict", "`LoginSettings.KeyIds` and `LoginSettings.Password` cannot be given together.", "`LoginSettings.KeyIds` 与 `LoginSettings.Password` 不能同时指定。");
  }
  if (keepsImageLogin(login)) {
    throw fail("InvalidParameter.ParameterConflict", "`LoginSettings.KeyIds` and `LoginSettings.KeepImageLogin=true` cannot be given together.", "`LoginSettings.KeyIds` 与 `LoginSettings.KeepImageLogin=true` 不能同时指定。");
  }
  if (image.family === "WINDOWS") {
    throw invalid("UnsupportedOperation.KeyPairUnsupportedWindows", LOGIN_KEYS, ids[0], `image ${image.imageId} (${image.osName}) is Windows, which logs in with a password only`, `镜像 ${image.imageId}（${image.osName}）为 Windows，仅支持密码登录`);
  }
  checkKeyIds(ids, LOGIN_KEYS);
}

/**
 * What an instance launched or reinstalled from `image` logs in with: the caller's key pairs LoginSettings.KeyIds
 * names (refusing one it does not have), or with KeepImageLogin the keys the image carries.
 */
export async function loginKeys(store: Store, ctx: RequestContext, login: cvm.LoginSettingsIn | undefined, image: LaunchImage): Promise<LoginKeys> {
  if (keepsImageLogin(login)) return image.imageLogin;
  const keys = await findKeyPairs(store, ctx, login?.KeyIds ?? [], LOGIN_KEYS, documentedCode(ctx.action, ["InvalidParameterValue.KeyPairNotFound", "ResourceNotFound.KeyPairNotFound"]));
  return { keyIds: keys.map((k) => k.keyId), authorizedKeys: keys.map((k) => k.publicKey) };
}
