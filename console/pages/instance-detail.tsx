// One instance: every field, its tags, disks, network, security groups and latest operation, kept current by the
// event stream, with the actions that change it.
import { useEffect, useState } from "preact/hooks";
import { all, call, serialLog } from "../api.js";
import { useFormat } from "../format.js";
import { useT, type Key, type T } from "../i18n.js";
import { useLiveStates, useTrails } from "../live.js";
import { Steps } from "../components/steps.js";
import { ActionDialog, type FieldSpec, type Values } from "../components/action-dialog.js";
import { PasswordHint } from "../components/password-rules.js";
import { ErrorBox, Notice, useLoad } from "../components/ui.js";
import { PowerDialog, type PowerAction } from "./power-dialog.js";

type Change = "changeType" | "resizeDisks" | "resetPassword" | "reinstall" | "bindKeys" | "changeGroups" | "bindEip";

export function InstanceDetail({ region, id }: { region: string; id: string }) {
  const t = useT();
  const f = useFormat();
  const { data, error, reload } = useLoad(() => call("cvm", "DescribeInstances", { InstanceIds: [id] }, region), [region, id]);
  const [inst, setInst] = useState<any>();
  const [power, setPower] = useState<PowerAction>();
  const [change, setChange] = useState<Change>();
  const [notice, setNotice] = useState<string>();
  const [screen, setScreen] = useState<{ url?: string; error?: unknown }>();
  useEffect(() => setInst(data?.InstanceSet?.[0]), [data]);
  const [trails, addTrail] = useTrails();
  useLiveStates((c) => {
    if (c.InstanceId !== id) return;
    setInst((i: any) => i && { ...i, ...c });
    // A finished operation may have changed more than the state (type, disks, keys): read it all again.
    if (c.LatestOperationState !== "OPERATING") reload();
  }, addTrail);
  const trail = trails[id];
  const done = (r: { RequestId: string }) => {
    setNotice(t("accepted", { id: r.RequestId }));
    reload();
  };
  if (error) return <ErrorBox error={error} />;
  if (!inst) return <p>{data ? t("none") : t("loading")}</p>;
  const rows: [string, unknown][] = Object.entries(inst).filter(([, v]) => v === null || typeof v !== "object");
  return (
    <section>
      <p>
        <a href="#/instances">← {t("back")}</a>
      </p>
      <div class="heading">
        <h1>
          {inst.InstanceName} <span class="muted">{inst.InstanceId}</span>
        </h1>
        <span class={`state state-${inst.InstanceState}`} data-state={inst.InstanceState}>
          {f.state(inst.InstanceState)}
        </span>
      </div>
      <div class="toolbar">
        {(["start", "stop", "reboot", "terminate"] as const).map((a) => (
          <button class={a === "terminate" ? "danger" : ""} onClick={() => setPower(a)}>
            {t(a)}
          </button>
        ))}
        {(["changeType", "resizeDisks", "resetPassword", "reinstall", "bindKeys", "changeGroups", "bindEip"] as const).map((c) => (
          <button onClick={() => setChange(c)}>{t(c)}</button>
        ))}
        <button
          onClick={() =>
            call("cvm", "DescribeInstanceVncUrl", { InstanceId: id }, region).then(
              (r) => setScreen({ url: `/vnc/index.html?InstanceVncUrl=${r.InstanceVncUrl}` }),
              (error) => setScreen({ error }),
            )
          }
        >
          {t("screen")}
        </button>
      </div>
      {/* The real cloud's way: the address DescribeInstanceVncUrl gives, opened in the noVNC page the server serves. */}
      {screen?.url && (
        <p>
          <a href={screen.url} target="_blank" rel="noopener">
            {t("openScreen")}
          </a>
        </p>
      )}
      <ErrorBox error={screen?.error} />
      <Notice text={notice} />
      {inst.LatestOperationState === "OPERATING" && (
        <div class="progress" role="status">
          <progress aria-label={t("progress", { what: inst.LatestOperation })} /> {t("progress", { what: inst.LatestOperation })}
        </div>
      )}
      {/* The last operation's steps stay shown with its result once it has finished. */}
      {trail && trail.RequestId === (inst.LatestOperationRequestId ?? trail.RequestId) && <Steps trail={trail} />}
      <div class="cards">
        <article class="card">
          <h2>{t("latestOperation")}</h2>
          <dl>
            <dt>{t("latestOperation")}</dt>
            <dd>{inst.LatestOperation ?? "-"}</dd>
            <dt>{t("state")}</dt>
            <dd>{f.state(inst.LatestOperationState)}</dd>
            <dt>RequestId</dt>
            <dd>{inst.LatestOperationRequestId ?? "-"}</dd>
            {inst.LatestOperationErrorMsg && (
              <>
                <dt>{t("error")}</dt>
                <dd>{inst.LatestOperationErrorMsg}</dd>
              </>
            )}
          </dl>
        </article>
        <article class="card">
          <h2>{t("network")}</h2>
          <dl>
            <dt>{t("zone")}</dt>
            <dd>{inst.Placement?.Zone}</dd>
            <dt>{t("vpc")}</dt>
            <dd>{inst.VirtualPrivateCloud?.VpcId}</dd>
            <dt>{t("subnet")}</dt>
            <dd>{inst.VirtualPrivateCloud?.SubnetId}</dd>
            <dt>{t("privateIp")}</dt>
            <dd>{(inst.PrivateIpAddresses ?? []).join(", ")}</dd>
            <dt>{t("publicIp")}</dt>
            <dd>{(inst.PublicIpAddresses ?? []).join(", ") || "-"}</dd>
            <dt>{t("bandwidth")}</dt>
            <dd>{inst.InternetAccessible?.InternetMaxBandwidthOut}</dd>
            <dt>{t("securityGroups")}</dt>
            <dd>{(inst.SecurityGroupIds ?? []).join(", ")}</dd>
            <dt>{t("keyPairs")}</dt>
            <dd>{(inst.LoginSettings?.KeyIds ?? []).join(", ") || "-"}</dd>
          </dl>
        </article>
        <article class="card">
          <h2>{t("disks")}</h2>
          <dl>
            <dt>{t("systemDisk")}</dt>
            <dd>
              {inst.SystemDisk.DiskId} {inst.SystemDisk.DiskType} {inst.SystemDisk.DiskSize} GB
            </dd>
            {(inst.DataDisks ?? []).map((d: any) => (
              <>
                <dt>{t("dataDisks")}</dt>
                <dd>
                  {d.DiskId} {d.DiskType} {d.DiskSize} GB
                </dd>
              </>
            ))}
          </dl>
        </article>
        <article class="card">
          <h2>{t("tags")}</h2>
          <dl>
            {(inst.Tags ?? []).map((tag: { Key: string; Value: string }) => (
              <>
                <dt>{tag.Key}</dt>
                <dd>{tag.Value}</dd>
              </>
            ))}
          </dl>
          {!(inst.Tags ?? []).length && <p class="muted">{t("none")}</p>}
        </article>
      </div>
      <Serial id={id} state={inst.InstanceState} />
      <h2>{t("fields")}</h2>
      <dl class="fields">
        {rows.map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v === null ? "-" : typeof v === "string" ? f.time(v) : String(v)}</dd>
          </>
        ))}
      </dl>
      {power && <PowerDialog action={power} ids={[id]} region={region} onClose={() => setPower(undefined)} onDone={(requestId) => done({ RequestId: requestId })} />}
      {change && <ChangeDialog change={change} inst={inst} region={region} onClose={() => setChange(undefined)} onDone={done} />}
    </section>
  );
}

