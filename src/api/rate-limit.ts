// Per-account token buckets for each action of each service: the real cloud throttles each action per account with
// RequestLimitExceeded, and limits are per service, so cvm's DescribeZones and api's do not share one. A bucket holds
// one second's worth of requests and refills continuously. One node keeps its buckets in memory; nodes that share a
// database keep them there, so the limit holds for the whole cloud.
import type { RateBucketRepo } from "../store/store.js";

/** Requests per second the real cloud documents (shared/cvm-api/limits.md), by service; every other action gets 20. */
export const DOCUMENTED_RATES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  cvm: {
    DescribeInstances: 40,
    DescribeImages: 40,
    DescribeInstanceTypeConfigs: 40,
    DescribeZoneInstanceConfigInfos: 40,
    DescribeZones: 20,
    RunInstances: 10,
    StartInstances: 10,
    StopInstances: 10,
    RebootInstances: 10,
    TerminateInstances: 10,
    ResetInstance: 10,
    InquiryPriceRunInstances: 10,
    CreateKeyPair: 10,
    ImportImage: 10,
    CreateDisasterRecoverGroup: 10,
    DescribeInstancesOperationLimit: 10,
  },
  vpc: { AllocateAddresses: 10, AssociateAddress: 10 },
};
export const DEFAULT_RATE = 20;

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly setting: "default" | "off" | number,
    private readonly now: () => number = () => performance.now(),
    private readonly shared?: RateBucketRepo,
  ) {}

  rate(service: string, action: string): number {
    if (typeof this.setting === "number") return this.setting;
    return DOCUMENTED_RATES[service]?.[action] ?? DEFAULT_RATE;
  }

  /** Takes one token; false when the account has used up the rate of this action of this service. */
  take(appId: number, service: string, action: string): boolean | Promise<boolean> {
    if (this.setting === "off") return true;
    const rate = this.rate(service, action);
    const key = `${appId}/${service}/${action}`;
    if (this.shared) return this.shared.take(key, rate);
    const t = this.now();
    const bucket = this.buckets.get(key);
    if (!bucket) {
      this.buckets.set(key, { tokens: rate - 1, at: t });
      return true;
    }
    bucket.tokens = Math.min(rate, bucket.tokens + ((t - bucket.at) / 1000) * rate);
    bucket.at = t;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
