// The netdev argument: restricted, with the metadata guestfwd inside QEMU's network (which QEMU insists on), the
// guest's own address for DHCP, and the forwarded ports; QEMU itself accepts what it builds.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { guestNetworkParams, userNetdev } from "./user-network.js";

const endpoint = { socket: "/run/opencvm/md/ins-1.sock" };

describe("userNetdev", () => {
  it("covers the guest's subnet and 169.254.0.23 with the smallest network", () => {
    const arg = userNetdev({ id: "net0", endpoint, address: "172.16.0.5/20", gateway: "172.16.0.1" });
    expect(arg).toBe(
      "user,id=net0,restrict=on,net=168.0.0.0/5,host=172.16.0.1,dhcpstart=172.16.0.5," +
        "guestfwd=tcp:169.254.0.23:80-cmd:socat - UNIX-CONNECT:/run/opencvm/md/ins-1.sock",
    );
    expect(userNetdev({ id: "n", endpoint, address: "10.0.2.15/24", gateway: "10.0.2.2" })).toContain("net=0.0.0.0/0,");
    expect(userNetdev({ id: "n", endpoint, address: "169.254.7.9/24", gateway: "169.254.7.1" })).toContain("net=169.254.0.0/21,");
  });

  it("forwards the host ports it is given", () => {
    const arg = userNetdev({
      id: "net0",
      endpoint,
      address: "172.16.0.5/20",
      gateway: "172.16.0.1",
      hostForwards: [
        { protocol: "tcp", hostAddress: "127.0.0.1", hostPort: 40022, guestPort: 22 },
        { protocol: "udp", hostAddress: "0.0.0.0", hostPort: 40053, guestPort: 53 },
      ],
    });
    expect(arg.endsWith(",hostfwd=tcp:127.0.0.1:40022-:22,hostfwd=udp:0.0.0.0:40053-:53")).toBe(true);
  });

  it("refuses what would break QEMU's option syntax or the guest's network", () => {
    expect(() => userNetdev({ id: "n", endpoint: { socket: "/tmp/a,b.sock" }, address: "172.16.0.5/20", gateway: "172.16.0.1" })).toThrow(/socket/);
    expect(() => userNetdev({ id: "n", endpoint, address: "172.16.0.5", gateway: "172.16.0.1" })).toThrow(/address/);
    expect(() => userNetdev({ id: "n", endpoint, address: "172.16.0.256/20", gateway: "172.16.0.1" })).toThrow(/address/);
  });

  it("is accepted by QEMU, whereas a guestfwd outside the guest's own subnet is not", () => {
    const run = (netdev: string) =>
      spawnSync("qemu-system-x86_64", ["-M", "none", "-nodefaults", "-display", "none", "-netdev", netdev, "-S", "-qmp", "stdio"], {
        input: '{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n',
        encoding: "utf8",
        timeout: 30_000,
      });
    const ours = run(userNetdev({ id: "n", endpoint, address: "172.16.0.5/20", gateway: "172.16.0.1" }));
    expect(ours.stderr).not.toMatch(/guest forwarding|invalid/i);
    expect(ours.status).toBe(0);
    const naive = run(`user,id=n,restrict=on,net=172.16.0.0/20,host=172.16.0.1,guestfwd=tcp:169.254.0.23:80-cmd:true`);
    expect(naive.stderr).toMatch(/guest forwarding rule/);
  });

  it("passes the address and gateway to the guest on the kernel command line", () => {
    expect(guestNetworkParams({ address: "172.16.0.5/20", gateway: "172.16.0.1" })).toBe("opencvm.ip=172.16.0.5/20 opencvm.gw=172.16.0.1");
  });
});
