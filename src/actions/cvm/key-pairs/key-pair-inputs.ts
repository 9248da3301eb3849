// Checks of key pair request members (limits.md §5): names, descriptions, project ids and key id lists, each refused
// with the code the action documents for the fault, or InvalidParameterValue where it documents none
// (ModifyKeyPairAttribute documents no name-format codes), and the lookup that turns ids into the caller's keys.
import type { RequestContext } from "../../../api/action.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import type { KeyPairRecord, Store } from "../../../store/store.js";
import { documentedCode, invalid } from "../../shared/refusals.js";

export const KEY_NAME_MAX = 25;
export const DESCRIPTION_MAX = 60;
/** Key ids per call (limits.md §2). */
export const MAX_KEY_IDS = 100;


/** 1-25 letters, digits and underscores. */
export function checkKeyName(action: string, name: string, field = "KeyName"): string {
  if (name === "") throw invalid(documentedCode(action, ["InvalidKeyPairNameEmpty"]), field, name, "a key pair name must not be empty", "密钥对名称不能为空");
  if (name.length > KEY_NAME_MAX) {
    throw invalid(documentedCode(action, ["InvalidKeyPairNameTooLong"]), field, name, `a key pair name has at most ${KEY_NAME_MAX} characters, not ${name.length}`, `密钥对名称最多 ${KEY_NAME_MAX} 个字符，当前为 ${name.length} 个`);
  }
  if (!/^[A-Za-z0-9_]+$/.test(name)) {
    throw invalid(documentedCode(action, ["InvalidKeyPairNameIncludeIllegalChar"]), field, name, "a key pair name holds only letters, digits and underscores", "密钥对名称只能包含字母、数字和下划线");
  }
  return name;
}

export function checkDescription(description: string, field = "Description"): string {
  if ([...description].length > DESCRIPTION_MAX) {
    throw invalid("InvalidParameterValue", field, description, `a description has at most ${DESCRIPTION_MAX} characters`, `描述最多 ${DESCRIPTION_MAX} 个字符`);
  }
  return description;
}

/** OpenCVM keeps no list of projects: any non-negative id is a project (0 is the default one). */
export function checkProject(action: string, projectId: number): number {
  if (projectId < 0) throw invalid(documentedCode(action, ["InvalidProjectId.NotFound"]), "ProjectId", projectId, "a project id is 0 (the default project) or greater", "项目 ID 应为 0（默认项目）或更大的整数");
  return projectId;
}

/** At most 100 well-formed, distinct key pair ids. */
export function checkKeyIds(ids: readonly string[], field: string): void {
  if (ids.length > MAX_KEY_IDS) {
    throw fail("InvalidParameterValue.LimitExceeded", `\`${field}\` takes at most ${MAX_KEY_IDS} key pair ids, not ${ids.length}.`, `\`${field}\` 最多 ${MAX_KEY_IDS} 个密钥对 ID，当前 ${ids.length} 个。`);
  }
  const bad = ids.find((id) => !isIdOf("skey", id));
  if (bad !== undefined) throw invalid("InvalidKeyPairId.Malformed", field, bad, "expected skey-xxxxxxxx", "格式应为 skey-xxxxxxxx");
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw invalid("InvalidParameterValue", field, twice, "the key pair id is given twice", "密钥对 ID 重复");
}

/** The caller's key pairs with these ids in the request's region, in the order given; `notFound` names any missing. */
export async function findKeyPairs(store: Store, ctx: RequestContext, ids: readonly string[], field: string, notFound = "InvalidKeyPairId.NotFound"): Promise<KeyPairRecord[]> {
  const found = new Map((await store.keyPairs.find(ctx.account.appId, ctx.region!, ids)).map((k) => [k.keyId, k]));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw invalid(notFound, field, missing, `no such key pair in ${ctx.region}`, `${ctx.region} 不存在该密钥对`);
  return ids.map((id) => found.get(id)!);
}
