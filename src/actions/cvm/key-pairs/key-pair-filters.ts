// DescribeKeyPairs' Filters, checked and turned into store conditions: filters AND together, the values of one
// filter OR. key-name matches whole names (the docs do not say it matches parts, and names are short and unique).
import type * as cvm from "../../../api/generated/cvm-types.js";
import { fail } from "../../../domain/errors.js";
import type { KeyPairCondition } from "../../../store/store.js";

const MAX_FILTERS = 10;
const MAX_VALUES = 5;
export const KEY_PAIR_FILTERS = ["project-id", "key-name", "tag-key", "tag-value", "tag:<key>"];

export function keyPairConditions(filters: readonly cvm.FilterIn[]): KeyPairCondition[] {
  if (filters.length > MAX_FILTERS) {
    throw fail("InvalidFilterValue.LimitExceeded", `At most ${MAX_FILTERS} filters, not ${filters.length}.`, `过滤条件最多 ${MAX_FILTERS} 个，当前 ${filters.length} 个。`);
  }
  return filters.map(({ Name: name, Values: values }, i) => {
    if (values.length > MAX_VALUES) {
      throw fail("InvalidFilterValue.LimitExceeded", `Filter \`${name}\` (Filters.${i}) takes at most ${MAX_VALUES} values.`, `过滤条件 \`${name}\`（Filters.${i}）最多 ${MAX_VALUES} 个取值。`);
    }
    switch (name) {
      case "project-id": {
        const bad = values.find((v) => !/^\d+$/.test(v));
        if (bad !== undefined) throw fail("InvalidParameterValue", `Filter \`project-id\` value \`${bad}\` must be an integer.`, `过滤条件 \`project-id\` 的取值 \`${bad}\` 应为整数。`);
        return { kind: "project", values: values.map(Number) };
      }
      case "key-name":
        return { kind: "name", values };
      case "tag-key":
        return { kind: "tag-key", values };
      case "tag-value":
        return { kind: "tag-value", values };
    }
    if (name.startsWith("tag:") && name.length > 4) return { kind: "tag", key: name.slice(4), values };
    throw fail("InvalidFilter", `Unknown filter \`${name}\`; DescribeKeyPairs filters on ${KEY_PAIR_FILTERS.join(", ")}.`, `不支持过滤条件 \`${name}\`；可用的有 ${KEY_PAIR_FILTERS.join("、")}。`);
  });
}
