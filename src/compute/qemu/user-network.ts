// The -netdev argument of a VM's user-mode (slirp) network: the guest can reach its metadata service and nothing
// else of the host or beyond (restrict=on); the host reaches the guest through forwarded ports.
import { METADATA_ADDRESS, type Endpoint } from "./metadata.js";

export interface HostForward {
  protocol: "tcp" | "udp";
  /** The host address the port is opened on, e.g. 127.0.0.1 or 0.0.0.0. */
  hostAddress: string;
  hostPort: number;
  guestPort: number;
}

export interface UserNetwork {
  /** The netdev id the NIC's -device names. */
  id: string;
  endpoint: Endpoint;
  /** The guest's address with its subnet's prefix, e.g. 172.16.0.5/20 (passed to the guest as opencvm.ip). */
  address: string;
  /** The subnet's gateway, where QEMU answers (passed as opencvm.gw). */
  gateway: string;
  hostForwards?: readonly HostForward[];
}

const toInt = (ip: string) => ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
const toIp = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/**
 * QEMU accepts a guestfwd only for an address inside its virtual network, so the network given to QEMU is the
 * smallest prefix holding both the guest's subnet and 169.254.0.23 (0.0.0.0/0 at worst); the guest itself keeps its
 * own subnet's prefix and reaches 169.254.0.23 through the gateway. A guest that asks DHCP gets its own address.
 */
export function userNetdev(n: UserNetwork): string {
  const [ip, prefix] = n.address.split("/");
  if (!IPV4.test(ip) || !/^\d+$/.test(prefix ?? "") || Number(prefix) > 30 || !IPV4.test(n.gateway)) {
    throw new Error(`not an address/prefix and gateway: ${n.address} ${n.gateway}`);
  }
  if (!/^[A-Za-z0-9/._-]+$/.test(n.endpoint.socket)) throw new Error(`unusable socket path for QEMU's command line: ${n.endpoint.socket}`);
  const a = toInt(ip);
  const b = toInt(METADATA_ADDRESS);
  let common = 0;
  while (common < Number(prefix) && Math.floor(a / 2 ** (31 - common)) === Math.floor(b / 2 ** (31 - common))) common++;
  const network = common === 0 ? 0 : Math.floor(a / 2 ** (32 - common)) * 2 ** (32 - common);
  const options = [
    "user",
    `id=${n.id}`,
    "restrict=on",
    `net=${toIp(network)}/${common}`,
    `host=${n.gateway}`,
    `dhcpstart=${ip}`,
    `guestfwd=tcp:${METADATA_ADDRESS}:80-cmd:socat - UNIX-CONNECT:${n.endpoint.socket}`,
    ...(n.hostForwards ?? []).map((f) => `hostfwd=${f.protocol}:${f.hostAddress}:${f.hostPort}-:${f.guestPort}`),
  ];
  return options.join(",");
}

/** The kernel command-line parameters the image's boot reads (docs/vm.md). */
export function guestNetworkParams(n: Pick<UserNetwork, "address" | "gateway">): string {
  return `opencvm.ip=${n.address} opencvm.gw=${n.gateway}`;
}
