// The instance families and types OpenCVM sells by default: real families and sizes (vCPU, GiB, GPUs), their
// processors and network figures, and which zones offer them. The general-purpose families (S5, SA2, M5) are offered
// in every zone of their regions (sold out where the zone is); newer and special families in the zones listed, as
// in the real cloud, where not every zone has every family. A few types are sold out in a zone, so clients meet
// SOLD_OUT. Figures are illustrative, of the real cloud's order of magnitude.
import type { CatalogFile } from "../domain/catalog-file.js";
import { REGION_ROWS } from "./regions.js";

export interface FamilyRow {
  family: string;
  name: [en: string, zh: string];
  architecture: "x86_64" | "arm";
  cpuType: string;
  frequency: string;
  /** ap-guangzhou's pay-as-you-go price per hour, in thousandths of a CNY: per vCPU, per GiB, per GPU card. */
  rate: { cpu: number; memory: number; gpu?: number };
  /** Sold as spot instances too. */
  spot: boolean;
  gpu?: { type: string; memory: number };
  /** Every zone of every region but those listed, or exactly the zones listed. */
  zones: { allBut: string[] } | { only: string[] };
  sizes: [suffix: string, cpu: number, memory: number, gpus?: number][];
}

const CASCADE_LAKE = "Intel Xeon Cascade Lake 8255C";

export const FAMILY_ROWS: FamilyRow[] = [
  {
    family: "S5",
    name: ["Standard S5", "标准型S5"],
    architecture: "x86_64",
    cpuType: CASCADE_LAKE,
    frequency: "2.5GHz/3.1GHz",
    rate: { cpu: 110, memory: 35 },
    spot: true,
    zones: { allBut: [] },
    sizes: [
      ["SMALL1", 1, 1], ["SMALL2", 1, 2], ["SMALL4", 1, 4], ["MEDIUM2", 2, 2], ["MEDIUM4", 2, 4], ["MEDIUM8", 2, 8],
      ["LARGE8", 4, 8], ["LARGE16", 4, 16], ["2XLARGE16", 8, 16], ["2XLARGE32", 8, 32], ["4XLARGE32", 16, 32], ["4XLARGE64", 16, 64],
    ],
  },
  {
    family: "SA2",
    name: ["Standard SA2", "标准型SA2"],
    architecture: "x86_64",
    cpuType: "AMD EPYC ROME",
    frequency: "2.6GHz/3.3GHz",
    rate: { cpu: 95, memory: 30 },
    spot: true,
    zones: { allBut: ["ap-shenzhen-fsi", "ap-shanghai-fsi", "ap-jakarta", "sa-saopaulo"] },
    sizes: [["SMALL1", 1, 1], ["SMALL2", 1, 2], ["SMALL4", 1, 4], ["MEDIUM4", 2, 4], ["MEDIUM8", 2, 8], ["LARGE8", 4, 8], ["LARGE16", 4, 16], ["2XLARGE32", 8, 32]],
  },
  {
    family: "M5",
    name: ["Memory Optimized M5", "内存型M5"],
    architecture: "x86_64",
    cpuType: CASCADE_LAKE,
    frequency: "2.5GHz/3.1GHz",
    rate: { cpu: 110, memory: 30 },
    spot: true,
    zones: { allBut: [] },
    sizes: [["SMALL8", 1, 8], ["MEDIUM16", 2, 16], ["LARGE32", 4, 32], ["2XLARGE64", 8, 64]],
  },
  {
    family: "S6",
    name: ["Standard S6", "标准型S6"],
    architecture: "x86_64",
    cpuType: "Intel Xeon Ice Lake 8374C",
    frequency: "2.7GHz/3.3GHz",
    rate: { cpu: 115, memory: 36 },
    spot: true,
    zones: {
      only: [
        "ap-guangzhou-6", "ap-guangzhou-7", "ap-shanghai-4", "ap-shanghai-5", "ap-shanghai-8", "ap-beijing-5", "ap-beijing-6", "ap-beijing-7",
        "ap-nanjing-1", "ap-nanjing-2", "ap-nanjing-3", "ap-chengdu-2", "ap-hongkong-2", "ap-hongkong-3", "ap-singapore-3", "ap-singapore-4",
        "ap-tokyo-2", "na-siliconvalley-2", "eu-frankfurt-2",
      ],
    },
    sizes: [["MEDIUM4", 2, 4], ["MEDIUM8", 2, 8], ["LARGE8", 4, 8], ["LARGE16", 4, 16], ["2XLARGE16", 8, 16], ["2XLARGE32", 8, 32], ["4XLARGE32", 16, 32], ["4XLARGE64", 16, 64]],
  },
  {
    family: "C5",
    name: ["Compute Optimized C5", "计算型C5"],
    architecture: "x86_64",
    cpuType: "Intel Xeon Cascade Lake 6231C",
    frequency: "3.4GHz/3.6GHz",
    rate: { cpu: 140, memory: 35 },
    spot: true,
    zones: {
      only: ["ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-6", "ap-shanghai-2", "ap-shanghai-3", "ap-shanghai-4", "ap-beijing-3", "ap-beijing-5", "ap-beijing-6", "ap-chengdu-1", "ap-hongkong-2", "ap-singapore-3"],
    },
    sizes: [["LARGE8", 4, 8], ["2XLARGE16", 8, 16], ["4XLARGE32", 16, 32]],
  },
  {
    family: "SR1",
    name: ["Standard ARM SR1", "标准型SR1"],
    architecture: "arm",
    cpuType: "Ampere Altra",
    frequency: "2.8GHz",
    rate: { cpu: 85, memory: 28 },
    spot: true,
    zones: { only: ["ap-guangzhou-6", "ap-guangzhou-7", "ap-shanghai-5", "ap-beijing-7", "ap-nanjing-3"] },
    sizes: [["MEDIUM4", 2, 4], ["LARGE8", 4, 8], ["2XLARGE16", 8, 16], ["4XLARGE32", 16, 32]],
  },
  {
    family: "GN7",
    name: ["GPU Compute GN7", "GPU计算型GN7"],
    architecture: "x86_64",
    cpuType: CASCADE_LAKE,
    frequency: "2.5GHz/3.1GHz",
    rate: { cpu: 110, memory: 35, gpu: 5500 },
    spot: false,
    gpu: { type: "NVIDIA T4", memory: 16 },
    zones: {
      only: [
        "ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-6", "ap-shanghai-2", "ap-shanghai-4", "ap-shanghai-5", "ap-beijing-3", "ap-beijing-5", "ap-beijing-6",
        "ap-nanjing-1", "ap-chengdu-1", "ap-hongkong-2", "ap-singapore-3", "na-siliconvalley-2", "eu-frankfurt-1",
      ],
    },
    sizes: [["2XLARGE32", 8, 32, 1], ["5XLARGE80", 20, 80, 1], ["10XLARGE160", 40, 160, 2], ["20XLARGE320", 80, 320, 4]],
  },
  {
    // An HPC family: its instances launch into an HPC cluster (HpcClusterId) and talk over RDMA.
    family: "HCCIC5",
    name: ["HPC Cluster HCCIC5", "高性能计算集群HCCIC5"],
    architecture: "x86_64",
    cpuType: "Intel Xeon Cascade Lake 6271C",
    frequency: "2.6GHz/3.3GHz",
    rate: { cpu: 120, memory: 35 },
    spot: false,
    zones: { only: ["ap-guangzhou-6", "ap-guangzhou-7", "ap-shanghai-5", "ap-beijing-5"] },
    sizes: [["24XLARGE384", 96, 384]],
  },
];

