// What a guest learns about itself, and the answer to each path of the metadata service, laid out as Tencent's
// (https://cloud.tencent.com/document/product/213/4934: /latest/meta-data/..., /latest/user-data) plus the NoCloud
// data source cloud-init reads (/nocloud/meta-data, user-data, vendor-data, network-config). Pure: no I/O, one
// instance's data only.

export interface GuestMetadata {
  instanceId: string;
  instanceName: string;
  uuid: string;
  hostName: string;
  region: string;
  zone: string;
  instanceType: string;
  imageId: string;
  appId: string;
  /** POSTPAID_BY_HOUR, PREPAID, SPOTPAID ... */
  chargeType: string;
  /** ISO 8601, as DescribeInstances' CreatedTime. */
  createdTime: string;
  /** ISO 8601, for prepaid and spot instances. */
  expiredTime?: string;
  network: {
    mac: string;
    privateIp: string;
    /** e.g. 255.255.240.0 */
    subnetMask: string;
    gateway: string;
    publicIp?: string;
    vpcId: string;
    subnetId: string;
  };
  /** The account the keys and the password are for: root, or ubuntu on Ubuntu. */
  loginUser: string;
  /** OpenSSH public key lines, in the order the instance's key pairs are bound, with their key ids. */
  publicKeys: readonly { keyId: string; openssh: string }[];
  /** The login user's password as a SHA-512 crypt hash ($6$...); none: password login is locked. */
  passwordHash?: string;
  /** Base64, as RunInstances takes it; served decoded. */
  userData?: string;
  /** The machine's SSH host key, made on the host (host-key.ts): the guest need not spend its boot making one. */
  hostKey?: Buffer;
}

export interface Answer {
  status: 200 | 404;
  body: Buffer;
}

type Node = string | Buffer | Dir | undefined;
interface Dir {
  [name: string]: Node;
}

const found = (body: string | Buffer): Answer => ({ status: 200, body: Buffer.from(body) });
const NOT_FOUND: Answer = { status: 404, body: Buffer.from("404 - Not Found\n") };

/** Tencent prints times as "2018-09-18 11:27:33". */
const tencentTime = (iso: string) => new Date(iso).toISOString().slice(0, 19).replace("T", " ");

function metaData(m: GuestMetadata): Dir {
  const n = m.network;
  const address: Dir = {
    gateway: n.gateway,
    "local-ipv4": n.privateIp,
    "public-ipv4": n.publicIp,
    "public-ipv4-mode": n.publicIp ? "NAT" : undefined,
    "subnet-mask": n.subnetMask,
  };
  const keys: Dir = {};
  m.publicKeys.forEach((k, i) => (keys[String(i)] = { "openssh-key": k.openssh }));
  return {
    "app-id": m.appId,
    instance: { "image-id": m.imageId, "instance-type": m.instanceType },
    "instance-id": m.instanceId,
    "instance-name": m.instanceName,
    "local-ipv4": n.privateIp,
    mac: n.mac,
    network: {
      interfaces: {
        macs: {
          [n.mac]: {
            "local-ipv4s": { [n.privateIp]: address },
            mac: n.mac,
            "primary-local-ipv4": n.privateIp,
            "public-ipv4s": n.publicIp,
            "subnet-id": n.subnetId,
            "vpc-id": n.vpcId,
          },
        },
      },
    },
    payment: {
      "charge-type": m.chargeType,
      "create-time": tencentTime(m.createdTime),
      "termination-time": m.expiredTime && tencentTime(m.expiredTime),
    },
    placement: { region: m.region, zone: m.zone },
    "public-ipv4": n.publicIp,
    "public-keys": m.publicKeys.length ? keys : undefined,
    uuid: m.uuid,
  };
}

/** OpenCVM's own items, which the image's boot scripts read; left out of the meta-data index. */
function opencvm(m: GuestMetadata): Dir {
  return { boot: bootDocument(m), hostname: m.hostName, "login-user": m.loginUser, "password-hash": m.passwordHash };
}

/**
 * Everything the image's boot applies, in one answer: under software emulation every request costs the host a
 * `socat` and the guest a `nc`, and five of them took a second. One `name value` line each, a value never holding a
 * line break (one that would is left out), so the guest reads it with sed alone; binary values in Base64.
 */
