// The purchase quotas per zone (DescribeAccountQuota), followed live: every instance change re-reads them, so
// launches made elsewhere (an SDK, another tab) show here as they happen.
import { useRef } from "preact/hooks";
import { call } from "../api.js";
import { useT } from "../i18n.js";
import { useLiveStates } from "../live.js";
import { ErrorBox, Table, useLoad } from "../components/ui.js";

export function Quota({ region }: { region: string }) {
  const t = useT();
  const { data, error, reload } = useLoad(() => call("cvm", "DescribeAccountQuota", {}, region), [region]);
  const timer = useRef<number>();
  useLiveStates(() => {
    clearTimeout(timer.current);
    timer.current = window.setTimeout(reload, 300);
  });
  const quota = data?.AccountQuotaOverview?.AccountQuota;
  const set = (title: string, rows: any[] | undefined) => (
    <>
      <h2>{title}</h2>
      <Table caption={title} head={[t("zone"), t("used"), t("remaining"), t("total")]}>
        {(rows ?? []).map((q) => (
          <tr data-zone={q.Zone}>
            <td>{q.Zone}</td>
            <td data-used={q.UsedQuota}>{q.UsedQuota}</td>
            <td>{q.RemainingQuota}</td>
            <td>{q.TotalQuota}</td>
          </tr>
        ))}
      </Table>
    </>
  );
  return (
    <section>
      <h1>{t("quota")}</h1>
      <ErrorBox error={error} />
      {set(t("postPaidQuota"), quota?.PostPaidQuotaSet)}
      {set(t("prePaidQuota"), quota?.PrePaidQuotaSet)}
    </section>
  );
}
