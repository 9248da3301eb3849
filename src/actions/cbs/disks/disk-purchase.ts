// CreateDisks and TerminateDisks: data disks of their own, pay-as-you-go (billed hourly from creation, an hour of
// them frozen on the account as for instances) or monthly (the term paid up front; billing/disk-terms.ts renews or
// recycles it at its end). A pay-as-you-go disk terminated is gone at once; a monthly one goes to the recycle bin
// (TORECYCLE), and terminated again is gone.
import { randomUUID } from "node:crypto";
import { action } from "../../../api/action.js";
import type * as cbs from "../../../api/generated/cbs-types.js";
import { billedDisk, chargeInstance, refusal, spendable } from "../../../billing/ledger.js";
import { CatalogRater } from "../../../billing/rating.js";
import { addMonths, isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf, randomId } from "../../../domain/ids.js";
import type { DiskRecord } from "../../../store/store.js";
import { documentedCode, invalid, unsupported } from "../../shared/refusals.js";
import { checkDataDiskSize, checkName, checkTags, ownDisks, refuseBusy } from "./disk-inputs.js";
import { checkDiskPrepaid, refuseTerm, termPrice } from "./disk-terms.js";

/** Disks one call creates (the real API's limit). */
const MAX_COUNT = 50;
/** Disks an account may hold in a region. */
export const DISK_QUOTA = 1000;
const UNSUPPORTED = ["ThroughputPerformance", "KmsKeyId", "AutoMountConfiguration", "DiskBackupQuota", "BurstPerformance", "EncryptType"] as const;

export const createDisks = action<cbs.CreateDisksRequest, cbs.CreateDisksResponse>("cbs", "CreateDisks", async (ctx, p, deps) => {
  for (const name of UNSUPPORTED) if (p[name] !== undefined) throw unsupported(name);
  if (p.Shareable) throw unsupported("Shareable");
  if (p.DiskChargeType !== "POSTPAID_BY_HOUR" && p.DiskChargeType !== "PREPAID") {
    throw invalid("InvalidParameterValue", "DiskChargeType", p.DiskChargeType, "use POSTPAID_BY_HOUR or PREPAID", "取值应为 POSTPAID_BY_HOUR 或 PREPAID");
  }
  const term = p.DiskChargeType === "PREPAID" ? checkDiskPrepaid(p.DiskChargePrepaid, "DiskChargePrepaid") : refuseTerm(p.DiskChargePrepaid);
  if (!deps.catalog.zone(ctx.region!, p.Placement.Zone)) throw invalid("InvalidParameterValue", "Placement.Zone", p.Placement.Zone, `no such zone in ${ctx.region}`, `${ctx.region} 不存在该可用区`);
  const count = p.DiskCount ?? 1;
  if (count < 1 || count > MAX_COUNT) throw invalid("InvalidParameterValue", "DiskCount", count, `1-${MAX_COUNT} disks per call`, `每次 1-${MAX_COUNT} 块`);
  checkName(p.DiskName, "DiskName");
  const tags = checkTags(p.Tags);
  if (p.Encrypt !== undefined && p.Encrypt !== "ENCRYPT") throw invalid("InvalidParameterValue", "Encrypt", p.Encrypt, "use ENCRYPT", "取值应为 ENCRYPT");
  let size = p.DiskSize;
  if (p.SnapshotId !== undefined) {
    const snapshot = isIdOf("snap", p.SnapshotId) ? (await deps.store.snapshots.list(ctx.account.appId, ctx.region!)).find((s) => s.snapshotId === p.SnapshotId) : undefined;
    if (!snapshot || snapshot.state !== "NORMAL") throw invalid("InvalidSnapshotId.NotFound", "SnapshotId", p.SnapshotId, `no such snapshot ready in ${ctx.region}`, `${ctx.region} 不存在该快照或快照未就绪`);
    size ??= snapshot.diskSize;
    if (size < snapshot.diskSize) throw invalid("InvalidParameterValue", "DiskSize", size, `at least the snapshot's ${snapshot.diskSize} GiB`, `不小于快照的 ${snapshot.diskSize} GiB`);
  }
  if (size === undefined) throw fail("MissingParameter", "Give `DiskSize` or `SnapshotId`.", "请指定 `DiskSize` 或 `SnapshotId`。");
  checkDataDiskSize(ctx.action, deps.catalog, p.DiskType, size, "DiskSize");
  const token = p.ClientToken === undefined ? undefined : `${ctx.action}:${p.ClientToken}`;
  if (p.ClientToken !== undefined && (p.ClientToken.length < 1 || p.ClientToken.length > 64)) throw invalid("InvalidParameter.InvalidClientToken", "ClientToken", p.ClientToken, "1-64 characters", "长度为 1-64 个字符");
  const now = isoSeconds(ctx.now);
  const created = await deps.store.transaction(async (tx) => {
    const earlier = token ? await tx.clientTokens.get(ctx.account.appId, token) : undefined;
    if (earlier) return { DiskIdSet: earlier };
    const held = (await tx.disks.list(ctx.account.appId, ctx.region!)).length;
    if (held + count > DISK_QUOTA) {
      throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.LimitExceeded", "ResourceInsufficient"]), "DiskCount", count, `the account holds ${held} of ${DISK_QUOTA} disks in ${ctx.region}`, `账户在 ${ctx.region} 已有 ${held} 块云硬盘，配额为 ${DISK_QUOTA}`);
    }
    const records: DiskRecord[] = Array.from({ length: count }, () => ({
      diskId: randomId("disk"),
      appId: ctx.account.appId,
      region: ctx.region!,
      zone: p.Placement.Zone,
      diskUsage: "DATA_DISK",
      diskType: p.DiskType,
      diskSize: size,
      state: "UNATTACHED",
      instanceId: null,
      chargeType: p.DiskChargeType,
      diskName: p.DiskName ?? "",
      deleteWithInstance: false,
      encrypt: p.Encrypt === "ENCRYPT",
      portable: true,
      projectId: p.Placement.ProjectId ?? 0,
      createdAt: now,
      deadline: term ? addMonths(now, term.period) : null,
      renewFlag: term?.renewFlag ?? "",
      tags,
    }));
    if (term) {
      // The term is paid up front, one bill line per disk, or nothing is created.
      const price = termPrice(deps, ctx, records.slice(0, 1), term.period);
      for (const d of records) await chargeInstance(tx, deps, ctx.now, { instance: billedDisk(d), actionType: "pre_purchase", amount: price.discounted, months: term.period, from: now, to: d.deadline!, businessCode: "p_cbs" });
    } else {
      const rater = new CatalogRater(deps.catalog);
      const frozen = records.reduce((sum, d) => sum + rater.disk(d).freeze, 0);
      const have = await spendable(tx, deps, ctx.account.appId);
      if (have < frozen) throw refusal(deps, have, frozen, { en: "an hour of these disks", zh: "这些云硬盘一小时的费用" });
    }
    await tx.disks.insert(records);
    // Each disk's file (a backend with disk bytes): blank, or the snapshot's bytes.
    await tx.operations.add(records.map((d) => ({ operationId: randomUUID(), instanceId: d.diskId, kind: "CreateDisks", requestId: ctx.requestId, payload: { diskId: d.diskId, diskSize: d.diskSize, ...(p.SnapshotId !== undefined ? { snapshotId: p.SnapshotId } : {}) } })));
    const ids = records.map((d) => d.diskId);
    if (token) await tx.clientTokens.put(ctx.account.appId, token, ids);
    return { DiskIdSet: ids };
  });
  deps.engine.kick();
  return created;
});

