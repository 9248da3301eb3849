// A store filled with instances for the benchmarks, written straight through the Store interface.
import { randomUUID } from "node:crypto";
import { randomId } from "../src/domain/ids.js";
import { intToIp } from "../src/domain/ipv4.js";
import { Clock } from "../src/domain/clock.js";
import { openStore } from "../src/store/sql.js";
import type { InstanceRecord } from "../src/store/store.js";
import { SECRET_ID, SECRET_KEY } from "./common.js";

const REGION = "ap-guangzhou";
export const ZONES = ["ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-6", "ap-guangzhou-7"];

/** Writes `count` running instances spread over four zones, two in three tagged env=prod, into a fresh store. */
export async function seed(data: string, count: number): Promise<string[]> {
  const store = await openStore(data, new Clock());
  const account = await store.accounts.create({ secretId: SECRET_ID, secretKey: SECRET_KEY }, { isDefault: true });
  // The benchmark launches far more than the 30 pay-as-you-go instances per zone an account may have by default.
  await store.accounts.setQuota(account.appId, "postpaid", 10_000_000);
  const subnets = await Promise.all(ZONES.map((z, i) => store.networks.defaultSubnet(account.appId, REGION, z, [3, 4, 6, 7][i])));
  const ids: string[] = [];
  const base = Date.now() - count * 1000;
  for (let start = 0; start < count; start += 500) {
    const batch: InstanceRecord[] = [];
    for (let n = start; n < Math.min(count, start + 500); n++) {
      const z = n % ZONES.length;
      const instanceId = randomId("ins");
      ids.push(instanceId);
      batch.push({
        instanceId,
        appId: account.appId,
        region: REGION,
        zone: ZONES[z],
        state: "RUNNING",
        instanceName: `bench-${n}`,
        instanceType: "S5.MEDIUM4",
        instanceFamily: "S5",
        imageId: "img-487zeit5",
        chargeType: "POSTPAID_BY_HOUR",
        projectId: 0,
        vpcId: subnets[z].vpcId,
        subnetId: subnets[z].subnetId,
        // Outside the default subnets, so they never meet the addresses RunInstances hands out.
        privateIp: intToIp(0x0a000000 + n),
        publicIp: null,
        uuid: randomUUID(),
        createdAt: new Date(base + n * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        latestOperation: "RunInstances",
        latestOperationState: "SUCCESS",
        latestOperationRequestId: randomUUID(),
        latestOperationError: null,
        tags: [{ key: "env", value: n % 3 ? "prod" : "dev" }],
        securityGroupIds: [],
        keyIds: [],
        doc: {
          CPU: 2,
          Memory: 4,
          OsName: "Ubuntu Server 22.04 LTS 64bit",
          Platform: "LINUX",
          SystemDisk: { DiskType: "CLOUD_PREMIUM", DiskId: randomId("disk"), DiskSize: 50 },
          DataDisks: [],
          InternetAccessible: { InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 0, PublicIpAssigned: false },
          HostName: `VM-0-${n}-ubuntu`,
          DisableApiTermination: false,
          StopChargingMode: "NOT_APPLICABLE",
          ExpiredTime: null,
          RenewFlag: null,
          DefaultLoginUser: "ubuntu",
          DefaultLoginPort: 22,
          UserData: null,
          IsolatedSource: "NOTISOLATED",
        },
      });
    }
    await store.transaction((tx) => tx.instances.insert(batch));
  }
  await store.close();
  return ids;
}

