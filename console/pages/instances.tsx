// The instance list: one page at a time from DescribeInstances (the server pages and filters, so 10,000 instances
// cost what 20 do), states and the steps of operations under way updated live from the event stream, and the power
// actions on the rows selected.
import { useEffect, useRef, useState } from "preact/hooks";
import { call } from "../api.js";
import { useFormat } from "../format.js";
import { useT } from "../i18n.js";
import { useLiveStates, useTrails, type StateChange } from "../live.js";
import { Steps } from "../components/steps.js";
import { ErrorBox, Notice, Pager, Table, useLoad } from "../components/ui.js";
import { PowerDialog, type PowerAction } from "./power-dialog.js";

const LIMIT = 20;
const STATES = ["PENDING", "LAUNCH_FAILED", "RUNNING", "STOPPED", "STARTING", "STOPPING", "REBOOTING", "SHUTDOWN", "TERMINATING", "TERMINATED"];

export interface InstanceRow {
  InstanceId: string;
  InstanceName: string;
  InstanceState: string;
  InstanceType: string;
  InstanceChargeType: string;
  Placement: { Zone: string };
  PrivateIpAddresses: string[];
  PublicIpAddresses: string[] | null;
  CreatedTime: string;
  LatestOperation: string | null;
  LatestOperationState: string | null;
}

export function Instances({ region }: { region: string }) {
  const t = useT();
  const f = useFormat();
  const [offset, setOffset] = useState(0);
  const [name, setName] = useState("");
  const [state, setState] = useState("");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [action, setAction] = useState<PowerAction>();
  const [notice, setNotice] = useState<string>();
  const [rows, setRows] = useState<InstanceRow[]>([]);
  const filters = [...(name ? [{ Name: "instance-name", Values: [name] }] : []), ...(state ? [{ Name: "instance-state", Values: [state] }] : [])];
  const { data, error, reload } = useLoad(() => call("cvm", "DescribeInstances", { Offset: offset, Limit: LIMIT, ...(filters.length ? { Filters: filters } : {}) }, region), [region, offset, name, state]);
  useEffect(() => setRows(data?.InstanceSet ?? []), [data]);
  useEffect(() => setOffset(0), [region, name, state]);

  // An instance this page does not show yet (launched elsewhere) brings the page again, at most once a second.
  const shown = useRef(rows);
  shown.current = rows;
  const pendingReload = useRef<number>();
  const [trails, addTrail] = useTrails();
  const connected = useLiveStates((c: StateChange) => {
    if (shown.current.some((r) => r.InstanceId === c.InstanceId)) {
      setRows((list) => list.map((r) => (r.InstanceId === c.InstanceId ? { ...r, ...c } : r)));
    } else if (pendingReload.current === undefined) {
      pendingReload.current = window.setTimeout(() => {
        pendingReload.current = undefined;
        reload();
      }, 1000);
    }
  }, addTrail);
  useEffect(() => () => clearTimeout(pendingReload.current), []);

  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const ids = [...selected].filter((id) => rows.some((r) => r.InstanceId === id));
  return (
    <section>
      <div class="heading">
        <h1>{t("instances")}</h1>
        <span class={connected ? "badge ok" : "badge"} role="status">
          {connected ? t("live") : t("offline")}
        </span>
        <a class="button primary" href="#/launch">
          {t("launch")}
        </a>
      </div>
      <div class="toolbar">
        <input type="search" aria-label={t("search")} placeholder={t("search")} value={name} onChange={(e) => setName((e.target as HTMLInputElement).value)} />
        <select aria-label={t("state")} value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
          <option value="">{t("allStates")}</option>
          {STATES.map((s) => (
            <option value={s}>{f.state(s)}</option>
          ))}
        </select>
        <button onClick={reload}>{t("refresh")}</button>
        {(["start", "stop", "reboot", "terminate"] as const).map((a) => (
          <button disabled={!ids.length} class={a === "terminate" ? "danger" : ""} onClick={() => setAction(a)}>
            {t(a)}
          </button>
        ))}
      </div>
      <Notice text={notice} />
      <ErrorBox error={error} />
      <Table caption={t("instances")} head={["", t("id"), t("name"), t("state"), t("zone"), t("type"), t("privateIp"), t("publicIp"), t("created")]}>
        {rows.map((r) => (
          <tr data-instance={r.InstanceId}>
            <td>
              <input type="checkbox" aria-label={r.InstanceId} checked={selected.has(r.InstanceId)} onChange={() => toggle(r.InstanceId)} />
            </td>
            <td>
              <a href={`#/instances/${r.InstanceId}`}>{r.InstanceId}</a>
            </td>
            <td>{r.InstanceName}</td>
            <td>
              <span class={`state state-${r.InstanceState}`} data-state={r.InstanceState}>
                {f.state(r.InstanceState)}
              </span>
              {/* The steps of the operation under way; gone once it has finished. */}
              {trails[r.InstanceId] && !trails[r.InstanceId].Result && <Steps trail={trails[r.InstanceId]} />}
            </td>
            <td>{r.Placement.Zone}</td>
            <td>{r.InstanceType}</td>
            <td>{r.PrivateIpAddresses.join(", ")}</td>
            <td>{(r.PublicIpAddresses ?? []).join(", ")}</td>
            <td>{f.time(r.CreatedTime)}</td>
          </tr>
        ))}
      </Table>
      {data && !rows.length && <p class="muted">{t("none")}</p>}
      <Pager offset={offset} limit={LIMIT} total={data?.TotalCount ?? 0} onOffset={setOffset} />
      {action && (
        <PowerDialog
          action={action}
          ids={ids}
          region={region}
          onClose={() => setAction(undefined)}
          onDone={(requestId) => {
            setNotice(t("accepted", { id: requestId }));
            setSelected(new Set());
            reload();
          }}
        />
      )}
    </section>
  );
}
