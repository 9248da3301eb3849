// One simulated user of the load test, through the official SDK clients: the life of a small deployment over and
// over (a key pair, a security group with a rule, a VPC and subnet, one or two instances launched into them, an
// EIP bound, stop, start, reboot, terminate, then everything deleted), watching its instances with
// DescribeInstances and reading what a console would (instances by filters, images, key pairs, groups, networks,
// addresses, zones, types) while it waits. A throttled call is retried after a pause, as the SDKs' users do;
// any other error stops the user and is reported.
import { UBUNTU, ZONE } from "../helpers/instances.js";
import { commonClient, cvmClient, type TestServer } from "../helpers/server.js";
import { ed25519Line } from "../helpers/ssh-keys.js";
import { BudgetSpent, type Budget, type Tally } from "./load-tally.js";

export interface Credentials {
  secretId: string;
  secretKey: string;
}

/** Pause before retrying a throttled call: about one token's worth at the lowest documented rate (10/s). */
const THROTTLED_PAUSE_MS = 100;

class Unexpected extends Error {}

export class LoadUser {
  private readonly cvm: ReturnType<typeof cvmClient>;
  private readonly vpc: ReturnType<typeof commonClient>;
  private reads = 0;

  constructor(
    target: TestServer,
    credentials: Credentials,
    /** This user's number within its account: it names its resources and picks its VPC's range. */
    private readonly slot: number,
    private readonly budget: Budget,
    private readonly tally: Tally,
  ) {
    this.cvm = cvmClient(target, credentials);
    this.vpc = commonClient(target, "2017-03-12", credentials);
  }

  /** Runs cycles until the budget is spent or a call fails unexpectedly; leaves whatever it had then. */
  async run(): Promise<void> {
    try {
      for (let n = 0; ; n++) await this.cycle(`u${this.slot}c${n}`, n);
    } catch (e) {
      if (!(e instanceof BudgetSpent) && !(e instanceof Unexpected)) throw e;
    }
  }

