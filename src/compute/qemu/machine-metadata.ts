// What the metadata service answers a machine: its spec, as the engine last gave it, in the service's terms.
import type { MachineSpec } from "../backend.js";
import { macOf } from "./command.js";
import type { GuestMetadata } from "./metadata.js";

export function guestMetadataOf(spec: MachineSpec, hostKey?: Buffer): GuestMetadata {
  const { network: n } = spec;
  const mask = n.prefix === 0 ? 0 : (0xffffffff << (32 - n.prefix)) >>> 0;
  return {
    instanceId: spec.instanceId,
    instanceName: spec.instanceName,
    uuid: spec.uuid,
    hostName: spec.hostName,
    region: spec.region,
    zone: spec.zone,
    instanceType: spec.instanceType,
    imageId: spec.imageId,
    appId: String(spec.appId),
    chargeType: spec.chargeType,
    createdTime: spec.createdTime,
    expiredTime: spec.expiredTime ?? undefined,
    network: {
      mac: macOf(spec.instanceId),
      privateIp: n.privateIp,
      subnetMask: [24, 16, 8, 0].map((shift) => (mask >>> shift) & 255).join("."),
      gateway: n.gateway,
      publicIp: n.publicIp ?? undefined,
      vpcId: n.vpcId,
      subnetId: n.subnetId,
    },
    loginUser: spec.loginUser,
    publicKeys: (spec.authorizedKeys ?? []).map((openssh, i) => ({ keyId: spec.keyIds?.[i] ?? "", openssh })),
    // Only a crypt(3) hash is something a guest's login can check.
    passwordHash: spec.passwordHash?.startsWith("$") ? spec.passwordHash : undefined,
    userData: spec.userData ?? undefined,
    hostKey,
  };
}
