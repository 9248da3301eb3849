// opencvm chc list|add|prepare|remove: the CHC hosts (physical servers) racked for accounts. The API never creates
// one; their owners then configure their networks through it (ConfigureChcAssistVpc and the rest).
import type { Command } from "commander";
import { show, table, withTarget } from "./context.js";

const COLUMNS = ["ChcId", "AppId", "Zone", "SerialNumber", "DeviceType", "InstanceState", "BmcIp", "DeployIp", "NetworkMode"];

export function chcCommand(program: Command): void {
  const chc = program.command("chc").description("CHC hosts: physical servers registered for accounts");
  chc
    .command("list")
    .description("the registered hosts, oldest first")
    .option("--app-id <AppId>", "only this account's")
    .action((o: { appId?: string }, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        const { ChcHosts } = (await t.call("GET", `chc${o.appId ? `?AppId=${encodeURIComponent(o.appId)}` : ""}`)) as { ChcHosts: Record<string, unknown>[] };
        show(json, ChcHosts, table(ChcHosts, COLUMNS));
      }),
    );
  chc
    .command("add")
    .description("register a server racked in a zone for an account (INIT: no network configured yet)")
    .requiredOption("--zone <zone>", "the zone it is racked in, e.g. ap-guangzhou-3")
    .requiredOption("--sn <SerialNumber>", "its serial number, unique across the cloud")
    .requiredOption("--device-type <type>", "its device type, e.g. CHCS5")
    .requiredOption("--cpu <cores>", "CPU cores")
    .requiredOption("--memory <GB>", "memory in GB")
    .requiredOption("--disk <disks>", 'its disks, e.g. "480GB*2/3.84TB*12"')
    .option("--app-id <AppId>", "the account it is racked for (default: the default account)")
    .option("--name <name>", "its name as the owner sees it")
    .option("--gpu <model>", "its GPU model")
    .option("--network-card <model>", "its RDMA network card")
    .option("--tenant-type <type>", "HOSTING (the owner's server) or TENANT (leased)", "HOSTING")
    .action((o: Record<string, string | undefined>, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        const body = { Zone: o.zone, SerialNumber: o.sn, DeviceType: o.deviceType, CPU: Number(o.cpu), Memory: Number(o.memory), Disk: o.disk, TenantType: o.tenantType, ...(o.appId ? { AppId: Number(o.appId) } : {}), ...(o.name ? { InstanceName: o.name } : {}), ...(o.gpu ? { Gpu: o.gpu } : {}), ...(o.networkCard ? { NetworkCard: o.networkCard } : {}) };
        const host = (await t.call("POST", "chc", body)) as Record<string, unknown>;
        show(json, host, `${String(host.ChcId)} registered for AppId ${String(host.AppId)} in ${String(host.Zone)}`);
      }),
    );
  chc
    .command("prepare")
    .description("mark a READY host produced (PREPARED): a cloud host may be placed on it")
    .argument("<ChcId>")
    .action((id: string, _o, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        const host = (await t.call("POST", `chc/${encodeURIComponent(id)}/prepare`)) as Record<string, unknown>;
        show(json, host, `${id} is ${String(host.InstanceState)}`);
      }),
    );
  chc
    .command("remove")
    .description("take a host off (its network addresses go back to their subnets)")
    .argument("<ChcId>")
    .action((id: string, _o, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        const done = await t.call("DELETE", `chc/${encodeURIComponent(id)}`);
        show(json, done, `${id} removed`);
      }),
    );
}
