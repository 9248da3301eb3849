// The pieces every page uses: an action's error with its code and RequestId, a confirmation dialog, a pager, a
// labelled field, and a hook that loads data and says when it fails.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api.js";
import { useT } from "../i18n.js";

export function ErrorBox({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  const e = error instanceof ApiError ? error : new ApiError("ClientError", String((error as Error)?.message ?? error), "");
  return (
    <div class="error" role="alert">
      <strong>{t("errorCode", { code: e.code })}</strong>
      <span> {e.message}</span>
      {e.requestId && <div class="muted">{t("requestId", { id: e.requestId })}</div>}
    </div>
  );
}

export function Notice({ text }: { text: string | undefined }) {
  return text ? (
    <div class="notice" role="status">
      {text}
    </div>
  ) : null;
}

/** A modal dialog: focus moves into it, Escape cancels, and the page behind is inert. */
export function Dialog(props: { title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>("input, select, textarea, button")?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && props.onClose();
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      before?.focus();
    };
  }, []);
  return (
    <div class="backdrop">
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" ref={ref}>
        <h2 id="dialog-title">{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}

/** A confirmation: `run` is called on Confirm; its error stays in the dialog, its success closes it. */
export function Confirm(props: { title: string; onClose: () => void; run: () => Promise<unknown>; children?: ComponentChildren; danger?: boolean }) {
  const t = useT();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await props.run();
      props.onClose();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <form onSubmit={submit}>
        {props.children}
        <ErrorBox error={error} />
        <div class="buttons">
          <button type="submit" class={props.danger ? "danger" : "primary"} disabled={busy}>
            {t("confirm")}
          </button>
          <button type="button" onClick={props.onClose}>
            {t("cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function Pager(props: { offset: number; limit: number; total: number; onOffset: (o: number) => void }) {
  const t = useT();
  const pages = Math.max(1, Math.ceil(props.total / props.limit));
  const page = Math.floor(props.offset / props.limit) + 1;
  return (
    <nav class="pager" aria-label={t("pages")}>
      <button disabled={page <= 1} onClick={() => props.onOffset(props.offset - props.limit)}>
        {t("previous")}
      </button>
      <span>{t("pageOf", { page, pages, total: props.total })}</span>
      <button disabled={page >= pages} onClick={() => props.onOffset(props.offset + props.limit)}>
        {t("next")}
      </button>
    </nav>
  );
}

let fieldIds = 0;
/** A label and its control, tied by id (the control is the only child and gets the id). */
export function Field(props: { label: string; children: (id: string) => ComponentChildren; hint?: ComponentChildren }) {
  const [id] = useState(() => `f${++fieldIds}`);
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children(id)}
      {props.hint && <div class="hint">{props.hint}</div>}
    </div>
  );
}

/** Loads with `load` whenever `deps` change; `reload` loads again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: unknown; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setError(undefined);
    load().then(
      (d) => live && setData(d),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return { data, error, reload: () => setN((x) => x + 1) };
}

export function Table(props: { caption: string; head: string[]; children: ComponentChildren }) {
  return (
    // A table wider than a phone scrolls inside its box, which the keyboard must be able to reach and scroll too.
    <div class="table-wrap" tabIndex={0} role="region" aria-label={props.caption}>
      <table>
        <caption class="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
