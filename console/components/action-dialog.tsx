// A confirmation with a few inputs: each field a label and a control, the values handed to `run` on Confirm.
import { useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import { Confirm, Field } from "./ui.js";

export interface FieldSpec {
  name: string;
  label: string;
  kind?: "text" | "number" | "password" | "checkbox" | "select" | "multi";
  options?: { value: string; label: string }[];
  initial?: string | boolean | string[];
  /** A text that may be left empty. */
  optional?: boolean;
  /** Words under the control that follow its value (a password's rules as it is typed). */
  hint?: (value: string) => ComponentChildren;
}

export type Values = Record<string, string | boolean | string[]>;

export function ActionDialog(props: { title: string; fields: FieldSpec[]; onClose: () => void; run: (v: Values) => Promise<unknown>; danger?: boolean; children?: ComponentChildren }) {
  const [values, setValues] = useState<Values>(() => Object.fromEntries(props.fields.map((f) => [f.name, f.initial ?? (f.kind === "checkbox" ? false : f.kind === "multi" ? [] : f.options?.[0]?.value ?? "")])));
  const set = (name: string, v: string | boolean | string[]) => setValues({ ...values, [name]: v });
  return (
    <Confirm title={props.title} onClose={props.onClose} run={() => props.run(values)} danger={props.danger}>
      {props.children}
      {props.fields.map((f) => (
        <Field label={f.label} hint={f.hint?.(String(values[f.name]))}>
          {(id) =>
            f.kind === "checkbox" ? (
              <input id={id} type="checkbox" checked={values[f.name] as boolean} onChange={(e) => set(f.name, (e.target as HTMLInputElement).checked)} />
            ) : f.kind === "select" || f.kind === "multi" ? (
              <select
                id={id}
                multiple={f.kind === "multi"}
                value={values[f.name] as string}
                onChange={(e) => {
                  const el = e.target as HTMLSelectElement;
                  set(f.name, f.kind === "multi" ? [...el.selectedOptions].map((o) => o.value) : el.value);
                }}
              >
                {f.options!.map((o) => (
                  <option value={o.value} selected={f.kind === "multi" ? (values[f.name] as string[]).includes(o.value) : undefined}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : (
              <input id={id} type={f.kind ?? "text"} required={!f.optional} value={values[f.name] as string} onInput={(e) => set(f.name, (e.target as HTMLInputElement).value)} />
            )
          }
        </Field>
      ))}
    </Confirm>
  );
}
