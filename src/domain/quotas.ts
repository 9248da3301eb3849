// Purchase quotas per account and zone, with the real cloud's figures where it publishes them; an operator can set
// other values per account (`opencvm accounts quota`).

export type QuotaName = "postpaid" | "prepaid" | "spot-cores";

export const DEFAULT_QUOTAS: Readonly<Record<QuotaName, number>> = {
  /** Pay-as-you-go instances per zone (the published purchase limit). */
  postpaid: 30,
  /** Monthly instances bought per zone per calendar month (not published; this is OpenCVM's choice). */
  prepaid: 100,
  /** vCPUs of spot instances per zone (not published; this is OpenCVM's choice). */
  "spot-cores": 100,
};

export const QUOTA_NAMES = Object.keys(DEFAULT_QUOTAS) as QuotaName[];

export function quotasOf(overrides: Partial<Record<QuotaName, number>>): Record<QuotaName, number> {
  return { ...DEFAULT_QUOTAS, ...overrides };
}
