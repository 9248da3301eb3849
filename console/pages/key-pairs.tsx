// SSH key pairs: create one (its private key handed over once, as a download, then dropped), import a public key,
// delete.
import { useState } from "preact/hooks";
import { all, call } from "../api.js";
import { useT } from "../i18n.js";
import { ActionDialog } from "../components/action-dialog.js";
import { Dialog, ErrorBox, Table, useLoad } from "../components/ui.js";

export function KeyPairs({ region }: { region: string }) {
  const t = useT();
  const { data, error, reload } = useLoad(() => all<any>("cvm", "DescribeKeyPairs", "KeyPairSet", {}, region), [region]);
  const [dialog, setDialog] = useState<"create" | "import" | { delete: string }>();
  const [secret, setSecret] = useState<{ name: string; key: string }>();
  const [downloaded, setDownloaded] = useState(false);
  const download = () => {
    const url = URL.createObjectURL(new Blob([secret!.key], { type: "application/x-pem-file" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${secret!.name}.pem`;
    a.click();
    URL.revokeObjectURL(url);
    setSecret(undefined);
    setDownloaded(true);
  };
  return (
    <section>
      <div class="heading">
        <h1>{t("keyPairs")}</h1>
        <button class="primary" onClick={() => setDialog("create")}>
          {t("create")}
        </button>
        <button onClick={() => setDialog("import")}>{t("import")}</button>
      </div>
      <ErrorBox error={error} />
      {downloaded && (
        <p class="notice" role="status">
          {t("downloaded")}
        </p>
      )}
      <Table caption={t("keyPairs")} head={[t("id"), t("name"), t("fingerprint"), t("instances"), ""]}>
        {(data ?? []).map((k) => (
          <tr>
            <td>{k.KeyId}</td>
            <td>{k.KeyName}</td>
            <td class="mono">{k.PublicKey?.split(" ")[0]}</td>
            <td>{(k.AssociatedInstanceIds ?? []).join(", ")}</td>
            <td>
              <button class="danger" onClick={() => setDialog({ delete: k.KeyId })}>
                {t("delete")} <span class="sr-only">{k.KeyName}</span>
              </button>
            </td>
          </tr>
        ))}
      </Table>
      {dialog === "create" && (
        <ActionDialog
          title={t("create")}
          fields={[{ name: "KeyName", label: t("name") }]}
          onClose={() => setDialog(undefined)}
          run={async (v) => {
            const r = await call("cvm", "CreateKeyPair", { KeyName: v.KeyName, ProjectId: 0 }, region);
            setDownloaded(false);
            setSecret({ name: r.KeyPair.KeyName, key: r.KeyPair.PrivateKey });
            reload();
          }}
        />
      )}
      {dialog === "import" && (
        <ActionDialog
          title={t("import")}
          fields={[
            { name: "KeyName", label: t("name") },
            { name: "PublicKey", label: t("publicKey") },
          ]}
          onClose={() => setDialog(undefined)}
          run={async (v) => {
            await call("cvm", "ImportKeyPair", { KeyName: v.KeyName, PublicKey: v.PublicKey, ProjectId: 0 }, region);
            reload();
          }}
        />
      )}
      {typeof dialog === "object" && (
        <ActionDialog
          title={`${t("delete")} ${dialog.delete}`}
          danger
          fields={[]}
          onClose={() => setDialog(undefined)}
          run={async () => {
            await call("cvm", "DeleteKeyPairs", { KeyIds: [dialog.delete] }, region);
            reload();
          }}
        />
      )}
      {secret && (
        <Dialog title={secret.name} onClose={() => setSecret(undefined)}>
          <p>{t("privateKeyOnce")}</p>
          <div class="buttons">
            <button class="primary" onClick={download}>
              {t("downloadKey")}
            </button>
            <button onClick={() => setSecret(undefined)}>{t("close")}</button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
