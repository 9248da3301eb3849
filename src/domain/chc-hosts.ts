// CHC (Cloud Hybrid Compute) hosts: an account's own rack-mounted servers in a Tencent zone, which an operator
// registers. A host moves through the states the API documents: INIT (registered; its out-of-band (BMC) network may
// be configured, not both networks), READY (BMC and deploy networks configured), PREPARED (produced: a cloud host may
// be placed on it), ONLINE (one is), OPERATING (a network change in progress) and CLEAR_NETWORK_FAILED. Which action
// each host refuses follows from its state and networks alone (`deniedActions`), so the actions' guards and
// DescribeChcDeniedActions read one rule.

export type ChcState = "INIT" | "READY" | "PREPARED" | "ONLINE" | "OPERATING" | "CLEAR_NETWORK_FAILED";
export type ChcNetworkMode = "BUSINESS" | "DEPLOY";

/** A network a host is attached to: its VPC and subnet, its address there and the security groups guarding it. */
export interface ChcNetwork {
  vpcId: string;
  subnetId: string;
  ip: string;
  mac: string;
  securityGroupIds: string[];
}

/** What a host's permissions depend on. */
interface ChcShape {
  state: ChcState;
  bmc: ChcNetwork | null;
  deploy: ChcNetwork | null;
}

/** The CHC actions whose permission depends on the host, and RunInstances (placing a cloud host on one). */
export const CHC_ACTIONS = ["ConfigureChcAssistVpc", "ConfigureChcDeployVpc", "RemoveChcAssistVpc", "RemoveChcDeployVpc", "ModifyChcNetworkMode", "RunInstances"] as const;
export type ChcAction = (typeof CHC_ACTIONS)[number];

/** Why `action` is refused on the host now, or undefined when it is allowed. */
export function whyDenied(host: ChcShape, action: ChcAction): string | undefined {
  if (host.state === "OPERATING") return "a network change is in progress";
  switch (action) {
    case "ConfigureChcAssistVpc":
      return host.bmc ? "its out-of-band network is configured already" : undefined;
    case "ConfigureChcDeployVpc":
      if (!host.bmc) return "configure its out-of-band network first (ConfigureChcAssistVpc)";
      return host.deploy ? "its deploy network is configured already" : undefined;
    case "RemoveChcDeployVpc":
      if (!host.deploy) return "it has no deploy network";
      return host.state === "ONLINE" ? "a cloud host runs on it" : undefined;
    case "RemoveChcAssistVpc":
      if (!host.bmc) return "it has no out-of-band network";
      return host.state === "ONLINE" ? "a cloud host runs on it" : undefined;
    case "ModifyChcNetworkMode":
      return networkModeDenied(host, "DEPLOY") && networkModeDenied(host, "BUSINESS");
    case "RunInstances":
      return host.state === "PREPARED" ? undefined : `it is ${host.state}, not PREPARED`;
  }
}

/**
 * Why switching to `mode` is refused: DEPLOY needs a PREPARED or ONLINE host with a deploy network, BUSINESS an
 * ONLINE one (as ModifyChcNetworkMode documents).
 */
export function networkModeDenied(host: ChcShape, mode: ChcNetworkMode): string | undefined {
  if (host.state === "OPERATING") return "a network change is in progress";
  if (mode === "BUSINESS") return host.state === "ONLINE" ? undefined : `it is ${host.state}; switching to BUSINESS needs ONLINE`;
  if (host.state !== "PREPARED" && host.state !== "ONLINE") return `it is ${host.state}; switching to DEPLOY needs PREPARED or ONLINE`;
  return host.deploy ? undefined : NO_DEPLOY_NETWORK;
}

/** Why DEPLOY is refused to a host in the right state: its deploy configuration is missing. */
export const NO_DEPLOY_NETWORK = "it has no deploy network";

export function deniedActions(host: ChcShape): ChcAction[] {
  return CHC_ACTIONS.filter((a) => whyDenied(host, a) !== undefined);
}

/** The state a host settles in once its networks are as given: READY with both, INIT otherwise. */
export const settledState = (bmc: ChcNetwork | null, deploy: ChcNetwork | null): ChcState => (bmc && deploy ? "READY" : "INIT");

/** How a host ends a network change (the engine writes it): its state, the networks it lost, its network mode. */
export interface ChcOutcome {
  state: ChcState;
  clear: ("bmc" | "deploy")[];
  networkMode?: ChcNetworkMode;
}

/** The names of the operations DescribeChcHosts shows in LatestOperation and LatestOperationName. */
export const OPERATION_NAMES: Readonly<Record<string, string>> = {
  ConfigureChcAssistVpc: "配置带外和部署网络",
  ConfigureChcDeployVpc: "配置部署网络",
  RemoveChcAssistVpc: "清理带外和部署网络",
  RemoveChcDeployVpc: "清理部署网络",
  SwitchChcDeployNetwork: "切换到部署网络",
  SwitchChcBusinessNetwork: "切换到业务网络",
};
