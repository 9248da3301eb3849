// Start, stop (with its stop type and charging mode), reboot or terminate instances, after confirmation.
import { useState } from "preact/hooks";
import { call } from "../api.js";
import { useT } from "../i18n.js";
import { Confirm, Field } from "../components/ui.js";

export type PowerAction = "start" | "stop" | "reboot" | "terminate";

const ACTIONS: Record<PowerAction, string> = { start: "StartInstances", stop: "StopInstances", reboot: "RebootInstances", terminate: "TerminateInstances" };

export function PowerDialog(props: { action: PowerAction; ids: string[]; region: string; onClose: () => void; onDone: (requestId: string) => void }) {
  const t = useT();
  const [stopType, setStopType] = useState("SOFT");
  const [mode, setMode] = useState("KEEP_CHARGING");
  const run = async () => {
    const extra = props.action === "stop" ? { StopType: stopType, StoppedMode: mode } : props.action === "reboot" ? { StopType: stopType } : {};
    const r = await call("cvm", ACTIONS[props.action], { InstanceIds: props.ids, ...extra }, props.region);
    props.onDone(r.RequestId);
  };
  return (
    <Confirm title={t("confirmAction", { action: t(props.action), count: props.ids.length })} onClose={props.onClose} run={run} danger={props.action === "terminate"}>
      <p class="ids">{props.ids.join(", ")}</p>
      {(props.action === "stop" || props.action === "reboot") && (
        <Field label={t("stopType")}>
          {(id) => (
            <select id={id} value={stopType} onChange={(e) => setStopType((e.target as HTMLSelectElement).value)}>
              <option value="SOFT">{t("soft")}</option>
              <option value="HARD">{t("hard")}</option>
              <option value="SOFT_FIRST">{t("softFirst")}</option>
            </select>
          )}
        </Field>
      )}
      {props.action === "stop" && (
        <Field label={t("stoppedMode")}>
          {(id) => (
            <select id={id} value={mode} onChange={(e) => setMode((e.target as HTMLSelectElement).value)}>
              <option value="KEEP_CHARGING">{t("keepCharging")}</option>
              <option value="STOP_CHARGING">{t("stopCharging")}</option>
            </select>
          )}
        </Field>
      )}
    </Confirm>
  );
}
