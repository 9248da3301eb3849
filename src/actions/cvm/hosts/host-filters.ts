// DescribeHosts' Filters, checked and applied to the caller's hosts in the region (an account has few hosts, so they
// are filtered as read rather than in SQL): filters AND together, the values of one filter OR.
import type { RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import type { Catalog } from "../../../domain/catalog.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import type { HostRecord } from "../../../store/store.js";
import { invalid } from "../../shared/refusals.js";

const MAX_FILTERS = 10;
const MAX_VALUES = 5;
const HOST_FILTERS = ["zone", "project-id", "host-id", "host-name", "host-state", "host-type", "tag-key", "tag-value", "tag:<key>"];

type Test = (h: HostRecord) => boolean;

export function hostFilter(ctx: RequestContext, catalog: Catalog, filters: readonly cvm.FilterIn[]): Test {
  if (filters.length > MAX_FILTERS) {
    throw fail("InvalidFilterValue.LimitExceeded", `At most ${MAX_FILTERS} filters, not ${filters.length}.`, `过滤条件最多 ${MAX_FILTERS} 个，当前 ${filters.length} 个。`);
  }
  const tests = filters.map(({ Name: name, Values: values }, i): Test => {
    if (values.length > MAX_VALUES) {
      throw fail("InvalidFilterValue.LimitExceeded", `Filter \`${name}\` (Filters.${i}) takes at most ${MAX_VALUES} values.`, `过滤条件 \`${name}\`（Filters.${i}）最多 ${MAX_VALUES} 个取值。`);
    }
    const field = `Filters.${i}.Values`;
    switch (name) {
      case "zone": {
        const foreign = values.find((z) => !catalog.zone(ctx.region!, z));
        if (foreign !== undefined) throw invalid("InvalidZone.MismatchRegion", field, foreign, `it is not a zone of ${ctx.region}`, `不是 ${ctx.region} 的可用区`);
        return (h) => values.includes(h.zone);
      }
      case "project-id": {
        const bad = values.find((v) => !/^\d+$/.test(v));
        if (bad !== undefined) throw invalid("InvalidParameterValue", field, bad, "a project id is an integer", "项目 ID 应为整数");
        return (h) => values.map(Number).includes(h.projectId);
      }
      case "host-id": {
        const bad = values.find((v) => !isIdOf("host", v));
        if (bad !== undefined) throw invalid("InvalidHostId.Malformed", field, bad, "expected host-xxxxxxxx", "格式应为 host-xxxxxxxx");
        return (h) => values.includes(h.hostId);
      }
      case "host-name":
        return (h) => values.includes(h.hostName);
      case "host-state":
        return (h) => values.includes(h.state);
      case "host-type":
        return (h) => values.includes(h.hostType);
      case "tag-key":
        return (h) => h.tags.some((t) => values.includes(t.key));
      case "tag-value":
        return (h) => h.tags.some((t) => values.includes(t.value));
    }
    if (name.startsWith("tag:") && name.length > 4) {
      const key = name.slice(4);
      return (h) => h.tags.some((t) => t.key === key && values.includes(t.value));
    }
    throw fail("InvalidFilter", `Unknown filter \`${name}\`; DescribeHosts filters on ${HOST_FILTERS.join(", ")}.`, `不支持过滤条件 \`${name}\`；可用的有 ${HOST_FILTERS.join("、")}。`);
  });
  return (h) => tests.every((t) => t(h));
}
