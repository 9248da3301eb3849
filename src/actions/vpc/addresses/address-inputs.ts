// What the EIP actions check alike: the caller's address named by id, and a bandwidth in range.
import type { RequestContext } from "../../../api/action.js";
import { isIdOf } from "../../../domain/ids.js";
import type { AddressRecord, Store } from "../../../store/store.js";
import { documentedCode, invalid } from "../../shared/refusals.js";

const BANDWIDTH = { min: 1, max: 200 };

/** A bandwidth in Mbps an EIP can have, refused with the code `action` documents for one out of range. */
export function checkBandwidth(v: number, field: string, action: string): void {
  if (v < BANDWIDTH.min || v > BANDWIDTH.max) {
    const code = documentedCode(action, ["InvalidParameterValue.BandwidthOutOfRange", "InvalidParameterValue.Range"]);
    throw invalid(code, field, v, `it must be ${BANDWIDTH.min}-${BANDWIDTH.max} Mbps`, `取值范围为 ${BANDWIDTH.min}-${BANDWIDTH.max} Mbps`);
  }
}

/** The caller's EIP `addressId` in the request's region. */
export async function ownAddress(store: Store, ctx: RequestContext, addressId: string, field: string): Promise<AddressRecord> {
  // Actions name a missing EIP in one of two ways; one that documents no code for a malformed id calls it missing.
  const missing = documentedCode(ctx.action, ["InvalidAddressId.NotFound", "InvalidParameterValue.AddressNotFound"], "InvalidAddressId.NotFound");
  if (!isIdOf("eip", addressId)) {
    throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.AddressIdMalformed"], missing), field, addressId, "expected eip-xxxxxxxx", "格式应为 eip-xxxxxxxx");
  }
  const found = (await store.addresses.list(ctx.account.appId, ctx.region!)).find((a) => a.addressId === addressId);
  if (!found) throw invalid(missing, field, addressId, `no such EIP in ${ctx.region}`, `${ctx.region} 不存在该弹性公网 IP`);
  return found;
}
