// DescribeInstances' Filters, checked and turned into store conditions. Filters AND together; the values of one
// filter OR. A filter on something no instance here can have (a CDH host, a CDC cluster, IPv6) matches nothing.
import type { RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import type { Catalog } from "../../../domain/catalog.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import { isIpv4 } from "../../../domain/ipv4.js";
import type { InstanceColumn, InstanceCondition } from "../../../store/store.js";

const MAX_FILTERS = 10;
const MAX_VALUES = 5;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

type Check = (value: string, name: string) => void;

const malformed = (code: string, shape: string): Check => (value, name) => {
  if (!(shape === "uuid" ? UUID.test(value) : shape === "ip" ? isIpv4(value) : isIdOf(shape, value))) {
    throw fail(code, `Filter \`${name}\` value \`${value}\` is malformed.`, `过滤条件 \`${name}\` 的取值 \`${value}\` 格式错误。`);
  }
};

/** Filters that are a plain match on one column, with the check their values must pass. */
const COLUMN_FILTERS: Record<string, { column: InstanceColumn; check?: Check; integer?: boolean }> = {
  "project-id": { column: "project_id", integer: true },
  "vpc-id": { column: "vpc_id", check: malformed("InvalidParameterValue.VpcIdMalformed", "vpc") },
  "subnet-id": { column: "subnet_id", check: malformed("InvalidParameterValue.SubnetIdMalformed", "subnet") },
  "instance-id": { column: "instance_id", check: malformed("InvalidInstanceId.Malformed", "ins") },
  uuid: { column: "uuid", check: malformed("InvalidParameterValue.UuidMalformed", "uuid") },
  "instance-charge-type": { column: "instance_charge_type" },
  "instance-state": { column: "state" },
  "private-ip-address": { column: "private_ip", check: malformed("InvalidParameterValue.IPAddressMalformed", "ip") },
  "public-ip-address": { column: "public_ip", check: malformed("InvalidParameterValue.IPAddressMalformed", "ip") },
  "instance-type": { column: "instance_type" },
  "instance-family": { column: "instance_family" },
  "image-id": { column: "image_id" },
};

/** Filters no instance can match here, with the check their values must still pass. */
const NOTHING_MATCHES: Record<string, Check | undefined> = {
  "host-id": malformed("InvalidHostId.Malformed", "host"),
  "dedicated-cluster-id": undefined,
  "ipv6-address": undefined,
};

export const FILTER_NAMES = ["zone", "instance-name", "security-group-id", "tag-key", "tag-value", "tag:<key>", "creation-start-time", "creation-end-time", ...Object.keys(COLUMN_FILTERS), ...Object.keys(NOTHING_MATCHES)];

export function instanceConditions(filters: readonly cvm.FilterIn[], ctx: RequestContext, catalog: Catalog): InstanceCondition[] {
  if (filters.length > MAX_FILTERS) {
    throw fail("InvalidFilterValue.LimitExceeded", `At most ${MAX_FILTERS} filters, not ${filters.length}.`, `过滤条件最多 ${MAX_FILTERS} 个，当前 ${filters.length} 个。`);
  }
  return filters.map((f, i) => {
    const { Name: name, Values: values } = f;
    if (values.length > MAX_VALUES) {
      throw fail("InvalidFilterValue.LimitExceeded", `Filter \`${name}\` (Filters.${i}) takes at most ${MAX_VALUES} values.`, `过滤条件 \`${name}\`（Filters.${i}）最多 ${MAX_VALUES} 个取值。`);
    }
    return condition(name, values, ctx, catalog);
  });
}

function condition(name: string, values: string[], ctx: RequestContext, catalog: Catalog): InstanceCondition {
  // Own keys only: a lookup table answers "constructor" or "__proto__" from its prototype.
  const column = Object.hasOwn(COLUMN_FILTERS, name) ? COLUMN_FILTERS[name] : undefined;
  if (column) {
    for (const v of values) column.check?.(v, name);
    if (column.integer) {
      const bad = values.find((v) => !/^\d+$/.test(v));
      if (bad !== undefined) throw fail("InvalidParameterValue", `Filter \`${name}\` value \`${bad}\` must be an integer.`, `过滤条件 \`${name}\` 的取值 \`${bad}\` 应为整数。`);
      return { kind: "column", column: column.column, values: values.map(Number) };
    }
    return { kind: "column", column: column.column, values };
  }
  if (Object.hasOwn(NOTHING_MATCHES, name)) {
    for (const v of values) NOTHING_MATCHES[name]?.(v, name);
    return { kind: "none" };
  }
  switch (name) {
    case "zone": {
      const bad = values.find((z) => !catalog.zone(ctx.region!, z));
      if (bad !== undefined) throw fail("InvalidZone.MismatchRegion", `Zone \`${bad}\` is not a zone of ${ctx.region}.`, `可用区 \`${bad}\` 不属于 ${ctx.region}。`);
      return { kind: "column", column: "zone", values };
    }
    case "instance-name":
      return { kind: "name-contains", values };
    case "security-group-id":
      for (const v of values) malformed("InvalidSgId.Malformed", "sg")(v, name);
      return { kind: "security-group", values };
    case "tag-key":
      return { kind: "tag-key", values };
    case "tag-value":
      return { kind: "tag-value", values };
    case "creation-start-time":
    case "creation-end-time": {
      if (values.length !== 1 || !TIME.test(values[0])) {
        throw fail("InvalidParameterValue.InvalidTimeFormat", `Filter \`${name}\` takes one time as YYYY-MM-DD hh:mm:ss.`, `过滤条件 \`${name}\` 需要一个 YYYY-MM-DD hh:mm:ss 格式的时间。`);
      }
      const iso = `${values[0].replace(" ", "T")}Z`;
      return name === "creation-start-time" ? { kind: "created", after: iso } : { kind: "created", before: iso };
    }
  }
  if (name.startsWith("tag:") && name.length > 4) return { kind: "tag", key: name.slice(4), values };
  throw fail("InvalidFilter", `Unknown filter \`${name}\`; DescribeInstances filters on ${FILTER_NAMES.join(", ")}.`, `不支持过滤条件 \`${name}\`；可用的有 ${FILTER_NAMES.join("、")}。`);
}
