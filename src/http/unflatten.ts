// Turns the flattened keys of GET queries and form posts into the nesting a JSON post carries:
//   InstanceIds.0=a&InstanceIds.1=b            → { InstanceIds: ["a", "b"] }
//   Filters.0.Name=zone&Filters.0.Values.0=z   → { Filters: [{ Name: "zone", Values: ["z"] }] }
//   Placement.Zone=ap-guangzhou-3              → { Placement: { Zone: "ap-guangzhou-3" } }
// A level whose keys are all numbers is a list, ordered numerically (".10" after ".9"); gaps close up.
// A name nests at most MAX_SEGMENTS deep (the deepest input of any spec needs about a dozen), so a name of
// thousands of dots is refused rather than recursed into.
import { errors } from "../domain/errors.js";

type Node = { [key: string]: Node | string };

const INDEX = /^\d+$/;
const MAX_SEGMENTS = 64;

export function unflatten(pairs: Iterable<[string, string]>): Record<string, unknown> {
  const root: Node = Object.create(null);
  for (const [key, value] of pairs) {
    const path = key.split(".", MAX_SEGMENTS + 1);
    if (path.length > MAX_SEGMENTS) throw tooDeep(key);
    let node = root;
    for (let i = 0; i < path.length - 1; i++) {
      const seg = path[i];
      const next = node[seg];
      if (typeof next === "string") throw conflict(path.slice(0, i + 1).join("."));
      node = next ?? (node[seg] = Object.create(null));
    }
    const last = path[path.length - 1];
    if (last === "" || path.includes("")) throw malformed(key);
    if (last in node) throw typeof node[last] === "string" ? duplicate(key) : conflict(key);
    node[last] = value;
  }
  return shape(root, "") as Record<string, unknown>;
}

function shape(node: Node | string, where: string): unknown {
  if (typeof node === "string") return node;
  const keys = Object.keys(node);
  const numeric = keys.filter((k) => INDEX.test(k));
  if (numeric.length > 0 && where !== "") {
    if (numeric.length !== keys.length) throw conflict(where);
    const ordered = numeric.map((k) => [Number(k), k] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ordered.length; i++) {
      if (ordered[i][0] === ordered[i - 1][0]) throw duplicate(`${where}.${ordered[i][1]}`);
    }
    return ordered.map(([, k]) => shape(node[k], `${where}.${k}`));
  }
  const out: Record<string, unknown> = Object.create(null);
  for (const k of keys) out[k] = shape(node[k], where ? `${where}.${k}` : k);
  return out;
}

const conflict = (name: string) =>
  errors.invalidParameter(name, "it is given both as a value and as a list or object", "同时以值和列表或对象的形式给出");
const duplicate = (name: string) => errors.invalidParameter(name, "it is given more than once", "被重复给出");
const tooDeep = (name: string) =>
  errors.invalidParameter(`${name.slice(0, 64)}…`, `the parameter name nests more than ${MAX_SEGMENTS} levels deep`, `参数名嵌套超过 ${MAX_SEGMENTS} 层`);
const malformed = (name: string) => errors.invalidParameter(name, "the parameter name is malformed", "参数名格式错误");
