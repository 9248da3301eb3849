// Checks request parameters against the action's input object from the spec and coerces them to the declared
// types: query and form values arrive as strings, JSON values may be numbers where the spec says string
// (some VPC models type Offset/Limit as strings) or strings where it says int. The result holds only members the
// spec declares, so handlers never see anything unchecked. Some objects contain themselves (billing's rule
// expressions), so a JSON body could nest one as deep as its size allows: objects nest at most MAX_NESTING deep.
import { errors, TencentError } from "../domain/errors.js";
import type { MemberSpec, ServiceSpec } from "./spec-types.js";

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** Far deeper than any input of the spec that does not contain itself (about six). */
const MAX_NESTING = 32;

export function validateInput(spec: ServiceSpec, objectName: string, params: Record<string, unknown>): Record<string, unknown> {
  return object(spec, objectName, params, "", 0);
}

function object(spec: ServiceSpec, objectName: string, value: unknown, path: string, depth: number): Record<string, unknown> {
  const members = spec.objects[objectName];
  if (!members) throw new Error(`spec has no object ${objectName}`);
  if (depth > MAX_NESTING) throw errors.invalidParameter(path, `objects nest more than ${MAX_NESTING} levels deep`, `对象嵌套超过 ${MAX_NESTING} 层`);
  if (!isPlainObject(value)) throw typeError(path, "object");
  const out: Record<string, unknown> = {};
  const names = memberNames(members);
  for (const key in value) {
    if (!names.has(key)) throw errors.unknownParameter(join(path, key));
  }
  for (const m of members) {
    const given = value[m.name];
    // An empty list is no list: a query or form cannot even send one, so a required list must have an element.
    if (given === undefined || given === null || (m.required && Array.isArray(given) && given.length === 0)) {
      if (m.required) throw errors.missingParameter(join(path, m.name));
      continue;
    }
    out[m.name] = memberValue(spec, m, given, join(path, m.name), depth);
  }
  return out;
}

/** Each object's member names as a set, made the first time the object is validated rather than searched per key. */
const namesOf = new WeakMap<readonly MemberSpec[], ReadonlySet<string>>();
function memberNames(members: readonly MemberSpec[]): ReadonlySet<string> {
  let names = namesOf.get(members);
  if (!names) namesOf.set(members, (names = new Set(members.map((m) => m.name))));
  return names;
}

function memberValue(spec: ServiceSpec, m: MemberSpec, given: unknown, name: string, depth: number): unknown {
  switch (m.type) {
    case "object":
      return object(spec, m.member, given, name, depth + 1);
    case "list": {
      if (!Array.isArray(given)) throw typeError(name, "list");
      return given.map((item, i) => element(spec, m.member, item, `${name}.${i}`, depth + 1));
    }
    default:
      return scalar(m.type === "int" ? m.member : m.type, given, name);
  }
}

function element(spec: ServiceSpec, type: string, item: unknown, name: string, depth: number): unknown {
  if (spec.objects[type]) return object(spec, type, item, name, depth);
  if (item === null || item === undefined) throw errors.missingParameter(name);
  return scalar(type, item, name);
}

/** Coerces one scalar; `type` is the spec's primitive name (string, int64, uint64, bool, float, datetime...). */
function scalar(type: string, v: unknown, name: string): unknown {
  switch (type) {
    case "int":
    case "int64":
    case "uint64": {
      let n: number;
      if (typeof v === "number" && Number.isInteger(v)) n = v;
      else if (typeof v === "string" && INTEGER.test(v.trim())) n = Number(v.trim());
      else throw typeError(name, "integer");
      if (!Number.isSafeInteger(n)) throw errors.invalidParameterValue(name, String(v), "the integer is out of range", "整数超出范围");
      if (type === "uint64" && n < 0) throw errors.invalidParameterValue(name, String(v), "it must not be negative", "不能为负数");
      return n;
    }
    case "float":
    case "double": {
      if (typeof v === "number" && Number.isFinite(v)) return v;
      if (typeof v === "string" && NUMBER.test(v.trim())) return Number(v.trim());
      throw typeError(name, "number");
    }
    case "bool": {
      if (typeof v === "boolean") return v;
      if (typeof v === "string") {
        const lower = v.trim().toLowerCase();
        if (lower === "true") return true;
        if (lower === "false") return false;
      }
      throw typeError(name, "boolean");
    }
    default: {
      // string, datetime, datetime_iso, date: strings on the wire; formats are the handlers' business.
      if (typeof v === "string") return v;
      if (typeof v === "number" || typeof v === "boolean") return String(v);
      throw typeError(name, "string");
    }
  }
}

const KINDS = {
  object: ["an object", "对象"],
  list: ["a list (in a query or form: Name.0, Name.1, ...)", "列表（查询串或表单中写作 Name.0、Name.1 ...）"],
  integer: ["an integer", "整数"],
  number: ["a number", "数值"],
  boolean: ["a boolean (true or false)", "布尔值（true 或 false）"],
  string: ["a string", "字符串"],
} as const;

function typeError(name: string, kind: keyof typeof KINDS): TencentError {
  const [en, zh] = KINDS[kind];
  return errors.invalidParameter(name || "(request body)", `it must be ${en}`, `应为${zh}`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
