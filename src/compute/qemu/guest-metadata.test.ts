// The metadata tree answers Tencent's documented paths with this instance's values, lists directories the way the
// real service does, serves the user data decoded, and gives cloud-init a NoCloud seed with the keys and password.
import { describe, expect, it } from "vitest";
import { answer, type GuestMetadata } from "./guest-metadata.js";

const SAMPLE: GuestMetadata = {
  instanceId: "ins-3g445roi",
  instanceName: "web-1",
  uuid: "cfac763a-7094-446b-a8a9-b995e638471a",
  hostName: "web-1",
  region: "ap-guangzhou",
  zone: "ap-guangzhou-3",
  instanceType: "S5.MEDIUM2",
  imageId: "img-9id7emv7",
  appId: "1250000000",
  chargeType: "POSTPAID_BY_HOUR",
  createdTime: "2018-09-18T11:27:33Z",
  network: {
    mac: "52:54:00:BF:B3:51",
    privateIp: "172.16.0.5",
    subnetMask: "255.255.240.0",
    gateway: "172.16.0.1",
    publicIp: "198.18.0.9",
    vpcId: "vpc-ja82n9op",
    subnetId: "subnet-ja82n9op",
  },
  loginUser: "root",
  publicKeys: [
    { keyId: "skey-aaaa1111", openssh: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOne one" },
    { keyId: "skey-bbbb2222", openssh: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITwo two" },
  ],
  passwordHash: "$6$salt$hash",
  userData: Buffer.from("#!/bin/sh\necho hi > /tmp/hi\n").toString("base64"),
};

const text = (path: string, m: GuestMetadata = SAMPLE) => {
  const a = answer(m, path);
  return { status: a.status, body: a.body.toString("utf8") };
};

describe("Tencent's layout", () => {
  it("answers each documented item", () => {
    const mac = SAMPLE.network.mac;
    const ip = SAMPLE.network.privateIp;
    const items: [string, string][] = [
      ["instance-id", "ins-3g445roi"],
      ["instance-name", "web-1"],
      ["uuid", SAMPLE.uuid],
      ["local-ipv4", ip],
      ["public-ipv4", "198.18.0.9"],
      ["mac", mac],
      ["placement/region", "ap-guangzhou"],
      ["placement/zone", "ap-guangzhou-3"],
      [`network/interfaces/macs/${mac}/mac`, mac],
      [`network/interfaces/macs/${mac}/primary-local-ipv4`, ip],
      [`network/interfaces/macs/${mac}/public-ipv4s`, "198.18.0.9"],
      [`network/interfaces/macs/${mac}/vpc-id`, "vpc-ja82n9op"],
      [`network/interfaces/macs/${mac}/subnet-id`, "subnet-ja82n9op"],
      [`network/interfaces/macs/${mac}/local-ipv4s/${ip}/gateway`, "172.16.0.1"],
      [`network/interfaces/macs/${mac}/local-ipv4s/${ip}/local-ipv4`, ip],
      [`network/interfaces/macs/${mac}/local-ipv4s/${ip}/public-ipv4`, "198.18.0.9"],
      [`network/interfaces/macs/${mac}/local-ipv4s/${ip}/public-ipv4-mode`, "NAT"],
      [`network/interfaces/macs/${mac}/local-ipv4s/${ip}/subnet-mask`, "255.255.240.0"],
      ["payment/charge-type", "POSTPAID_BY_HOUR"],
      ["payment/create-time", "2018-09-18 11:27:33"],
      ["app-id", "1250000000"],
      ["instance/instance-type", "S5.MEDIUM2"],
      ["instance/image-id", "img-9id7emv7"],
      ["public-keys/0/openssh-key", SAMPLE.publicKeys[0].openssh],
      ["public-keys/1/openssh-key", SAMPLE.publicKeys[1].openssh],
    ];
    for (const [item, value] of items) expect(text(`/latest/meta-data/${item}`), item).toEqual({ status: 200, body: value });
  });

  it("lists directories with subdirectories marked by a slash, and hides OpenCVM's own items", () => {
    const index = text("/latest/meta-data/").body.split("\n");
    expect(index).toEqual(expect.arrayContaining(["instance-id", "instance-name", "local-ipv4", "mac", "network/", "placement/", "public-ipv4", "uuid", "public-keys/"]));
    expect(index).not.toContain("opencvm/");
    expect(text("/latest/meta-data/placement").body).toBe("region\nzone");
    expect(text("/latest/meta-data/public-keys/").body).toBe("0/\n1/");
    expect(text("/latest/meta-data/public-keys/0/").body).toBe("openssh-key");
    expect(text(`/latest/meta-data/network/interfaces/macs/`).body).toBe(`${SAMPLE.network.mac}/`);
    expect(text("/").body).toBe("1.0\n2017-09-19\nlatest\nmeta-data");
  });

  it("answers under the dated versions and without one as under latest", () => {
    for (const prefix of ["/1.0", "/2017-09-19", ""]) expect(text(`${prefix}/meta-data/instance-id`).body).toBe("ins-3g445roi");
  });

  it("serves the user data decoded, and 404 for what the instance does not have", () => {
    expect(text("/latest/user-data")).toEqual({ status: 200, body: "#!/bin/sh\necho hi > /tmp/hi\n" });
    const bare: GuestMetadata = { ...SAMPLE, userData: undefined, publicKeys: [], passwordHash: undefined, network: { ...SAMPLE.network, publicIp: undefined } };
    for (const path of ["/latest/user-data", "/latest/meta-data/public-ipv4", "/latest/meta-data/public-keys/", "/latest/meta-data/opencvm/password-hash", "/latest/meta-data/payment/termination-time"]) {
      expect(text(path, bare).status, path).toBe(404);
    }
    expect(text("/latest/meta-data/", bare).body.split("\n")).not.toContain("public-ipv4");
  });

  it("answers 404 for unknown and malformed paths, never another node", () => {
    for (const path of ["/latest/meta-data/nope", "/latest/meta-data/instance-id/x", "/latest/meta-data/%E0%A4%A", "/latest/meta-data/__proto__", "/latest/meta-data/constructor", "/../etc/passwd"]) {
      expect(text(path).status, path).toBe(404);
    }
    expect(text("/latest/meta-data/instance-id?x=1").body).toBe("ins-3g445roi");
  });

  it("gives the image's boot its hostname, login user and password hash under opencvm/", () => {
    expect(text("/latest/meta-data/opencvm/hostname").body).toBe("web-1");
    expect(text("/latest/meta-data/opencvm/login-user").body).toBe("root");
    expect(text("/latest/meta-data/opencvm/password-hash").body).toBe("$6$salt$hash");
  });
});

describe("the boot document (opencvm/boot)", () => {
  const hostKey = Buffer.from([0, 1, 2, 250, 255]);

  it("gives everything the image's boot applies in one answer, one `name value` line each", () => {
    expect(text("/latest/meta-data/opencvm/boot", { ...SAMPLE, hostKey }).body).toBe(
      [
        "instance-id ins-3g445roi",
        "hostname web-1",
        "password-hash $6$salt$hash",
        `public-key ${SAMPLE.publicKeys[0].openssh}`,
        `public-key ${SAMPLE.publicKeys[1].openssh}`,
        `host-key ${hostKey.toString("base64")}`,
        `user-data ${SAMPLE.userData}`,
        "",
      ].join("\n"),
    );
    expect(text("/latest/meta-data/opencvm/").body.split("\n")).toContain("boot");
  });

  it("leaves out what the instance does not have, and any value that would break a line", () => {
    const bare: GuestMetadata = { ...SAMPLE, userData: undefined, publicKeys: [], passwordHash: undefined };
    expect(text("/latest/meta-data/opencvm/boot", bare).body).toBe("instance-id ins-3g445roi\nhostname web-1\n");
    const hostile: GuestMetadata = { ...SAMPLE, hostName: "x\npassword-hash $6$evil", publicKeys: [{ keyId: "skey-cccc3333", openssh: "ssh-ed25519 AAAA x\r\nhost-key AAAA" }] };
    const lines = text("/latest/meta-data/opencvm/boot", hostile).body.split("\n");
    expect(lines.filter((l) => l.startsWith("password-hash "))).toEqual(["password-hash $6$salt$hash"]);
    expect(lines.some((l) => l.startsWith("hostname ") || l.startsWith("public-key ") || l.startsWith("host-key "))).toBe(false);
  });

  it("gives the user data as one line of Base64 whatever the caller's wrapping", () => {
    const wrapped = Buffer.from("x".repeat(200)).toString("base64").replace(/(.{76})/g, "$1\n");
    const line = text("/latest/meta-data/opencvm/boot", { ...SAMPLE, userData: wrapped }).body.split("\n").find((l) => l.startsWith("user-data "));
    expect(Buffer.from(line!.slice("user-data ".length), "base64").toString()).toBe("x".repeat(200));
  });
});

describe("NoCloud", () => {
  it("names the instance and its keys in meta-data, passes user data through and sets the password in vendor-data", () => {
    expect(text("/nocloud/meta-data").body).toBe(
      `instance-id: "ins-3g445roi"\nlocal-hostname: "web-1"\npublic-keys:\n  - "${SAMPLE.publicKeys[0].openssh}"\n  - "${SAMPLE.publicKeys[1].openssh}"\n`,
    );
    expect(text("/nocloud/user-data").body).toBe("#!/bin/sh\necho hi > /tmp/hi\n");
    const vendor = text("/nocloud/vendor-data").body;
    expect(vendor.split("\n")[0]).toBe("#cloud-config");
    expect(vendor).toContain("ssh_pwauth: true");
    expect(vendor).toContain("disable_root: false");
    expect(vendor).toContain('password: "$6$salt$hash"');
  });

  it("turns password login off without a password, and keeps root closed for an image with another login user", () => {
    const vendor = text("/nocloud/vendor-data", { ...SAMPLE, passwordHash: undefined, loginUser: "ubuntu" }).body;
    expect(vendor).toContain("ssh_pwauth: false");
    expect(vendor).toContain("disable_root: true");
    expect(vendor).not.toContain("chpasswd");
    expect(text("/nocloud/user-data", { ...SAMPLE, userData: undefined })).toEqual({ status: 200, body: "" });
  });

  it("gives the static address of the NIC with the instance's MAC in network-config", () => {
    expect(text("/nocloud/network-config").body).toBe(
      [
        "version: 1",
        "config:",
        "  - type: physical",
        "    name: eth0",
        '    mac_address: "52:54:00:BF:B3:51"',
        "    subnets:",
        "      - type: static",
        '        address: "172.16.0.5"',
        '        netmask: "255.255.240.0"',
        '        gateway: "172.16.0.1"',
        "",
      ].join("\n"),
    );
    expect(text("/nocloud/").body.split("\n")).toContain("network-config");
  });

  it("keeps a hostile value inside its YAML string", () => {
    const body = text("/nocloud/meta-data", { ...SAMPLE, hostName: 'x"\ninstance-id: evil' }).body;
    expect(body.split("\n").filter((l) => l.startsWith("instance-id:"))).toEqual(['instance-id: "ins-3g445roi"']);
  });
});