/**
 * A real machine's serial console output, read again on demand and when the instance changes state (a launch's
 * machine has none until it exists); nothing at all for a simulated instance.
 */
function Serial({ id, state }: { id: string; state: string }) {
  const t = useT();
  const { data, error, reload } = useLoad(() => serialLog(id), [id, state]);
  if (data === undefined && !error) return null;
  return (
    <section aria-label={t("serial")}>
      <div class="heading">
        <h2>{t("serial")}</h2>
        <button onClick={reload}>{t("refresh")}</button>
      </div>
      <ErrorBox error={error} />
      <pre class="serial" tabIndex={0}>
        {data}
      </pre>
    </section>
  );
}

/** The options a change offers, read when its dialog opens. */
async function optionsFor(change: Change, inst: any, region: string, t: T): Promise<FieldSpec[]> {
  switch (change) {
    case "changeType": {
      const r = await call("cvm", "DescribeZoneInstanceConfigInfos", { Filters: [{ Name: "zone", Values: [inst.Placement.Zone] }, { Name: "instance-charge-type", Values: [inst.InstanceChargeType] }] }, region);
      const types = [...new Set((r.InstanceTypeQuotaSet as any[]).filter((q) => q.Status === "SELL").map((q) => q.InstanceType as string))].sort();
      return [{ name: "InstanceType", label: t("type"), kind: "select", options: types.map((x) => ({ value: x, label: x })), initial: inst.InstanceType }, { name: "ForceStop", label: t("forceStop"), kind: "checkbox" }];
    }
    case "resizeDisks":
      return (inst.DataDisks ?? []).map((d: any) => ({ name: d.DiskId, label: `${d.DiskId}: ${t("newSize")}`, kind: "number", initial: String(d.DiskSize) })).concat([{ name: "ForceStop", label: t("forceStop"), kind: "checkbox" }]);
    case "resetPassword":
      return [
        { name: "Password", label: t("newPassword"), kind: "password", hint: (v) => <PasswordHint password={v} /> },
        { name: "ForceStop", label: t("forceStop"), kind: "checkbox" },
      ];
    case "reinstall": {
      const r = await call("cvm", "DescribeImages", { Limit: 100 }, region);
      return [
        { name: "ImageId", label: t("image"), kind: "select", options: (r.ImageSet as any[]).map((i) => ({ value: i.ImageId, label: `${i.ImageName} (${i.ImageId})` })), initial: inst.ImageId },
        { name: "Password", label: t("newPassword"), kind: "password", hint: (v) => <PasswordHint password={v} /> },
      ];
    }
    case "bindKeys": {
      const keys = await all<any>("cvm", "DescribeKeyPairs", "KeyPairSet", {}, region);
      return [
        { name: "KeyIds", label: t("keyPairs"), kind: "multi", options: keys.map((k) => ({ value: k.KeyId, label: `${k.KeyName} (${k.KeyId})` })) },
        { name: "ForceStop", label: t("forceStop"), kind: "checkbox" },
      ];
    }
    case "changeGroups": {
      const groups = await all<any>("vpc", "DescribeSecurityGroups", "SecurityGroupSet", {}, region);
      return [{ name: "SecurityGroups", label: t("securityGroups"), kind: "multi", options: groups.map((g) => ({ value: g.SecurityGroupId, label: `${g.SecurityGroupName} (${g.SecurityGroupId})` })), initial: inst.SecurityGroupIds }];
    }
    case "bindEip": {
      const r = await call("vpc", "DescribeAddresses", { Filters: [{ Name: "address-status", Values: ["UNBIND"] }], Limit: 100 }, region);
      return [{ name: "AddressId", label: t("eips"), kind: "select", options: (r.AddressSet as any[]).map((a) => ({ value: a.AddressId, label: `${a.AddressIp} (${a.AddressId})` })) }];
    }
  }
}