export const terminateDisks = action<cbs.TerminateDisksRequest, cbs.TerminateDisksResponse>("cbs", "TerminateDisks", async (ctx, p, deps) => {
  if (p.DeleteSnapshot !== undefined && p.DeleteSnapshot !== 0 && p.DeleteSnapshot !== 1) throw invalid("InvalidParameterValue", "DeleteSnapshot", p.DeleteSnapshot, "use 0 or 1", "取值应为 0 或 1");
  const now = isoSeconds(ctx.now);
  await deps.store.transaction(async (tx) => {
    const disks = await ownDisks(tx, ctx, p.DiskIds, "DiskIds");
    for (const [i, d] of disks.entries()) {
      const field = `DiskIds.${i}`;
      refuseBusy(ctx.action, d, field);
      if (d.diskUsage === "SYSTEM_DISK" || d.instanceId !== null) {
        throw invalid(documentedCode(ctx.action, ["ResourceUnavailable.Attached", "UnsupportedOperation"]), field, d.diskId, `the disk is attached to ${d.instanceId}: detach it first`, `云硬盘已挂载到 ${d.instanceId}，请先卸载`);
      }
    }
    const snapshots = p.DeleteSnapshot === 1 ? await tx.snapshots.list(ctx.account.appId, ctx.region!) : [];
    for (const d of disks) {
      if (d.chargeType === "PREPAID" && d.state !== "TORECYCLE") await tx.disks.update(d.diskId, { state: "TORECYCLE", recycledAt: now });
      else await tx.disks.remove(d.diskId);
      await tx.snapshots.remove(snapshots.filter((s) => s.diskId === d.diskId && s.imageId === null).map((s) => s.snapshotId));
    }
  });
  return {};
});
