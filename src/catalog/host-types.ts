// The dedicated host (CDH) types OpenCVM sells by default. HS1 is the type AllocateHosts buys when it names none; the
// others carry one instance family each, as the real cloud's HS50, HM50, HC50 and HSA20 hosts do. Capacities are of
// the real hosts' order of magnitude; a month of a host costs what its vCPUs and memory would cost as monthly
// instances of its family, less a tenth. Figures are illustrative, not Tencent's.
import type { HostTypeEntry } from "../domain/catalog.js";
import { money } from "../domain/pricing.js";
import { FAMILY_ROWS } from "./instance-types.js";

/** A month of a monthly instance costs this share of 720 pay-as-you-go hours (as in prices.ts). */
const MONTHLY_SHARE = 0.66;
/** A host costs this share of the instances it could hold. */
const HOST_SHARE = 0.9;

type Row = [hostType: string, families: string[], cpu: number, memory: number, disk: number, diskType: string];

const ROWS: Row[] = [
  ["HS1", ["S5"], 96, 384, 4000, "LOCAL_BASIC"],
  ["HS50", ["S5"], 176, 352, 7000, "LOCAL_BASIC"],
  ["HM50", ["M5"], 176, 1408, 7000, "LOCAL_BASIC"],
  ["HC50", ["C5"], 176, 352, 7000, "LOCAL_SSD"],
  ["HSA20", ["SA2"], 224, 448, 7000, "LOCAL_BASIC"],
];

function monthlyPrice(families: string[], cpu: number, memory: number): number {
  const rate = FAMILY_ROWS.find((f) => f.family === families[0])!.rate;
  return money(((cpu * rate.cpu + memory * rate.memory) / 1000) * 720 * MONTHLY_SHARE * HOST_SHARE);
}

export const DEFAULT_HOST_TYPES: HostTypeEntry[] = ROWS.map(([hostType, families, cpu, memory, disk, diskType]) => ({
  hostType,
  families,
  cpu,
  memory,
  disk,
  diskType,
  monthlyPrice: monthlyPrice(families, cpu, memory),
}));
