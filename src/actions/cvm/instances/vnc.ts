// DescribeInstanceVncUrl: the real API returns InstanceVncUrl, a URL-encoded wss:// address of the instance's VNC
// console, valid for 15 seconds and for one use, which the user appends to
// https://img.qcloud.com/qcloud/app/active_vnc/index.html?InstanceVncUrl=... ; RUNNING instances only.
// With a backend that has screens (qemu), the address is this server's own websocket, which carries the machine's
// VNC to whoever shows it first within the lifetime (http/vnc-proxy.ts), and /vnc/index.html is the page to append
// it to. The simulated backend has no screen, so after the same checks the real API makes (id, ownership, operation
// in progress, state) the answer is a clear UnsupportedOperation naming the instance: never an address that would
// not connect.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { fail } from "../../../domain/errors.js";
import { guard } from "../../../instances/operations.js";
import { checkIds, findInstances } from "./instance-operations.js";

const ACTION = "DescribeInstanceVncUrl";

export const describeInstanceVncUrl = action<cvm.DescribeInstanceVncUrlRequest, cvm.DescribeInstanceVncUrlResponse>("cvm", ACTION, async (ctx, p, deps) => {
  checkIds(ACTION, [p.InstanceId], "InstanceId");
  const [record] = await findInstances(deps.store, ctx, [p.InstanceId]);
  guard(ACTION, [record], ["RUNNING"]);
  if (deps.consoles) return { InstanceVncUrl: encodeURIComponent(deps.consoles.address(ctx.account.appId, record.instanceId)) };
  throw fail(
    "UnsupportedOperation",
    `Instance ${record.instanceId} is RUNNING, but OpenCVM's simulated compute backend has no VNC console, so DescribeInstanceVncUrl has no address to give for it.`,
    `实例 ${record.instanceId} 运行中，但 OpenCVM 的模拟计算后端没有 VNC 管理终端，DescribeInstanceVncUrl 无法为其提供管理终端地址。`,
  );
}, { partial: "a console only with the qemu backend: the simulated one checks the instance, then answers UnsupportedOperation" });
