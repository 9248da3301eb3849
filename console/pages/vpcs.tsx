// VPCs and their subnets: list, create, delete.
import { useState } from "preact/hooks";
import { all, call } from "../api.js";
import { useT } from "../i18n.js";
import { ActionDialog } from "../components/action-dialog.js";
import { ErrorBox, Table, useLoad } from "../components/ui.js";

export function Vpcs({ region }: { region: string }) {
  const t = useT();
  const vpcs = useLoad(() => all<any>("vpc", "DescribeVpcs", "VpcSet", {}, region), [region]);
  const subnets = useLoad(() => all<any>("vpc", "DescribeSubnets", "SubnetSet", {}, region), [region]);
  const zones = useLoad(() => call("cvm", "DescribeZones", {}, region), [region]);
  const [dialog, setDialog] = useState<"vpc" | "subnet" | { vpc: string } | { subnet: string }>();
  const reload = () => {
    vpcs.reload();
    subnets.reload();
  };
  return (
    <section>
      <div class="heading">
        <h1>{t("vpcs")}</h1>
        <button class="primary" onClick={() => setDialog("vpc")}>
          {t("create")} {t("vpc")}
        </button>
        <button onClick={() => setDialog("subnet")}>
          {t("create")} {t("subnet")}
        </button>
      </div>
      <ErrorBox error={vpcs.error ?? subnets.error} />
      <Table caption={t("vpc")} head={[t("id"), t("name"), t("cidr"), ""]}>
        {(vpcs.data ?? []).map((v) => (
          <tr>
            <td>{v.VpcId}</td>
            <td>{v.VpcName}</td>
            <td>{v.CidrBlock}</td>
            <td>
              {!v.IsDefault && (
                <button class="danger" onClick={() => setDialog({ vpc: v.VpcId })}>
                  {t("delete")} <span class="sr-only">{v.VpcId}</span>
                </button>
              )}
            </td>
          </tr>
        ))}
      </Table>
      <h2>{t("subnet")}</h2>
      <Table caption={t("subnet")} head={[t("id"), t("name"), t("vpc"), t("zone"), t("cidr"), ""]}>
        {(subnets.data ?? []).map((s) => (
          <tr>
            <td>{s.SubnetId}</td>
            <td>{s.SubnetName}</td>
            <td>{s.VpcId}</td>
            <td>{s.Zone}</td>
            <td>{s.CidrBlock}</td>
            <td>
              {!s.IsDefault && (
                <button class="danger" onClick={() => setDialog({ subnet: s.SubnetId })}>
                  {t("delete")} <span class="sr-only">{s.SubnetId}</span>
                </button>
              )}
            </td>
          </tr>
        ))}
      </Table>
      {dialog === "vpc" && (
        <ActionDialog
          title={`${t("create")} ${t("vpc")}`}
          fields={[
            { name: "VpcName", label: t("name") },
            { name: "CidrBlock", label: t("cidr"), initial: "10.0.0.0/16" },
          ]}
          onClose={() => setDialog(undefined)}
          run={async (v) => {
            await call("vpc", "CreateVpc", v, region);
            reload();
          }}
        />
      )}
      {dialog === "subnet" && (
        <ActionDialog
          title={`${t("create")} ${t("subnet")}`}
          fields={[
            { name: "VpcId", label: t("vpc"), kind: "select", options: (vpcs.data ?? []).map((v) => ({ value: v.VpcId, label: `${v.VpcName} (${v.VpcId})` })) },
            { name: "SubnetName", label: t("name") },
            { name: "CidrBlock", label: t("cidr"), initial: "10.0.1.0/24" },
            { name: "Zone", label: t("zone"), kind: "select", options: (zones.data?.ZoneSet ?? []).map((z: any) => ({ value: z.Zone, label: z.ZoneName })) },
          ]}
          onClose={() => setDialog(undefined)}
          run={async (v) => {
            await call("vpc", "CreateSubnet", v, region);
            reload();
          }}
        />
      )}
      {typeof dialog === "object" && (
        <ActionDialog
          title={`${t("delete")} ${"vpc" in dialog ? dialog.vpc : dialog.subnet}`}
          danger
          fields={[]}
          onClose={() => setDialog(undefined)}
          run={async () => {
            await ("vpc" in dialog ? call("vpc", "DeleteVpc", { VpcId: dialog.vpc }, region) : call("vpc", "DeleteSubnet", { SubnetId: dialog.subnet }, region));
            reload();
          }}
        />
      )}
    </section>
  );
}