function bootDocument(m: GuestMetadata): string {
  const lines: [string, string | undefined][] = [
    ["instance-id", m.instanceId],
    ["hostname", m.hostName],
    ["password-hash", m.passwordHash],
    ...m.publicKeys.map((k): [string, string] => ["public-key", k.openssh]),
    ["host-key", m.hostKey?.toString("base64")],
    ["user-data", userData(m)?.toString("base64")],
  ];
  return lines
    .filter((l): l is [string, string] => l[1] !== undefined && l[1] !== "" && !/[\r\n]/.test(l[1]))
    .map(([name, value]) => `${name} ${value}\n`)
    .join("");
}

const userData = (m: GuestMetadata) => (m.userData ? Buffer.from(m.userData, "base64") : undefined);

// JSON strings are YAML scalars, so no value can break the document.
const yaml = (v: string) => JSON.stringify(v);

function nocloud(m: GuestMetadata): Dir {
  const keys = m.publicKeys.map((k) => `  - ${yaml(k.openssh)}\n`).join("");
  const metaDataDoc = `instance-id: ${yaml(m.instanceId)}\nlocal-hostname: ${yaml(m.hostName)}\n` + (keys ? `public-keys:\n${keys}` : "");
  // The platform's part: the password (or none) for the login user, and root logins allowed when root is that user.
  const vendor = [
    "#cloud-config",
    `ssh_pwauth: ${m.passwordHash ? "true" : "false"}`,
    `disable_root: ${m.loginUser === "root" ? "false" : "true"}`,
    ...(m.passwordHash
      ? ["chpasswd:", "  expire: false", "  users:", `    - name: ${yaml(m.loginUser)}`, `      password: ${yaml(m.passwordHash)}`, "      type: hash"]
      : []),
    "",
  ].join("\n");
  return { "meta-data": metaDataDoc, "user-data": userData(m) ?? "", "vendor-data": vendor, "network-config": networkConfig(m) };
}

/** The static address the host's user network expects (cloud-init's version 1 format), on the NIC with this MAC. */
function networkConfig(m: GuestMetadata): string {
  const n = m.network;
  return [
    "version: 1",
    "config:",
    "  - type: physical",
    "    name: eth0",
    `    mac_address: ${yaml(n.mac)}`,
    "    subnets:",
    "      - type: static",
    `        address: ${yaml(n.privateIp)}`,
    `        netmask: ${yaml(n.subnetMask)}`,
    `        gateway: ${yaml(n.gateway)}`,
    "",
  ].join("\n");
}

// The real service answers under its dated versions as well as latest.
const VERSIONS = ["latest", "1.0", "2017-09-19"];

function tree(m: GuestMetadata): Dir {
  const version = (): Dir => ({ "meta-data": { ...metaData(m), opencvm: opencvm(m) }, "user-data": userData(m) });
  const root: Dir = { nocloud: nocloud(m) };
  for (const v of VERSIONS) root[v] = version();
  // Without a version, the first one answers.
  root["meta-data"] = (root["1.0"] as Dir)["meta-data"];
  return root;
}

/** A directory lists its present entries, one a line, subdirectories with a trailing slash. */
function listing(dir: Dir, hidden: readonly string[]): string {
  return Object.entries(dir)
    .filter(([name, node]) => node !== undefined && !hidden.includes(name))
    .map(([name, node]) => (typeof node === "string" || Buffer.isBuffer(node) ? name : `${name}/`))
    .join("\n");
}

/** The answer to GET path (query and fragment ignored) for this instance. */
export function answer(m: GuestMetadata, path: string): Answer {
  const parts = path.split(/[?#]/, 1)[0].split("/").filter(Boolean).map(safeDecode);
  if (parts.some((p) => p === undefined)) return NOT_FOUND;
  let node: Node = tree(m);
  for (const part of parts) {
    if (node === undefined || typeof node === "string" || Buffer.isBuffer(node) || !Object.hasOwn(node, part as string)) return NOT_FOUND;
    node = node[part as string];
  }
  if (node === undefined) return NOT_FOUND;
  if (typeof node === "string" || Buffer.isBuffer(node)) return found(node);
  // The version list at the root, as the real service prints it; opencvm/ is not advertised.
  if (parts.length === 0) return found([...VERSIONS.filter((v) => v !== "latest"), "latest", "meta-data"].join("\n"));
  return found(listing(node, ["opencvm"]));
}

function safeDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}
