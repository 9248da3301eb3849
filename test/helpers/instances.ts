// Launching and watching instances (and the images made of them) through the official SDK.
import type { Client } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_client.js";
import type { Instance, RunInstancesRequest } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_models.js";

export const UBUNTU = "img-487zeit5";
export const ZONE = "ap-guangzhou-3";

export function launch(cvm: Client, extra: Partial<RunInstancesRequest> = {}) {
  return cvm.RunInstances({ Placement: { Zone: ZONE }, ImageId: UBUNTU, InstanceType: "S5.MEDIUM4", ...extra });
}

export async function describe(cvm: Client, ids: string[]): Promise<Instance[]> {
  const out = await cvm.DescribeInstances({ InstanceIds: ids, Limit: 100 });
  return out.InstanceSet ?? [];
}

/** Polls until every instance is in `state` with its latest operation settled, or fails after `ms`. */
export async function waitFor(cvm: Client, ids: string[], state: string, ms = 10000): Promise<Instance[]> {
  const until = Date.now() + ms;
  for (;;) {
    const set = await describe(cvm, ids);
    if (set.length === ids.length && set.every((i) => i.InstanceState === state && i.LatestOperationState !== "OPERATING")) return set;
    if (Date.now() > until) throw new Error(`instances did not reach ${state}: ${JSON.stringify(set.map((i) => [i.InstanceId, i.InstanceState, i.LatestOperationState]))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function waitGone(cvm: Client, ids: string[], ms = 10000): Promise<void> {
  const until = Date.now() + ms;
  while ((await describe(cvm, ids)).length > 0) {
    if (Date.now() > until) throw new Error("instances were not terminated");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Polls until the image shows `state`, and answers it, or fails after `ms` (5 s). */
export async function imageIn(cvm: Client, id: string, state: string, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    const [i] = (await cvm.DescribeImages({ ImageIds: [id] })).ImageSet!;
    if (i?.ImageState === state) return i;
    if (Date.now() > until) throw new Error(`image ${id} did not reach ${state}: ${i?.ImageState}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