/** Types sold out in some zones that otherwise offer them. */
const SOLD_OUT: Record<string, string[]> = {
  "S5.4XLARGE64": ["ap-guangzhou-4"],
  "M5.2XLARGE64": ["ap-shanghai-2"],
  "C5.4XLARGE32": ["ap-shanghai-3"],
  "GN7.10XLARGE160": ["ap-guangzhou-3", "ap-beijing-3"],
  "GN7.20XLARGE320": ["ap-guangzhou-3", "ap-guangzhou-4", "ap-beijing-3"],
};

/** Every zone of the default regions with whether it is available. */
const ALL_ZONES = REGION_ROWS.flatMap((r) => r.zones.map((n) => ({ region: r.region, zone: `${r.region}-${n}`, available: !r.unavailable?.includes(n) })));

/** The private network of a type, roughly as the real cloud scales it with vCPUs. */
function network(cpu: number): { bandwidth: number; pps: number } {
  return { bandwidth: cpu <= 4 ? 1.5 : Math.min(25, cpu * 0.375), pps: cpu <= 1 ? 25 : cpu <= 2 ? 30 : Math.min(1200, cpu * 12.5) };
}

function zonesOf(f: FamilyRow, instanceType: string): Record<string, "SELL" | "SOLD_OUT"> {
  const offered =
    "only" in f.zones ? ALL_ZONES.filter((z) => (f.zones as { only: string[] }).only.includes(z.zone)) : ALL_ZONES.filter((z) => !(f.zones as { allBut: string[] }).allBut.includes(z.region));
  return Object.fromEntries(offered.map((z) => [z.zone, z.available && !SOLD_OUT[instanceType]?.includes(z.zone) ? "SELL" : "SOLD_OUT"]));
}

export const DEFAULT_FAMILIES: CatalogFile["instanceFamilies"] = FAMILY_ROWS.map((f) => ({
  family: f.family,
  name: { "en-US": f.name[0], "zh-CN": f.name[1] },
  architecture: f.architecture,
  cpuType: f.cpuType,
  frequency: f.frequency,
}));

export const DEFAULT_INSTANCE_TYPES: CatalogFile["instanceTypes"] = FAMILY_ROWS.flatMap((f) =>
  f.sizes.map(([suffix, cpu, memory, gpus]) => {
    const instanceType = `${f.family}.${suffix}`;
    return {
      instanceType,
      family: f.family,
      cpu,
      memory,
      ...(f.gpu && gpus ? { gpu: { count: gpus, type: f.gpu.type, memory: f.gpu.memory } } : {}),
      network: { ...network(cpu), networkCard: f.gpu ? 25 : 0 },
      zones: zonesOf(f, instanceType),
    };
  }),
);
