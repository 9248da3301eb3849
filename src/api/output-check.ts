// Checks an action's output against the spec's output object: every member the spec marks as always present is
// there, nothing the spec does not declare is added, and each value has the declared type. The test suite runs it
// on every answer the server gives (StartOptions.checkOutputs).
import { serviceSpec } from "./spec.js";
import type { MemberSpec, ServiceSpec } from "./spec-types.js";

export function outputProblems(service: string, action: string, output: Record<string, unknown>): string[] {
  const spec = serviceSpec(service);
  // An SDK's answer carries the envelope's RequestId beside the output; it is checked elsewhere.
  const { RequestId: _, ...rest } = output;
  const problems: string[] = [];
  checkObject(spec, spec.actions[action].output, rest, action, problems);
  return problems;
}

function checkObject(spec: ServiceSpec, name: string, value: unknown, path: string, problems: string[]): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push(`${path}: expected object ${name}`);
    return;
  }
  const members = spec.objects[name];
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!members.some((m) => m.name === key)) problems.push(`${path}.${key}: not declared by ${name}`);
  }
  for (const m of members) {
    const v = record[m.name];
    if (v === undefined || v === null) {
      if (m.outputRequired && !(v === null && m.nullable)) problems.push(`${path}.${m.name}: missing`);
      continue;
    }
    checkMember(spec, m, v, `${path}.${m.name}`, problems);
  }
}

function checkMember(spec: ServiceSpec, m: MemberSpec, v: unknown, path: string, problems: string[]): void {
  if (m.type === "object") return checkObject(spec, m.member, v, path, problems);
  if (m.type === "list") {
    if (!Array.isArray(v)) return void problems.push(`${path}: expected list`);
    v.forEach((item, i) => {
      if (spec.objects[m.member]) checkObject(spec, m.member, item, `${path}.${i}`, problems);
      else checkScalar(m.member, item, `${path}.${i}`, problems);
    });
    return;
  }
  checkScalar(m.type === "int" ? m.member : m.type, v, path, problems);
}

function checkScalar(type: string, v: unknown, path: string, problems: string[]): void {
  const ok =
    type === "int64" || type === "uint64" || type === "int"
      ? Number.isInteger(v) && (type !== "uint64" || (v as number) >= 0)
      : type === "float" || type === "double"
        ? typeof v === "number"
        : type === "bool"
          ? typeof v === "boolean"
          : typeof v === "string";
  if (!ok) problems.push(`${path}: ${JSON.stringify(v)} is not ${type}`);
}
