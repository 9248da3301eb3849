// SSH key pairs: CreateKeyPair, ImportKeyPair, DescribeKeyPairs, DeleteKeyPairs and ModifyKeyPairAttribute. Key
// pairs are regional; only public halves are stored. A generated private key is returned once and then forgotten.
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf, randomId } from "../../../domain/ids.js";
import { generateRsaKeyPair } from "../../../domain/rsa-key-pair.js";
import { parsePublicKey, PublicKeyError, type SshPublicKey } from "../../../domain/ssh-public-key.js";
import type { KeyPairCondition, KeyPairRecord, NewKeyPair, Store } from "../../../store/store.js";
import { paging } from "../instances/describe-instances.js";
import { keyPairConditions } from "./key-pair-filters.js";
import { checkDescription, checkKeyIds, checkKeyName, checkProject, findKeyPairs } from "./key-pair-inputs.js";
import { checkTags } from "../../shared/tag-inputs.js";
import { invalid } from "../../shared/refusals.js";

/** Operations whose payload's `keyIds` become an instance's keys when they complete. */
const BINDING_OPERATIONS = ["ResetInstance", "AssociateInstancesKeyPairs", "DisassociateInstancesKeyPairs"];

export function keyPairView(k: KeyPairRecord): cvm.KeyPair {
  return {
    KeyId: k.keyId,
    KeyName: k.keyName,
    ProjectId: k.projectId,
    Description: k.description,
    PublicKey: k.publicKey,
    AssociatedInstanceIds: k.instanceIds,
    CreatedTime: k.createdAt,
    Tags: k.tags.map((t) => ({ Key: t.key, Value: t.value })),
  };
}

/** Refuses a key pair the account cannot add: over the quota, a name it has, or (imports) a public key it has. */
async function admit(store: Store, ctx: RequestContext, deps: Deps, name: string, fingerprint?: string): Promise<void> {
  const { appId } = ctx.account;
  const region = ctx.region!;
  const quota = deps.config.keyPairQuota;
  if ((await store.keyPairs.count(appId, region)) >= quota) {
    throw fail("InvalidKeyPair.LimitExceeded", `The account already has ${quota} key pairs in ${region}, its quota.`, `该账号在 ${region} 的密钥对已达配额 ${quota} 个。`);
  }
  const named = await store.keyPairs.byName(appId, region, name);
  if (named) throw invalid("InvalidKeyPairName.Duplicate", "KeyName", name, `key pair ${named} has this name`, `密钥对 ${named} 已使用该名称`);
  const same = fingerprint && (await store.keyPairs.byFingerprint(appId, region, fingerprint));
  if (same) throw invalid("InvalidPublicKey.Duplicate", "PublicKey", fingerprint, `key pair ${same} has this public key`, `密钥对 ${same} 已使用该公钥`);
}

/** Checks again and inserts in one transaction, so that two concurrent requests cannot both pass. */
async function add(ctx: RequestContext, deps: Deps, record: NewKeyPair, fingerprint?: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await admit(tx, ctx, deps, record.keyName, fingerprint);
    await tx.keyPairs.insert(record);
  }, ctx.account.appId);
}

export const createKeyPair = action<cvm.CreateKeyPairRequest, cvm.CreateKeyPairResponse>("cvm", "CreateKeyPair", async (ctx, p, deps) => {
  const keyName = checkKeyName(ctx.action, p.KeyName);
  const projectId = checkProject(ctx.action, p.ProjectId);
  const tags = checkTags(ctx.action, p.TagSpecification, "keypair", "refuse");
  // Refused before generating: a key takes tens of milliseconds to make.
  await admit(deps.store, ctx, deps, keyName);
  const keyId = randomId("skey");
  const pair = await generateRsaKeyPair(keyId);
  const record = { keyId, appId: ctx.account.appId, region: ctx.region!, keyName, projectId, description: "", publicKey: pair.publicKey, fingerprint: pair.fingerprint, createdAt: isoSeconds(ctx.now), tags };
  await add(ctx, deps, record);
  return { KeyPair: { ...keyPairView({ ...record, instanceIds: [], imageIds: [] }), PrivateKey: pair.privateKey } };
});

export const importKeyPair = action<cvm.ImportKeyPairRequest, cvm.ImportKeyPairResponse>("cvm", "ImportKeyPair", async (ctx, p, deps) => {
  const keyName = checkKeyName(ctx.action, p.KeyName);
  const projectId = checkProject(ctx.action, p.ProjectId);
  let key: SshPublicKey;
  try {
    key = parsePublicKey(p.PublicKey);
  } catch (e) {
    if (!(e instanceof PublicKeyError)) throw e;
    throw fail("InvalidPublicKey.Malformed", `\`PublicKey\` is not an OpenSSH public key: ${e.en}.`, `\`PublicKey\` 不是合法的 OpenSSH 公钥：${e.zh}。`);
  }
  const tags = checkTags(ctx.action, p.TagSpecification, "keypair", "refuse");
  const keyId = randomId("skey");
  await add(ctx, deps, { keyId, appId: ctx.account.appId, region: ctx.region!, keyName, projectId, description: "", publicKey: key.line, fingerprint: key.fingerprint, createdAt: isoSeconds(ctx.now), tags }, key.fingerprint);
  return { KeyId: keyId };
});

