// Sign-in with an account's API keys, or its AppId and the console password an operator set.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { signIn, type SessionInfo } from "../api.js";
import { useT } from "../i18n.js";
import { ErrorBox, Field } from "../components/ui.js";

export function SignIn(props: { onSignedIn: (s: SessionInfo) => void; languagePicker: ComponentChildren }) {
  const t = useT();
  const [mode, setMode] = useState<"keys" | "password">("keys");
  const [a, setA] = useState("");
  const [b, setB] = useState("");
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      props.onSignedIn(await signIn(mode === "keys" ? { SecretId: a.trim(), SecretKey: b } : { AppId: a.trim(), Password: b }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <main class="sign-in">
      <h1>{t("title")}</h1>
      <div class="lang">{props.languagePicker}</div>
      <form onSubmit={submit}>
        <fieldset>
          <legend>{t("signIn")}</legend>
          <label>
            <input type="radio" name="mode" checked={mode === "keys"} onChange={() => setMode("keys")} /> {t("withKeys")}
          </label>
          <label>
            <input type="radio" name="mode" checked={mode === "password"} onChange={() => setMode("password")} /> {t("withPassword")}
          </label>
        </fieldset>
        <Field label={mode === "keys" ? t("secretId") : t("appId")}>
          {(id) => <input id={id} name="user" autocomplete="username" required value={a} onInput={(e) => setA((e.target as HTMLInputElement).value)} />}
        </Field>
        <Field label={mode === "keys" ? t("secretKey") : t("password")}>
          {(id) => <input id={id} name="secret" type="password" autocomplete="current-password" required value={b} onInput={(e) => setB((e.target as HTMLInputElement).value)} />}
        </Field>
        <ErrorBox error={error} />
        <button type="submit" class="primary">
          {t("signIn")}
        </button>
      </form>
    </main>
  );
}
