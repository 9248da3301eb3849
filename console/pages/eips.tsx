// Elastic IPs: allocate, associate with an instance, disassociate, release.
import { useState } from "preact/hooks";
import { call } from "../api.js";
import { useT } from "../i18n.js";
import { ActionDialog } from "../components/action-dialog.js";
import { ErrorBox, Table, useLoad } from "../components/ui.js";

export function Eips({ region }: { region: string }) {
  const t = useT();
  const { data, error, reload } = useLoad(() => call("vpc", "DescribeAddresses", { Limit: 100 }, region), [region]);
  const [dialog, setDialog] = useState<{ kind: "allocate" } | { kind: "associate" | "disassociate" | "release"; id: string }>();
  const [instances, setInstances] = useState<{ value: string; label: string }[]>([]);
  const openAssociate = async (id: string) => {
    const r = await call("cvm", "DescribeInstances", { Limit: 100, Filters: [{ Name: "instance-state", Values: ["RUNNING", "STOPPED"] }] }, region);
    setInstances(r.InstanceSet.map((i: any) => ({ value: i.InstanceId, label: `${i.InstanceName} (${i.InstanceId})` })));
    setDialog({ kind: "associate", id });
  };
  return (
    <section>
      <div class="heading">
        <h1>{t("eips")}</h1>
        <button class="primary" onClick={() => setDialog({ kind: "allocate" })}>
          {t("allocate")}
        </button>
      </div>
      <ErrorBox error={error} />
      <Table caption={t("eips")} head={[t("id"), t("publicIp"), t("state"), t("instance"), ""]}>
        {(data?.AddressSet ?? []).map((a: any) => (
          <tr>
            <td>{a.AddressId}</td>
            <td>{a.AddressIp}</td>
            <td>{a.AddressStatus}</td>
            <td>{a.InstanceId ?? "-"}</td>
            <td>
              {a.InstanceId ? (
                <button onClick={() => setDialog({ kind: "disassociate", id: a.AddressId })}>{t("disassociate")}</button>
              ) : (
                <>
                  <button onClick={() => void openAssociate(a.AddressId)}>{t("associate")}</button>{" "}
                  <button class="danger" onClick={() => setDialog({ kind: "release", id: a.AddressId })}>
                    {t("release")}
                  </button>
                </>
              )}
            </td>
          </tr>
        ))}
      </Table>
      {dialog?.kind === "allocate" && (
        <ActionDialog
          title={t("allocate")}
          fields={[{ name: "AddressName", label: t("name"), optional: true }]}
          onClose={() => setDialog(undefined)}
          run={async (v) => {
            await call("vpc", "AllocateAddresses", { AddressCount: 1, ...(v.AddressName ? { AddressName: v.AddressName } : {}) }, region);
            reload();
          }}
        />
      )}
      {dialog && dialog.kind !== "allocate" && (
        <ActionDialog
          title={`${t(dialog.kind)} ${dialog.id}`}
          danger={dialog.kind === "release"}
          fields={dialog.kind === "associate" ? [{ name: "InstanceId", label: t("instance"), kind: "select", options: instances }] : []}
          onClose={() => setDialog(undefined)}
          run={async (v) => {
            if (dialog.kind === "associate") await call("vpc", "AssociateAddress", { AddressId: dialog.id, InstanceId: v.InstanceId }, region);
            if (dialog.kind === "disassociate") await call("vpc", "DisassociateAddress", { AddressId: dialog.id }, region);
            if (dialog.kind === "release") await call("vpc", "ReleaseAddresses", { AddressIds: [dialog.id] }, region);
            reload();
          }}
        />
      )}
    </section>
  );
}