export const describeKeyPairs = action<cvm.DescribeKeyPairsRequest, cvm.DescribeKeyPairsResponse>("cvm", "DescribeKeyPairs", async (ctx, p, deps) => {
  if (p.KeyIds?.length && p.Filters?.length) throw fail("InvalidParameter", "KeyIds and Filters cannot be given together.", "KeyIds 与 Filters 不能同时指定。");
  const { offset, limit } = paging(p);
  let conditions: KeyPairCondition[] = [];
  if (p.KeyIds?.length) {
    checkKeyIds(p.KeyIds, "KeyIds");
    conditions = [{ kind: "key-id", values: p.KeyIds }];
  } else if (p.Filters?.length) {
    conditions = keyPairConditions(p.Filters);
  }
  const { total, records } = await deps.store.keyPairs.list(ctx.account.appId, ctx.region!, conditions, offset, limit);
  return { TotalCount: total, KeyPairSet: records.map(keyPairView) };
});

export const deleteKeyPairs = action<cvm.DeleteKeyPairsRequest, cvm.DeleteKeyPairsResponse>("cvm", "DeleteKeyPairs", async (ctx, p, deps) => {
  checkKeyIds(p.KeyIds, "KeyIds");
  // All or nothing: a key bound to an instance, being bound to one, or carried by a custom image refuses the whole
  // call ("不能删除已被实例或镜像引用的密钥对"), with the one code the action documents for a key it cannot delete.
  await deps.store.transaction(async (tx) => {
    const keys = await findKeyPairs(tx, ctx, p.KeyIds, "KeyIds");
    const bound = keys.find((k) => k.instanceIds.length > 0);
    if (bound) {
      throw invalid("InvalidParameterValue.KeyPairNotSupported", "KeyIds", bound.keyId, `the key pair is bound to ${bound.instanceIds.join(", ")}; disassociate it first`, `该密钥对已绑定实例 ${bound.instanceIds.join("、")}，请先解绑`);
    }
    const carried = keys.find((k) => k.imageIds.length > 0);
    if (carried) {
      throw invalid("InvalidParameterValue.KeyPairNotSupported", "KeyIds", carried.keyId, `custom image ${carried.imageIds.join(", ")} carries the key pair (it was captured from an instance bound to it); delete the image first`, `自定义镜像 ${carried.imageIds.join("、")} 引用了该密钥对（制作自绑定该密钥对的实例），请先删除镜像`);
    }
    const binding = (await tx.operations.pending(BINDING_OPERATIONS)).find((o) => (o.payload.keyIds as string[] | undefined)?.some((id) => p.KeyIds.includes(id)));
    if (binding) {
      const id = (binding.payload.keyIds as string[]).find((k) => p.KeyIds.includes(k));
      throw invalid("InvalidParameterValue.KeyPairNotSupported", "KeyIds", id, `${binding.kind} is binding the key pair to ${binding.instanceId}; try again when it has finished`, `${binding.kind} 正在为实例 ${binding.instanceId} 绑定该密钥对，请在其完成后重试`);
    }
    await tx.keyPairs.remove(p.KeyIds);
  }, ctx.account.appId);
  return {};
});

export const modifyKeyPairAttribute = action<cvm.ModifyKeyPairAttributeRequest, cvm.ModifyKeyPairAttributeResponse>("cvm", "ModifyKeyPairAttribute", async (ctx, p, deps) => {
  if (!isIdOf("skey", p.KeyId)) throw invalid("InvalidKeyPairId.Malformed", "KeyId", p.KeyId, "expected skey-xxxxxxxx", "格式应为 skey-xxxxxxxx");
  if (p.KeyName === undefined && p.Description === undefined) {
    throw fail("MissingParameter", "Give `KeyName`, `Description` or both.", "需指定 `KeyName`、`Description` 或两者。");
  }
  const keyName = p.KeyName === undefined ? undefined : checkKeyName(ctx.action, p.KeyName);
  const description = p.Description === undefined ? undefined : checkDescription(p.Description);
  await deps.store.transaction(async (tx) => {
    await findKeyPairs(tx, ctx, [p.KeyId], "KeyId");
    const named = keyName === undefined ? undefined : await tx.keyPairs.byName(ctx.account.appId, ctx.region!, keyName);
    if (named && named !== p.KeyId) throw invalid("InvalidKeyPairName.Duplicate", "KeyName", keyName, `key pair ${named} has this name`, `密钥对 ${named} 已使用该名称`);
    await tx.keyPairs.update(p.KeyId, { keyName, description });
  }, ctx.account.appId);
  return {};
});
