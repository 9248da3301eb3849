// What the metadata service says of a test instance: plausible values, no keys, password or user data unless given.
import type { GuestMetadata } from "../../src/compute/qemu/guest-metadata.js";

export function guestMetadata(instanceId: string, over: Partial<GuestMetadata> = {}): GuestMetadata {
  return {
    instanceId,
    instanceName: `name-${instanceId}`,
    uuid: "8a3a2b1c-0d4e-4f60-8a7b-9c0d1e2f3a4b",
    hostName: `host-${instanceId}`,
    region: "ap-guangzhou",
    zone: "ap-guangzhou-3",
    instanceType: "S5.SMALL1",
    imageId: "img-opencvm1",
    appId: "1250000000",
    chargeType: "POSTPAID_BY_HOUR",
    createdTime: "2026-01-01T00:00:00Z",
    network: { mac: "52:54:00:12:34:56", privateIp: "172.16.0.5", subnetMask: "255.255.240.0", gateway: "172.16.0.1", vpcId: "vpc-test", subnetId: "subnet-test" },
    loginUser: "root",
    publicKeys: [],
    ...over,
  };
}
