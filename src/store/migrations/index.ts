// Numbered migrations, applied in order at start-up. Never edit one that has shipped: add the next number.
import type { Migration } from "kysely";
import * as m001 from "./001-accounts.js";
import * as m002 from "./002-instances.js";
import * as m003 from "./003-key-pairs.js";
import * as m004 from "./004-images.js";
import * as m005 from "./005-network-attributes.js";
import * as m006 from "./006-security-groups.js";
import * as m007 from "./007-addresses.js";
import * as m008 from "./008-account-quotas.js";
import * as m009 from "./009-quota-index.js";
import * as m010 from "./010-billing.js";
import * as m011 from "./011-image-key-pairs.js";
import * as m012 from "./012-action-timers.js";
import * as m013 from "./013-frozen-totals.js";
import * as m016 from "./016-tasks.js";
import * as m018 from "./018-settlement-progress.js";
import * as m020 from "./020-disks.js";
import * as m021 from "./021-snapshots.js";
import * as m022 from "./022-launch-templates.js";
import * as m023 from "./023-placement-groups-and-repair-tasks.js";
import * as m024 from "./024-instance-hosts.js";
import * as m025 from "./025-dedicated-hosts-hpc-clusters.js";
import * as m026 from "./026-resource-pool-packs.js";
import * as m027 from "./027-instance-expiry.js";
import * as m028 from "./028-console-passwords.js";
import * as m029 from "./029-chc-hosts.js";
import * as m030 from "./030-rate-buckets.js";
import * as m031 from "./031-address-expiry.js";
import * as m034 from "./034-console-sessions.js";
import * as m035 from "./035-instance-counts.js";
import * as m036 from "./036-lean-instance-indexes.js";
import * as m042 from "./042-pool-pack-expiry.js";
import * as m045 from "./045-due-scans.js";

export const migrations: Record<string, Migration> = {
  "001-accounts": m001,
  "002-instances": m002,
  "003-key-pairs": m003,
  "004-images": m004,
  "005-network-attributes": m005,
  "006-security-groups": m006,
  "007-addresses": m007,
  "008-account-quotas": m008,
  "009-quota-index": m009,
  "010-billing": m010,
  "011-image-key-pairs": m011,
  "012-action-timers": m012,
  "013-frozen-totals": m013,
  "016-tasks": m016,
  "018-settlement-progress": m018,
  "020-disks": m020,
  "021-snapshots": m021,
  "022-launch-templates": m022,
  "023-placement-groups-and-repair-tasks": m023,
  "024-instance-hosts": m024,
  "025-dedicated-hosts-hpc-clusters": m025,
  "026-resource-pool-packs": m026,
  "027-instance-expiry": m027,
  "028-console-passwords": m028,
  "029-chc-hosts": m029,
  "030-rate-buckets": m030,
  "031-address-expiry": m031,
  "034-console-sessions": m034,
  "035-instance-counts": m035,
  "036-lean-instance-indexes": m036,
  "042-pool-pack-expiry": m042,
  "045-due-scans": m045,
};
