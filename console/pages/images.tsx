// Images: public, custom and shared ones (DescribeImages by image-type); a custom image can be made from an instance,
// copied to another region, shared with an account, and deleted; the steps of the work under way shown as it runs.
import { useState } from "preact/hooks";
import { call } from "../api.js";
import { useFormat } from "../format.js";
import { useT } from "../i18n.js";
import { ActionDialog } from "../components/action-dialog.js";
import { Steps } from "../components/steps.js";
import { ErrorBox, Table, useLoad } from "../components/ui.js";
import { useLiveStates, useTrails } from "../live.js";

const KINDS = [
  { type: "PUBLIC_IMAGE", key: "public" },
  { type: "PRIVATE_IMAGE", key: "custom" },
  { type: "SHARED_IMAGE", key: "shared" },
] as const;

/** The operations that make or move an image: their steps are shown here as they run. */
const IMAGE_WORK = ["CreateImage", "SyncImages", "ImportImage", "ExportImages"];

type Dialog = { kind: "create" } | { kind: "copy" | "share" | "delete"; id: string };

export function Images({ region }: { region: string }) {
  const t = useT();
  const f = useFormat();
  const [kind, setKind] = useState<(typeof KINDS)[number]["type"]>("PUBLIC_IMAGE");
  const { data, error, reload } = useLoad(() => call("cvm", "DescribeImages", { Limit: 100, Filters: [{ Name: "image-type", Values: [kind] }] }, region), [region, kind]);
  const regions = useLoad(() => call("cvm", "DescribeRegions"), []);
  const instances = useLoad(() => call("cvm", "DescribeInstances", { Limit: 100, Filters: [{ Name: "instance-state", Values: ["RUNNING", "STOPPED"] }] }, region), [region]);
  const [dialog, setDialog] = useState<Dialog>();
  const [trails, addTrail] = useTrails();
  useLiveStates(
    () => undefined,
    (trail) => {
      if (!IMAGE_WORK.includes(trail.Operation)) return;
      addTrail(trail);
      // A finished one changed an image's state (CREATING or SYNCING to NORMAL): read the list again.
      if (trail.Result) reload();
    },
  );
  const images: any[] = data?.ImageSet ?? [];
  // Work on an image this tab lists is shown in its row; the rest (a copy in another region) above the table.
  const work = Object.values(trails).filter((w) => !images.some((i) => i.ImageId === w.ResourceId));
  return (
    <section>
      <div class="heading">
        <h1>{t("images")}</h1>
        <button class="primary" onClick={() => setDialog({ kind: "create" })}>
          {t("createImage")}
        </button>
      </div>
      <div class="tabs" role="tablist">
        {KINDS.map((k) => (
          <button role="tab" aria-selected={kind === k.type} onClick={() => setKind(k.type)}>
            {t(k.key)}
          </button>
        ))}
      </div>
      <ErrorBox error={error} />
      {work.length > 0 && (
        <ul class="plain" aria-label={t("progress", { what: t("images") })}>
          {work.map((w) => (
            <li data-resource={w.ResourceId}>
              {w.Operation} <span class="muted">{w.ResourceId}</span>
              <Steps trail={w} />
            </li>
          ))}
        </ul>
      )}
      <Table caption={t("images")} head={[t("id"), t("name"), t("os"), t("state"), t("size"), ""]}>
        {images.map((i) => (
          <tr data-image={i.ImageId}>
            <td>{i.ImageId}</td>
            <td>{i.ImageName}</td>
            <td>{i.OsName}</td>
            <td data-state={i.ImageState}>
              {f.imageState(i.ImageState)}
              {trails[i.ImageId] && !trails[i.ImageId].Result && <Steps trail={trails[i.ImageId]} />}
            </td>
            <td>{i.ImageSize}</td>
            <td>
              {kind === "PRIVATE_IMAGE" && (
                <>
                  <button onClick={() => setDialog({ kind: "copy", id: i.ImageId })}>{t("copyTo")}</button>{" "}
                  <button onClick={() => setDialog({ kind: "share", id: i.ImageId })}>{t("shareWith")}</button>{" "}
                  <button class="danger" onClick={() => setDialog({ kind: "delete", id: i.ImageId })}>
                    {t("delete")}
                  </button>
                </>
              )}
            </td>
          </tr>
        ))}
      </Table>
      {dialog?.kind === "create" && (
        <ActionDialog
          title={t("createImage")}
          fields={[
            { name: "InstanceId", label: t("instance"), kind: "select", options: (instances.data?.InstanceSet ?? []).map((i: any) => ({ value: i.InstanceId, label: `${i.InstanceName} (${i.InstanceId})` })) },
            { name: "ImageName", label: t("name") },
          ]}
          onClose={() => setDialog(undefined)}
          run={async (v) => {
            await call("cvm", "CreateImage", v, region);
            reload();
          }}
        />
      )}
      {dialog && dialog.kind !== "create" && (
        <ActionDialog
          title={`${t(dialog.kind === "copy" ? "copyTo" : dialog.kind === "share" ? "shareWith" : "delete")}: ${dialog.id}`}
          danger={dialog.kind === "delete"}
          fields={
            dialog.kind === "copy"
              ? [{ name: "Region", label: t("region"), kind: "select", options: (regions.data?.RegionSet ?? []).filter((r: any) => r.Region !== region).map((r: any) => ({ value: r.Region, label: r.RegionName })) }]
              : dialog.kind === "share"
                ? [{ name: "Uin", label: t("uin") }]
                : []
          }
          onClose={() => setDialog(undefined)}
          run={async (v) => {
            if (dialog.kind === "copy") await call("cvm", "SyncImages", { ImageIds: [dialog.id], DestinationRegions: [v.Region] }, region);
            if (dialog.kind === "share") await call("cvm", "ModifyImageSharePermission", { ImageId: dialog.id, AccountIds: [v.Uin], Permission: "SHARE" }, region);
            if (dialog.kind === "delete") await call("cvm", "DeleteImages", { ImageIds: [dialog.id] }, region);
            reload();
          }}
        />
      )}
    </section>
  );
}
