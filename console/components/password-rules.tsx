// A login password's documented rules, checked as it is typed by the same function the actions use.
import { passwordProblem } from "../../src/domain/password-rules.js";
import { useContext } from "preact/hooks";
import { LangContext } from "../i18n.js";

export function PasswordHint({ password }: { password: string }) {
  const { lang, t } = useContext(LangContext);
  if (!password) return <span>{t("passwordRules")}</span>;
  const problem = passwordProblem(password, "LINUX");
  return (
    <span class={problem ? "bad" : "good"} aria-live="polite">
      {problem ? (lang === "zh-CN" ? problem.zh : problem.en) : "✓"}
    </span>
  );
}

export function passwordOk(password: string): boolean {
  return passwordProblem(password, "LINUX") === undefined;
}
