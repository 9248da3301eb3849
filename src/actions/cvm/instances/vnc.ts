// DescribeInstanceVncUrl: the real API returns InstanceVncUrl, a URL-encoded wss:// address of the instance's VNC
// console, valid for 15 seconds and for one use, which the user appends to
// https://img.qcloud.com/qcloud/app/active_vnc/index.html?InstanceVncUrl=... ; RUNNING instances only.
// Here the address is this server's own websocket, which carries the machine's screen to whoever shows it first
// within the lifetime (http/vnc-proxy.ts): QEMU's VNC with the qemu backend, and with the simulated one a still
// screen the server draws itself, saying that no guest runs (compute/simulated-screen.ts). /vnc/index.html is the
// page to append it to.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { guard } from "../../../instances/operations.js";
import { checkIds, findInstances } from "./instance-operations.js";

const ACTION = "DescribeInstanceVncUrl";

export const describeInstanceVncUrl = action<cvm.DescribeInstanceVncUrlRequest, cvm.DescribeInstanceVncUrlResponse>("cvm", ACTION, async (ctx, p, deps) => {
  checkIds(ACTION, [p.InstanceId], "InstanceId");
  const [record] = await findInstances(deps.store, ctx, [p.InstanceId]);
  guard(ACTION, [record], ["RUNNING"]);
  if (!deps.consoles) throw new Error("DescribeInstanceVncUrl needs the server's console proxy");
  return { InstanceVncUrl: encodeURIComponent(deps.consoles.address(ctx.account.appId, record.instanceId)) };
});
