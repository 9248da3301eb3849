// Security groups and their rules: a list of groups, and for the one opened its inbound and outbound rules, each
// direction a table with rows to add and delete (CreateSecurityGroupPolicies, DeleteSecurityGroupPolicies by index).
import { useState } from "preact/hooks";
import { all, call } from "../api.js";
import { useT } from "../i18n.js";
import { ActionDialog } from "../components/action-dialog.js";
import { ErrorBox, Table, useLoad } from "../components/ui.js";

type Direction = "Ingress" | "Egress";

export function SecurityGroups({ region }: { region: string }) {
  const t = useT();
  const groups = useLoad(() => all<any>("vpc", "DescribeSecurityGroups", "SecurityGroupSet", {}, region), [region]);
  const [open, setOpen] = useState<string>();
  const [creating, setCreating] = useState(false);
  return (
    <section>
      <div class="heading">
        <h1>{t("securityGroups")}</h1>
        <button class="primary" onClick={() => setCreating(true)}>
          {t("create")}
        </button>
      </div>
      <ErrorBox error={groups.error} />
      <Table caption={t("securityGroups")} head={[t("id"), t("name"), t("description"), ""]}>
        {(groups.data ?? []).map((g) => (
          <tr>
            <td>{g.SecurityGroupId}</td>
            <td>{g.SecurityGroupName}</td>
            <td>{g.SecurityGroupDesc}</td>
            <td>
              <button onClick={() => setOpen(g.SecurityGroupId)} aria-expanded={open === g.SecurityGroupId}>
                {t("rules")} <span class="sr-only">{g.SecurityGroupName}</span>
              </button>
            </td>
          </tr>
        ))}
      </Table>
      {open && <Rules region={region} id={open} />}
      {creating && (
        <ActionDialog
          title={t("create")}
          fields={[
            { name: "GroupName", label: t("name") },
            { name: "GroupDescription", label: t("description") },
          ]}
          onClose={() => setCreating(false)}
          run={async (v) => {
            const r = await call("vpc", "CreateSecurityGroup", v, region);
            groups.reload();
            setOpen(r.SecurityGroup.SecurityGroupId);
          }}
        />
      )}
    </section>
  );
}

function Rules({ region, id }: { region: string; id: string }) {
  const t = useT();
  const { data, error, reload } = useLoad(() => call("vpc", "DescribeSecurityGroupPolicies", { SecurityGroupId: id }, region), [region, id]);
  const [adding, setAdding] = useState<Direction>();
  const [changeError, setChangeError] = useState<unknown>();
  const remove = async (direction: Direction, index: number) => {
    setChangeError(undefined);
    try {
      await call("vpc", "DeleteSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Version: data.SecurityGroupPolicySet.Version, [direction]: [{ PolicyIndex: index }] } }, region);
      reload();
    } catch (e) {
      setChangeError(e);
    }
  };
  return (
    <section aria-label={`${t("rules")} ${id}`}>
      <h2>
        {t("rules")}: {id}
      </h2>
      <ErrorBox error={error ?? changeError} />
      {(["Ingress", "Egress"] as const).map((direction) => (
        <div class="rules" data-direction={direction}>
          <div class="heading">
            <h3>{t(direction === "Ingress" ? "ingress" : "egress")}</h3>
            <button onClick={() => setAdding(direction)}>
              {t("addRule")} <span class="sr-only">{direction}</span>
            </button>
          </div>
          <Table caption={direction} head={["#", t("protocol"), t("port"), direction === "Ingress" ? t("source") : t("destination"), t("policy"), t("description"), ""]}>
            {(data?.SecurityGroupPolicySet?.[direction] ?? []).map((r: any) => (
              <tr>
                <td>{r.PolicyIndex}</td>
                <td>{r.Protocol}</td>
                <td>{r.Port}</td>
                <td>{r.CidrBlock || r.SecurityGroupId || r.Ipv6CidrBlock}</td>
                <td>{r.Action}</td>
                <td>{r.PolicyDescription}</td>
                <td>
                  <button class="danger" onClick={() => remove(direction, r.PolicyIndex)}>
                    {t("delete")} <span class="sr-only">#{r.PolicyIndex}</span>
                  </button>
                </td>
              </tr>
            ))}
          </Table>
        </div>
      ))}
      {adding && (
        <ActionDialog
          title={`${t("addRule")}: ${t(adding === "Ingress" ? "ingress" : "egress")}`}
          fields={[
            { name: "Protocol", label: t("protocol"), kind: "select", options: ["TCP", "UDP", "ICMP", "ALL"].map((p) => ({ value: p, label: p })) },
            { name: "Port", label: t("port"), initial: "22" },
            { name: "CidrBlock", label: t("cidr"), initial: "0.0.0.0/0" },
            { name: "Action", label: t("policy"), kind: "select", options: ["ACCEPT", "DROP"].map((p) => ({ value: p, label: p })) },
            { name: "PolicyDescription", label: t("description"), optional: true },
          ]}
          onClose={() => setAdding(undefined)}
          run={async (v) => {
            const rule = { ...v, ...(v.Protocol === "ICMP" || v.Protocol === "ALL" ? { Port: "ALL" } : {}) };
            await call("vpc", "CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { [adding]: [rule] } }, region);
            reload();
          }}
        />
      )}
    </section>
  );
}
