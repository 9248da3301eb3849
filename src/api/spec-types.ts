// The shape of the generated API structure (src/api/generated/*.ts), written by scripts/gen-spec.ts.

export type MemberType = "string" | "int" | "bool" | "float" | "object" | "list";

export interface MemberSpec {
  name: string;
  type: MemberType;
  /** The element or object type: a primitive (string, int64, uint64, bool, float, datetime, ...) or an object name. */
  member: string;
  required?: true;
  /** Output members the spec marks as always present. */
  outputRequired?: true;
  /** Output members the spec says may be null. */
  nullable?: true;
  /** Members the spec marks as disabled (retired). */
  disabled?: true;
}

export interface ActionSpec {
  input: string;
  output: string;
  /** Service-specific error codes the action is documented to return. */
  errors: string[];
}

export interface ServiceSpec {
  service: string;
  version: string;
  actions: Record<string, ActionSpec>;
  objects: Record<string, MemberSpec[]>;
  /** Every service-specific error code the service documents. */
  codes: string[];
}
