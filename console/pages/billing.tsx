// The balance (DescribeAccountBalance, in cents) and a month's bills (DescribeBillDetail, every page), drawn as
// spending per day stacked by product in an inline SVG chart, with the totals per product beside it.
import { useState } from "preact/hooks";
import { call } from "../api.js";
import { useFormat, type Format } from "../format.js";
import { useT } from "../i18n.js";
import { ErrorBox, Field, Table, useLoad } from "../components/ui.js";

const COLORS = ["#1f6feb", "#d4640c", "#2f8a3b", "#8250df", "#bf3989", "#6e7781"];
const PAGE = 100;

interface Spend {
  days: string[];
  products: string[];
  /** day → product → amount */
  by: Map<string, Map<string, number>>;
}

async function monthSpend(month: string): Promise<Spend> {
  const by = new Map<string, Map<string, number>>();
  const products = new Set<string>();
  for (let offset = 0; ; offset += PAGE) {
    const r = await call("billing", "DescribeBillDetail", { Month: month, Offset: offset, Limit: PAGE });
    for (const line of r.DetailSet as any[]) {
      const day = String(line.FeeBeginTime).slice(0, 10);
      const cost = (line.ComponentSet as any[]).reduce((sum, c) => sum + Number(c.RealCost), 0);
      const product = line.BusinessCodeName as string;
      products.add(product);
      const d = by.get(day) ?? new Map<string, number>();
      d.set(product, (d.get(product) ?? 0) + cost);
      by.set(day, d);
    }
    if (r.DetailSet.length < PAGE) break;
  }
  return { days: [...by.keys()].sort(), products: [...products].sort(), by };
}

function Chart({ spend, title, f }: { spend: Spend; title: string; f: Format }) {
  const W = 640;
  const H = 220;
  const pad = 40;
  const totals = spend.days.map((d) => [...spend.by.get(d)!.values()].reduce((a, b) => a + b, 0));
  const max = Math.max(0.01, ...totals);
  // A month's days fill the width; a few days keep bars of a readable width.
  const bar = Math.min(48, (W - pad) / Math.max(1, spend.days.length));
  return (
    <svg viewBox={`0 0 ${W} ${H + 30}`} role="img" aria-label={title} class="chart">
      <title>{title}</title>
      <line x1={pad} y1={H} x2={W} y2={H} stroke="currentColor" />
      <text x={0} y={12} font-size="11" fill="currentColor">
        {f.number(max, 2)}
      </text>
      {spend.days.map((day, i) => {
        let y = H;
        return (
          <g>
            {spend.products.map((p, j) => {
              const v = spend.by.get(day)!.get(p) ?? 0;
              const h = (v / max) * (H - 20);
              y -= h;
              return (
                <rect x={pad + i * bar + 2} y={y} width={Math.max(1, bar - 4)} height={h} fill={COLORS[j % COLORS.length]}>
                  <title>{`${day} ${p}: ${f.number(v, 2)}`}</title>
                </rect>
              );
            })}
            <text x={pad + i * bar + bar / 2} y={H + 14} font-size="10" text-anchor="middle" fill="currentColor">
              {day.slice(8)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function Billing() {
  const t = useT();
  const f = useFormat();
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const balance = useLoad(() => call("billing", "DescribeAccountBalance"), []);
  const spend = useLoad(() => monthSpend(month), [month]);
  const byProduct = spend.data ? spend.data.products.map((p) => [p, spend.data!.days.reduce((sum, d) => sum + (spend.data!.by.get(d)!.get(p) ?? 0), 0)] as const) : [];
  return (
    <section>
      <h1>{t("billing")}</h1>
      <ErrorBox error={balance.error ?? spend.error} />
      <p class="big">
        {t("balance")}: <strong>{balance.data ? f.number(balance.data.RealBalance / 100, 2) : "…"}</strong>
      </p>
      <Field label={t("month")}>{(id) => <input id={id} type="month" value={month} onChange={(e) => setMonth((e.target as HTMLInputElement).value)} />}</Field>
      <h2>{t("spendByDay")}</h2>
      {spend.data && <Chart spend={spend.data} title={t("spendByDay")} f={f} />}
      <ul class="legend">
        {(spend.data?.products ?? []).map((p, j) => (
          <li>
            <span class="swatch" style={{ background: COLORS[j % COLORS.length] }} /> {p}
          </li>
        ))}
      </ul>
      <h2>{t("spendByProduct")}</h2>
      <Table caption={t("spendByProduct")} head={[t("name"), t("amount")]}>
        {byProduct.map(([p, v]) => (
          <tr>
            <td>{p}</td>
            <td>{f.number(v, 2)}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
