// Compares the generated specification with the newest official SDK's model declarations: the tccli data the spec
// is made from can lag the SDK release the project tests with, so an object the SDK declares with more members than
// the spec lists shows members OpenCVM would not answer. `npm run gen` reports them; a test names each one left.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { MemberSpec, ServiceSpec } from "../src/api/spec-types.js";

const require = createRequire(import.meta.url);

/** The SDK model declarations of a service, where its official Node package is installed (cvm is). */
export function sdkModelFile(service: string, version: string): string | undefined {
  try {
    const pkg = dirname(require.resolve(`tencentcloud-sdk-nodejs-${service}/package.json`));
    const file = join(pkg, "tencentcloud", "services", service, `v${version.replaceAll("-", "")}`, `${service}_models.d.ts`);
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

export interface SdkMember {
  name: string;
  /** The TypeScript type the SDK declares (`string`, `boolean`, `number`, `Foo`, `Array<Foo>`, ...). */
  type: string;
}

/** Each interface of a models file with its members. */
export function sdkModels(dts: string): Map<string, SdkMember[]> {
  const out = new Map<string, SdkMember[]>();
  for (const m of dts.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
    out.set(m[1], [...m[2].matchAll(/^ {4}(\w+)\??: ([^;]+);/gm)].map((x) => ({ name: x[1], type: x[2].trim() })));
  }
  return out;
}

/** The models of a service's installed SDK, or none. */
export function installedModels(service: string, version: string): Map<string, SdkMember[]> | undefined {
  const file = sdkModelFile(service, version);
  return file ? sdkModels(readFileSync(file, "utf8")) : undefined;
}

/** The objects an action can answer with: every output object and what its members reach. */
export function outputObjects(spec: ServiceSpec): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !spec.objects[name]) return;
    seen.add(name);
    for (const m of spec.objects[name]) visit(m.member);
  };
  for (const a of Object.values(spec.actions)) visit(a.output);
  return seen;
}

/** Each member an answerable object has in the SDK's models and not in the spec. */
export function membersSpecLacks(spec: ServiceSpec, models: Map<string, SdkMember[]>): { object: string; member: SdkMember }[] {
  const out: { object: string; member: SdkMember }[] = [];
  for (const name of [...outputObjects(spec)].sort()) {
    const known = new Set(spec.objects[name].map((m) => m.name));
    for (const member of models.get(name) ?? []) if (!known.has(member.name) && member.name !== "RequestId") out.push({ object: name, member });
  }
  return out;
}

/** The spec's member for an SDK-declared one, where its type says which (a primitive, an object, a list of one). */
export function specMember(spec: ServiceSpec, m: SdkMember): MemberSpec | undefined {
  const PRIMITIVES: Record<string, Pick<MemberSpec, "type" | "member">> = {
    string: { type: "string", member: "string" },
    boolean: { type: "bool", member: "bool" },
    number: { type: "int", member: "int64" },
  };
  const list = /^Array<(\w+)>$/.exec(m.type)?.[1];
  if (list) {
    const element = PRIMITIVES[list]?.member ?? (spec.objects[list] ? list : undefined);
    return element ? { name: m.name, type: "list", member: element } : undefined;
  }
  if (PRIMITIVES[m.type]) return { name: m.name, ...PRIMITIVES[m.type] };
  return spec.objects[m.type] ? { name: m.name, type: "object", member: m.type } : undefined;
}