/** The action and parameters a change's values make. */
function request(change: Change, inst: any, v: Values): ["cvm" | "vpc", string, object] {
  const ids = [inst.InstanceId];
  switch (change) {
    case "changeType":
      return ["cvm", "ResetInstancesType", { InstanceIds: ids, InstanceType: v.InstanceType, ForceStop: v.ForceStop }];
    case "resizeDisks":
      return ["cvm", "ResizeInstanceDisks", { InstanceId: inst.InstanceId, ForceStop: v.ForceStop, DataDisks: (inst.DataDisks ?? []).map((d: any) => ({ DiskId: d.DiskId, DiskSize: Number(v[d.DiskId]) })) }];
    case "resetPassword":
      return ["cvm", "ResetInstancesPassword", { InstanceIds: ids, Password: v.Password, ForceStop: v.ForceStop }];
    case "reinstall":
      return ["cvm", "ResetInstance", { InstanceId: inst.InstanceId, ImageId: v.ImageId, LoginSettings: { Password: v.Password } }];
    case "bindKeys":
      return ["cvm", "AssociateInstancesKeyPairs", { InstanceIds: ids, KeyIds: v.KeyIds, ForceStop: v.ForceStop }];
    case "changeGroups":
      return ["cvm", "ModifyInstancesAttribute", { InstanceIds: ids, SecurityGroups: v.SecurityGroups }];
    case "bindEip":
      return ["vpc", "AssociateAddress", { AddressId: v.AddressId, InstanceId: inst.InstanceId }];
  }
}

function ChangeDialog(props: { change: Change; inst: any; region: string; onClose: () => void; onDone: (r: { RequestId: string }) => void }) {
  const t = useT();
  const { data: fields, error } = useLoad(() => optionsFor(props.change, props.inst, props.region, t), [props.change]);
  if (error) return <ErrorBox error={error} />;
  if (!fields) return null;
  return (
    <ActionDialog
      title={`${t(props.change as Key)}: ${props.inst.InstanceId}`}
      fields={fields}
      onClose={props.onClose}
      run={async (v) => {
        const [service, action, params] = request(props.change, props.inst, v);
        props.onDone(await call(service, action, params, props.region));
      }}
    />
  );
}
