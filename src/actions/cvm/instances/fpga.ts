// ProgramFpgaImage: writes an FPGA image (a COS URL) to the FPGA cards of a running instance of an FPGA type, all
// its cards or those DBDFs names. Programming is online and at once; the instance keeps which image each card has.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { fail } from "../../../domain/errors.js";
import { applyNow, guard } from "../../../instances/operations.js";
import { namedInstances } from "./instance-operations.js";
import { invalid } from "../../shared/refusals.js";

/** The PCI address (domain:bus:device.function) of an instance's FPGA card `n`, from 0. */
const dbdf = (n: number): string => `0000:00:${(8 + n).toString(16).padStart(2, "0")}.0`;
/** An object of a COS bucket: https://<bucket>-<appid>.cos.<region>.myqcloud.com/<key>. */
const COS_URL = /^https:\/\/[a-z0-9-]+-\d+\.cos\.[a-z0-9-]+\.myqcloud\.com\/\S+$/;

export const programFpgaImage = action<cvm.ProgramFpgaImageRequest, cvm.ProgramFpgaImageResponse>("cvm", "ProgramFpgaImage", async (ctx, p, deps) => {
  const [r] = await namedInstances(ctx, deps.store, [p.InstanceId], "InstanceId");
  const cards = deps.catalog.instanceType(r.instanceType)?.fpga ?? 0;
  if (cards === 0) throw fail("UnsupportedOperation.NotFpgaInstance", `Instance ${r.instanceId} is ${r.instanceType}, which has no FPGA.`, `实例 ${r.instanceId} 的机型 ${r.instanceType} 没有 FPGA。`);
  guard(ctx.action, [r], ["RUNNING"]);
  if (!COS_URL.test(p.FPGAUrl)) throw invalid("InvalidParameterValue.IncorrectFormat", "FPGAUrl", p.FPGAUrl, "expected the COS URL of the image file", "应为 FPGA 镜像文件的 COS 地址");
  const all = Array.from({ length: cards }, (_, n) => dbdf(n));
  const chosen = p.DBDFs?.length ? p.DBDFs : all;
  if (chosen.length > cards) throw invalid("InvalidParameterValue.LimitExceeded", "DBDFs", chosen.length, `the instance has ${cards} FPGA cards`, `该实例只有 ${cards} 块 FPGA 卡`);
  const unknown = chosen.find((d) => !all.includes(d));
  if (unknown !== undefined) throw invalid("InvalidParameterValue.IncorrectFormat", "DBDFs", unknown, `the instance's FPGA cards are ${all.join(", ")}`, `该实例的 FPGA 卡为 ${all.join("、")}`);
  if (p.DryRun) return {};
  const images = { ...(r.doc.FpgaImages ?? {}), ...Object.fromEntries(chosen.map((d) => [d, p.FPGAUrl])) };
  await applyNow(deps.store, ctx, ctx.action, [r], { doc: { FpgaImages: images } });
  return {};
});
