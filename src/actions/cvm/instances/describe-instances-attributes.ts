// DescribeInstancesAttributes: reads attributes DescribeInstances does not show; the API knows one, UserData.
// Its documented codes are only InvalidInstanceId.NotFound and InvalidParameterValue.InstanceIdMalformed, so the
// id checks here use those (not checkIds' InvalidInstanceId.Malformed) and the common InvalidParameterValue. Empty
// lists never get here: the request validator answers MissingParameter for an empty required list.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { isIdOf } from "../../../domain/ids.js";
import { findInstances, MAX_IDS } from "./instance-operations.js";
import { invalid } from "../../shared/refusals.js";

export const INSTANCE_ATTRIBUTES = ["UserData"] as const;
type AttributeName = (typeof INSTANCE_ATTRIBUTES)[number];

export const describeInstancesAttributes = action<cvm.DescribeInstancesAttributesRequest, cvm.DescribeInstancesAttributesResponse>("cvm", "DescribeInstancesAttributes", async (ctx, p, deps) => {
  const unknown = p.Attributes.find((a) => !(INSTANCE_ATTRIBUTES as readonly string[]).includes(a));
  if (unknown !== undefined) throw invalid("InvalidParameterValue", "Attributes", unknown, `the attributes are ${INSTANCE_ATTRIBUTES.join(", ")}`, `可查询的属性为 ${INSTANCE_ATTRIBUTES.join("、")}`);
  const wanted = new Set(p.Attributes as AttributeName[]);

  const ids = p.InstanceIds;
  if (ids.length > MAX_IDS) throw invalid("InvalidParameterValue", "InstanceIds", `${ids.length} ids`, `at most ${MAX_IDS} ids per call`, `每次最多 ${MAX_IDS} 个 ID`);
  const bad = ids.find((id) => !isIdOf("ins", id));
  if (bad !== undefined) throw invalid("InvalidParameterValue.InstanceIdMalformed", "InstanceIds", bad, "expected an instance id such as ins-xxxxxxxx", "格式应为 ins-xxxxxxxx");
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw invalid("InvalidParameterValue", "InstanceIds", twice, "the instance id is given twice", "实例 ID 重复");

  const records = await findInstances(deps.store, ctx, ids);
  return {
    InstanceSet: records.map((r) => ({
      InstanceId: r.instanceId,
      // An instance without user data answers an empty string: the spec does not let UserData be null.
      Attributes: wanted.has("UserData") ? { UserData: r.doc.UserData ?? "" } : {},
    })),
  };
});
