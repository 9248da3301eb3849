// Buckets for ExportImages. OpenCVM has no object storage: a bucket is a directory the operator makes in the buckets
// directory (OPENCVM_BUCKETS), shared by every account of the server, and a file's COS path is its path inside it.
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { invalid } from "../../shared/refusals.js";

/** One directory name (COS names are narrower): no separator, no `.` or `..`, nothing that leaves the buckets directory. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** The absolute directory of the bucket `name`, which exists and can be written to, or the documented refusal. */
export async function bucketDir(root: string | undefined, name: string, field: string): Promise<string> {
  const missing = (en: string, zh: string) => invalid("InvalidParameterValue.BucketNotFound", field, name, en, zh);
  if (!root) throw missing("this server has no buckets (its operator sets OPENCVM_BUCKETS)", "本服务没有存储桶（由运维设置 OPENCVM_BUCKETS）");
  if (!NAME.test(name)) throw missing("a bucket name is letters, digits, dots, dashes and underscores, starting with a letter or digit", "存储桶名称由字母、数字、点、连字符和下划线组成，以字母或数字开头");
  const dir = resolve(root, name);
  const found = await stat(dir).catch(() => undefined);
  if (!found?.isDirectory()) throw missing("no such bucket", "存储桶不存在");
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw invalid("InvalidParameterValue.InvalidBucketPermissionForExport", field, name, "the bucket cannot be written to", "存储桶不可写入");
  }
  return dir;
}
