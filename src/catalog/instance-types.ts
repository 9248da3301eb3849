// The instance types OpenCVM sells by default: real families and sizes (vCPU, GiB), sold in every available zone.
import type { InstanceTypeEntry } from "../domain/catalog.js";

interface FamilyRow {
  family: string;
  name: [en: string, zh: string];
  sizes: [suffix: string, cpu: number, memory: number][];
}

const FAMILIES: FamilyRow[] = [
  {
    family: "S5",
    name: ["Standard S5", "标准型S5"],
    sizes: [
      ["SMALL1", 1, 1], ["SMALL2", 1, 2], ["SMALL4", 1, 4], ["MEDIUM2", 2, 2], ["MEDIUM4", 2, 4], ["MEDIUM8", 2, 8],
      ["LARGE8", 4, 8], ["LARGE16", 4, 16], ["2XLARGE16", 8, 16], ["2XLARGE32", 8, 32], ["4XLARGE32", 16, 32], ["4XLARGE64", 16, 64],
    ],
  },
  {
    family: "SA2",
    name: ["Standard SA2", "标准型SA2"],
    sizes: [["SMALL1", 1, 1], ["SMALL2", 1, 2], ["SMALL4", 1, 4], ["MEDIUM4", 2, 4], ["MEDIUM8", 2, 8], ["LARGE8", 4, 8], ["LARGE16", 4, 16], ["2XLARGE32", 8, 32]],
  },
  {
    family: "M5",
    name: ["Memory Optimized M5", "内存型M5"],
    sizes: [["SMALL8", 1, 8], ["MEDIUM16", 2, 16], ["LARGE32", 4, 32], ["2XLARGE64", 8, 64]],
  },
];

export const DEFAULT_INSTANCE_TYPES: InstanceTypeEntry[] = FAMILIES.flatMap((f) =>
  f.sizes.map(([suffix, cpu, memory]) => ({
    instanceType: `${f.family}.${suffix}`,
    family: f.family,
    familyName: { "en-US": f.name[0], "zh-CN": f.name[1] },
    cpu,
    memory,
    architecture: "x86_64" as const,
  })),
);
