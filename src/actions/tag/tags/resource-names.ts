// Six-segment resource names, as the tag service takes and gives them: `qcs::<service>:<region>:uin/<uin>:<prefix>/<id>`.
// The uin may be left empty (the Terraform provider does); one that is not the caller's names another account's
// resource, which the caller can neither see nor tag.
import type { TaggedKind } from "../../../store/store.js";

/** The kind behind each (service, resource prefix) the tag service serves; the first service is the canonical one. */
const PREFIXES: readonly { kind: TaggedKind; prefix: string; services: readonly string[] }[] = [
  { kind: "instance", prefix: "instance", services: ["cvm"] },
  { kind: "keypair", prefix: "keypair", services: ["cvm"] },
  { kind: "image", prefix: "image", services: ["cvm"] },
  { kind: "sg", prefix: "sg", services: ["cvm", "vpc"] },
  { kind: "vpc", prefix: "vpc", services: ["vpc"] },
  { kind: "subnet", prefix: "subnet", services: ["vpc"] },
  { kind: "eip", prefix: "eip", services: ["vpc", "cvm"] },
  { kind: "eip", prefix: "address", services: ["vpc", "cvm"] },
  // Cloud disks and snapshots are named under cvm, as the Terraform provider names them.
  { kind: "volume", prefix: "volume", services: ["cvm", "cbs"] },
  { kind: "snapshot", prefix: "snapshot", services: ["cvm", "cbs"] },
  // The rest as TagSpecification's ResourceType names them.
  { kind: "host", prefix: "host", services: ["cvm"] },
  { kind: "hpc", prefix: "hpc", services: ["cvm"] },
  { kind: "launch-template", prefix: "launch-template", services: ["cvm"] },
  { kind: "ps", prefix: "ps", services: ["cvm"] },
];

/** The kind a service and prefix name, or undefined for one OpenCVM has no resources of. */
export function kindOf(service: string, prefix: string): TaggedKind | undefined {
  return PREFIXES.find((p) => p.prefix === prefix && p.services.includes(service))?.kind;
}

/** The kinds named by a service and a prefix, either of which may be absent (any). */
export function kindsMatching(service: string | undefined, prefix: string | undefined): TaggedKind[] {
  const rows = PREFIXES.filter((p) => (service === undefined || p.services.includes(service)) && (prefix === undefined || p.prefix === prefix));
  return [...new Set(rows.map((p) => p.kind))];
}

/** The service and prefix a kind is named with. */
export function namingOf(kind: TaggedKind): { service: string; prefix: string } {
  const p = PREFIXES.find((x) => x.kind === kind)!;
  return { service: p.services[0], prefix: p.prefix };
}

export interface ResourceName {
  service: string;
  region: string;
  uin: string;
  prefix: string;
  resourceId: string;
}

const SIX_SEGMENTS = /^qcs::([a-z0-9]+):([a-z0-9-]*):uin\/([0-9]*):([A-Za-z0-9_-]+)\/(.+)$/;

/** The parts of a six-segment name, or undefined when it is not one. */
export function parseResourceName(name: string): ResourceName | undefined {
  const m = SIX_SEGMENTS.exec(name);
  return m ? { service: m[1], region: m[2], uin: m[3], prefix: m[4], resourceId: m[5] } : undefined;
}

export function resourceName(kind: TaggedKind, region: string, uin: string, resourceId: string): string {
  const { service, prefix } = namingOf(kind);
  return `qcs::${service}:${region}:uin/${uin}:${prefix}/${resourceId}`;
}
