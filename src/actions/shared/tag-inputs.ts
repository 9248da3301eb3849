// TagSpecification as the creating actions take it: the tags for one resource type, each refused with the code the
// action documents for that fault, or a generic code where it documents none (CreateKeyPair and ImportKeyPair
// document fewer tag codes than RunInstances).
import type * as cvm from "../../api/generated/cvm-types.js";
import { documentedCode, invalid } from "./refusals.js";

/** Tags per resource (the real cloud's figure). */
export const MAX_TAGS = 50;

/**
 * The tags `specs` give for `resourceType`. Specifications for other resource types are skipped when the action
 * creates several kinds of resource (RunInstances), refused when it creates one kind only.
 */
export function checkTags(
  action: string,
  specs: readonly cvm.TagSpecificationIn[] | undefined,
  resourceType: string,
  others: "skip" | "refuse",
): { key: string; value: string }[] {
  const tags: { key: string; value: string }[] = [];
  for (const [i, spec] of (specs ?? []).entries()) {
    if (spec.ResourceType !== resourceType) {
      if (others === "skip") continue;
      throw invalid("InvalidParameterValue", `TagSpecification.${i}.ResourceType`, spec.ResourceType, `${action} tags a ${resourceType} only`, `${action} 只能为 ${resourceType} 类型的资源打标签`);
    }
    for (const [j, t] of spec.Tags.entries()) {
      const field = `TagSpecification.${i}.Tags.${j}`;
      if (t.Key.startsWith("qcloud:") || t.Key.startsWith("tencent:")) {
        throw invalid(documentedCode(action, ["FailedOperation.TagKeyReserved", "InvalidParameterValue"]), `${field}.Key`, t.Key, "keys starting with qcloud: or tencent: are reserved", "qcloud: 与 tencent: 开头的键为系统保留");
      }
      if (t.Key.length < 1 || t.Key.length > 127) throw invalid(documentedCode(action, ["FailedOperation.IllegalTagKey", "InvalidParameterValue"]), `${field}.Key`, t.Key, "a key has 1-127 characters", "标签键长度为 1-127");
      if (t.Value.length > 255) throw invalid(documentedCode(action, ["FailedOperation.IllegalTagValue", "InvalidParameterValue"]), `${field}.Value`, t.Value, "a value has at most 255 characters", "标签值长度不超过 255");
      if (tags.some((x) => x.key === t.Key)) throw invalid(documentedCode(action, ["InvalidParameterValue.DuplicateTags", "InvalidParameterValue"]), `${field}.Key`, t.Key, "the key is given twice", "标签键重复");
      tags.push({ key: t.Key, value: t.Value });
    }
  }
  if (tags.length > MAX_TAGS) {
    throw invalid(documentedCode(action, ["InvalidParameterValue.TagQuotaLimitExceeded", "LimitExceeded.TagResourceQuota", "LimitExceeded"]), "TagSpecification", tags.length, `at most ${MAX_TAGS} tags per resource`, `每个资源最多 ${MAX_TAGS} 个标签`);
  }
  return tags;
}
