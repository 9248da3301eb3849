// The steps of a long operation as they begin (a launch: creating disks, booting), from the event stream: the
// current one marked, a finished operation's result last.
import { useT, type Key } from "../i18n.js";
import type { Trail } from "../live.js";

/** The words of each kind of work (src/domain/progress.ts); a state on the way (STOPPING...) is shown as itself. */
const WORDS: Record<string, Key> = {
  "creating-disks": "stepCreatingDisks",
  booting: "stepBooting",
  reconfiguring: "stepReconfiguring",
  "writing-system-disk": "stepWritingSystemDisk",
  "resizing-disks": "stepResizingDisks",
  "capturing-image": "stepCapturingImage",
  "copying-image": "stepCopyingImage",
  "importing-image": "stepImportingImage",
  "exporting-image": "stepExportingImage",
  "writing-keys": "stepWritingKeys",
  "setting-password": "stepSettingPassword",
};

export function Steps({ trail }: { trail: Trail | undefined }) {
  const t = useT();
  if (!trail) return null;
  const last = trail.Steps.length - 1;
  return (
    <ol class="trail" aria-label={t("stepsOf", { what: trail.Operation })} data-operation={trail.Operation}>
      {trail.Steps.map((step, i) => (
        <li data-step={step} class={i < last || trail.Result ? "done" : "current"} aria-current={i === last && !trail.Result ? "step" : undefined}>
          {WORDS[step] ? t(WORDS[step]) : step}
        </li>
      ))}
      {trail.Result && (
        <li data-step={trail.Result} class={trail.Result === "SUCCESS" ? "done" : "failed"}>
          {t(trail.Result === "SUCCESS" ? "stepSucceeded" : "stepFailed")}
        </li>
      )}
    </ol>
  );
}
