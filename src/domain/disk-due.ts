// When a cloud disk of its own next falls due to billing's disk terms (billing/disk-terms.ts): a monthly disk
// attached to nothing at the end of its term, and one in the recycle bin 7 days after it entered it. Kept by the
// store as an indexed column, so a billing tick reads the disks that are due and no other.

export const RECYCLE_BIN_MS = 7 * 86_400_000;

export interface DueDisk {
  state: string;
  chargeType: string;
  instanceId: string | null;
  deadline: string | null;
  recycledAt?: string;
  createdAt: string;
}

/** The time (ms) the disk's next term rule falls due; null when none will (pay-as-you-go, or attached). */
export function diskDueAt(d: DueDisk): number | null {
  if (d.chargeType !== "PREPAID" || d.instanceId !== null) return null;
  if (d.state === "UNATTACHED" && d.deadline) return Date.parse(d.deadline);
  if (d.state === "TORECYCLE") return Date.parse(d.recycledAt ?? d.deadline ?? d.createdAt) + RECYCLE_BIN_MS;
  return null;
}
