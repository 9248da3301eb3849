// The disk types and internet charge types OpenCVM sells by default, with the sizes and bandwidth caps the real
// cloud documents or practises (system disks 20-1024 GiB; data disks up to 32000 GiB in steps of 10; SSD-class data
// disks from 20 GiB; public bandwidth up to 200 Mbps). Listing order matters: the first disk type that can be a
// system (data) disk is the default one, and the first internet charge type an instance charge type allows is its
// default (so monthly instances default to monthly bandwidth, as documented, and the others to traffic).
import type { CatalogFile } from "../domain/catalog-file.js";

const SYSTEM = { min: 20, max: 1024 };

export const DEFAULT_DISK_TYPES: CatalogFile["diskTypes"] = [
  { diskType: "CLOUD_PREMIUM", systemDisk: SYSTEM, dataDisk: { min: 10, max: 32000, step: 10 } },
  { diskType: "CLOUD_BSSD", systemDisk: SYSTEM, dataDisk: { min: 20, max: 32000, step: 10 } },
  { diskType: "CLOUD_SSD", systemDisk: SYSTEM, dataDisk: { min: 20, max: 32000, step: 10 } },
  { diskType: "CLOUD_HSSD", systemDisk: SYSTEM, dataDisk: { min: 20, max: 32000, step: 10 } },
  { diskType: "CLOUD_TSSD", systemDisk: SYSTEM, dataDisk: { min: 20, max: 32000, step: 10 } },
  { diskType: "CLOUD_BASIC", systemDisk: SYSTEM, dataDisk: { min: 10, max: 32000, step: 10 } },
];

export const DEFAULT_INTERNET_CHARGE_TYPES: CatalogFile["internetChargeTypes"] = [
  { internetChargeType: "BANDWIDTH_PREPAID", description: { "en-US": "Monthly bandwidth", "zh-CN": "按带宽包年包月计费" }, maxBandwidthOut: 200, instanceChargeTypes: ["PREPAID"] },
  {
    internetChargeType: "TRAFFIC_POSTPAID_BY_HOUR",
    description: { "en-US": "Pay-as-you-go by traffic", "zh-CN": "按流量计费" },
    maxBandwidthOut: 200,
    instanceChargeTypes: ["POSTPAID_BY_HOUR", "PREPAID", "SPOTPAID"],
  },
  {
    internetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR",
    description: { "en-US": "Pay-as-you-go by bandwidth", "zh-CN": "按带宽使用时长计费" },
    maxBandwidthOut: 200,
    instanceChargeTypes: ["POSTPAID_BY_HOUR", "PREPAID", "SPOTPAID"],
  },
];