  private async cycle(name: string, n: number): Promise<void> {
    const { cvm } = this;
    await this.read();
    const key = (await this.call("ImportKeyPair", () => cvm.ImportKeyPair({ KeyName: name, ProjectId: 0, PublicKey: ed25519Line(name) }))).KeyId!;
    const group = (await this.vpcCall("CreateSecurityGroup", { GroupName: name, GroupDescription: "load" })).SecurityGroup.SecurityGroupId;
    const ssh = { Protocol: "TCP", Port: "22", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" };
    await this.vpcCall("CreateSecurityGroupPolicies", { SecurityGroupId: group, SecurityGroupPolicySet: { Ingress: [ssh] } });
    const vpcId = (await this.vpcCall("CreateVpc", { VpcName: name, CidrBlock: `10.${this.slot}.0.0/16` })).Vpc.VpcId;
    const subnetId = (await this.vpcCall("CreateSubnet", { VpcId: vpcId, SubnetName: name, CidrBlock: `10.${this.slot}.1.0/24`, Zone: ZONE })).Subnet.SubnetId;
    await this.read();

    const ids = (
      await this.call("RunInstances", () =>
        cvm.RunInstances({
          Placement: { Zone: ZONE },
          ImageId: UBUNTU,
          InstanceType: "S5.MEDIUM4",
          InstanceCount: 1 + (n % 2),
          InstanceName: name,
          LoginSettings: { KeyIds: [key] },
          SecurityGroupIds: [group],
          VirtualPrivateCloud: { VpcId: vpcId, SubnetId: subnetId },
        }),
      )
    ).InstanceIdSet!;
    await this.until(ids, "RUNNING");
    const [eip] = (await this.vpcCall("AllocateAddresses", {})).AddressSet;
    await this.vpcCall("AssociateAddress", { AddressId: eip, InstanceId: ids[0] });
    await this.call("StopInstances", () => cvm.StopInstances({ InstanceIds: ids }));
    await this.until(ids, "STOPPED");
    await this.call("StartInstances", () => cvm.StartInstances({ InstanceIds: ids }));
    await this.until(ids, "RUNNING");
    await this.call("RebootInstances", () => cvm.RebootInstances({ InstanceIds: ids }));
    await this.until(ids, "RUNNING");
    await this.vpcCall("DisassociateAddress", { AddressId: eip });
    await this.vpcCall("ReleaseAddresses", { AddressIds: [eip] });
    await this.call("TerminateInstances", () => cvm.TerminateInstances({ InstanceIds: ids }));
    await this.until(ids, "gone");

    await this.vpcCall("DeleteSecurityGroup", { SecurityGroupId: group });
    await this.vpcCall("DeleteSubnet", { SubnetId: subnetId });
    await this.vpcCall("DeleteVpc", { VpcId: vpcId });
    await this.call("DeleteKeyPairs", () => cvm.DeleteKeyPairs({ KeyIds: [key] }));
  }

  /** Polls the instances, with one other read between polls, until they all show `state` settled, or are gone. */
  private async until(ids: string[], state: string): Promise<void> {
    for (;;) {
      const set = (await this.call("DescribeInstances", () => this.cvm.DescribeInstances({ InstanceIds: ids }))).InstanceSet!;
      if (state === "gone" ? set.length === 0 : set.every((i) => i.InstanceState === state && i.LatestOperationState === "SUCCESS")) return;
      await this.read();
    }
  }

  /** The next of the reads a console makes, in turn. */
  private read(): Promise<unknown> {
    const { cvm } = this;
    const reads: [string, () => Promise<unknown>][] = [
      ["DescribeInstances", () => cvm.DescribeInstances({ Filters: [{ Name: "zone", Values: [ZONE] }, { Name: "instance-state", Values: ["RUNNING", "STOPPED"] }], Limit: 20 })],
      ["DescribeImages", () => cvm.DescribeImages({ Filters: [{ Name: "platform", Values: ["Ubuntu"] }], Limit: 10 })],
      ["DescribeKeyPairs", () => cvm.DescribeKeyPairs({ Limit: 20 })],
      ["DescribeSecurityGroups", () => this.vpc.request("DescribeSecurityGroups", { Limit: "20" })],
      ["DescribeVpcs", () => this.vpc.request("DescribeVpcs", { Limit: "20" })],
      ["DescribeSubnets", () => this.vpc.request("DescribeSubnets", { Filters: [{ Name: "zone", Values: [ZONE] }] })],
      ["DescribeAddresses", () => this.vpc.request("DescribeAddresses", {})],
      ["DescribeZones", () => cvm.DescribeZones()],
      ["DescribeInstancesStatus", () => cvm.DescribeInstancesStatus({ Limit: 20 })],
      ["DescribeInstanceTypeConfigs", () => cvm.DescribeInstanceTypeConfigs({ Filters: [{ Name: "zone", Values: [ZONE] }] })],
    ];
    const [action, send] = reads[(this.slot + this.reads++) % reads.length];
    return this.call(action, send);
  }

  private vpcCall(action: string, params: object): Promise<any> {
    return this.call(action, () => this.vpc.request(action, params));
  }

  /** One call, counted against the budget and tallied; a throttled one is retried after a pause. */
  private async call<T>(action: string, send: () => Promise<T>): Promise<T> {
    for (;;) {
      this.budget.take();
      const started = performance.now();
      try {
        const out = await send();
        this.tally.record(action, performance.now() - started, "OK");
        return out;
      } catch (e) {
        const { code, message } = e as { code?: string; message?: string };
        this.tally.record(action, performance.now() - started, code ?? "no code", message ?? String(e));
        if (code !== "RequestLimitExceeded") throw new Unexpected();
      }
      await new Promise((r) => setTimeout(r, THROTTLED_PAUSE_MS));
    }
  }
}
