// opencvm vms show|serial: a qemu machine as the running server sees it (power, pid, forwarded ports) and its serial
// console, kept across boots in the machine's directory.
import type { Command } from "commander";
import { print, show, table, withTarget } from "./context.js";

interface Machine {
  instanceId: string;
  power: string;
  pid: number | null;
  accel: string;
  ports: { guestPort: number; host: string; hostPort: number }[];
  hostKey: string | null;
}

export function vmsCommand(program: Command): void {
  const vms = program.command("vms").description("the qemu backend's machines (the running server's)");
  vms
    .command("show")
    .description("a machine's power, process and forwarded ports (ssh -p <HostPort> root@<Host>)")
    .argument("<InstanceId>")
    .action((id: string, _o, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        const m = (await t.call("GET", `vms/${encodeURIComponent(id)}`)) as unknown as Machine;
        const ports = m.ports.map((p) => ({ GuestPort: p.guestPort, Host: p.host, HostPort: p.hostPort }));
        const hostKey = m.hostKey ? `SSH host key: ${m.hostKey}\n` : "";
        show(json, m, `${m.instanceId}  ${m.power}  pid ${m.pid ?? "-"}  ${m.accel}\n${hostKey}${table(ports, ["GuestPort", "Host", "HostPort"])}`);
      }),
    );
  vms
    .command("serial")
    .description("the end of a machine's serial console (ttyS0), across its boots")
    .argument("<InstanceId>")
    .option("--bytes <n>", "how much of the end to print", "65536")
    .action((id: string, o: { bytes: string }, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        const answer = await t.call("GET", `vms/${encodeURIComponent(id)}/serial?${new URLSearchParams({ Bytes: o.bytes })}`);
        if (json) return show(true, answer);
        print(String(answer.SerialLog));
      }),
    );
}
