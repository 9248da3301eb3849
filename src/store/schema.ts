import type { Generated, Selectable } from "kysely";

// Table types for Kysely. Column names are snake_case; times are ISO-8601 UTC strings (portable across dialects).

export interface AccountsTable {
  app_id: number;
  uin: string;
  owner_uin: string;
  /** 1 for the account created at first start from OPENCVM_SECRET_ID/KEY or generated keys. */
  is_default: number;
  created_at: string;
}

export interface CredentialsTable {
  secret_id: string;
  secret_key: string;
  app_id: number;
  /** "enabled" or "disabled"; a disabled key answers AuthFailure.SecretIdNotFound, as the real cloud does. */
  status: string;
  created_at: string;
}

export interface VpcsTable {
  vpc_id: string;
  app_id: number;
  region: string;
  cidr: string;
  is_default: number;
  created_at: string;
  vpc_name: string;
  /** JSON of the rest of a VpcRecord. */
  doc: string;
}

export interface SubnetsTable {
  subnet_id: string;
  vpc_id: string;
  app_id: number;
  zone: string;
  cidr: string;
  is_default: number;
  created_at: string;
  subnet_name: string;
  /** JSON of the rest of a SubnetRecord. */
  doc: string;
}

export interface IpAllocationsTable {
  subnet_id: string;
  ip: string;
  instance_id: string;
}

export interface PublicIpsTable {
  ip: string;
  app_id: number;
  instance_id: string;
}

export interface InstancesTable {
  seq: Generated<number>;
  instance_id: string;
  app_id: number;
  region: string;
  zone: string;
  state: string;
  instance_name: string;
  instance_type: string;
  instance_family: string;
  image_id: string;
  charge_type: string;
  project_id: number;
  vpc_id: string;
  subnet_id: string;
  private_ip: string;
  public_ip: string | null;
  uuid: string;
  created_at: string;
  latest_operation: string | null;
  latest_operation_state: string | null;
  latest_operation_request_id: string | null;
  latest_operation_error: string | null;
  /** JSON of InstanceDoc. */
  doc: string;
  /** The server node whose backend holds the machine (migration 024). */
  host_node: Generated<string | null>;
  /** doc.ExpiredTime in ms, kept beside it for billing's due-time index. */
  expires_at: number | null;
  /** doc.HostId: the dedicated host the instance is placed on (migration 025). */
  dedicated_host_id: Generated<string | null>;
  /** doc.HpcClusterId: the HPC cluster the instance was launched into (migration 026). */
  hpc_cluster_id: Generated<string | null>;
  /** doc.DedicatedResourcePackId: the resource pool pack the instance draws on (migration 026). */
  resource_pack_id: Generated<string | null>;
}

export interface ResourcePoolPacksTable {
  seq: Generated<number>;
  pack_id: string;
  app_id: number;
  region: string;
  zone: string;
  pack_name: string;
  instance_type: string;
  instance_family: string;
  pack_type: string;
  status: string;
  cpu: number;
  memory: number;
  /** 1 or 0. */
  auto_placement: number;
  renew_flag: string;
  start_time: string;
  end_time: string;
}

export interface HpcClustersTable {
  seq: Generated<number>;
  hpc_cluster_id: string;
  app_id: number;
  region: string;
  zone: string;
  name: string;
  remark: string;
  cluster_type: string;
  created_at: string;
  /** JSON of [{key, value}]. */
  tags: string;
}

export interface DedicatedHostsTable {
  seq: Generated<number>;
  host_id: string;
  app_id: number;
  region: string;
  zone: string;
  host_type: string;
  host_name: string;
  project_id: number;
  state: string;
  renew_flag: string;
  host_ip: string;
  cpu: number;
  memory: number;
  disk: number;
  disk_type: string;
  created_at: string;
  /** ExpiredTime in ms. */
  expires_at: number;
  /** JSON of [{key, value}]. */
  tags: string;
}

export interface InstanceTagsTable {
  instance_seq: number;
  app_id: number;
  tag_key: string;
  tag_value: string;
}

export interface InstanceSecurityGroupsTable {
  instance_seq: number;
  app_id: number;
  security_group_id: string;
  position: number;
}

export interface ClientTokensTable {
  app_id: number;
  token: string;
  /** JSON array of instance ids. */
  instance_ids: string;
  created_at: string;
}

export interface TasksTable {
  task_id: number;
  app_id: number;
  region: string;
  action: string;
  client_token: string | null;
  /** JSON array of resource ids. */
  resource_ids: string;
  result: string;
  created_at: string;
}

export interface OperationsTable {
  operation_id: string;
  instance_id: string;
  kind: string;
  request_id: string;
  /** JSON of the operation's parameters. */
  payload: string;
  /** "pending" until the engine completes it, then "done" or "failed". */
  status: string;
  /** Epoch ms: a pending operation may be claimed once this has passed (0 = at once). */
  lease_until: number;
  attempts: number;
  created_at: string;
  /** Epoch ms on the service clock when it ended (done or failed); null while pending. */
  finished_at: number | null;
}

export interface ImagesTable {
  seq: Generated<number>;
  image_id: string;
  app_id: number;
  region: string;
  image_name: string;
  state: string;
  created_at: string;
  /** JSON of the rest of an ImageRecord. */
  doc: string;
}

export interface ImageSharesTable {
  image_seq: number;
  /** The AppId of the account the image is shared with. */
  shared_with: number;
  created_at: string;
}

export interface KeyPairsTable {
  seq: Generated<number>;
  key_id: string;
  app_id: number;
  region: string;
  key_name: string;
  project_id: number;
  description: string;
  /** The OpenSSH line: `type base64 [comment]`. */
  public_key: string;
  /** SHA256:… as `ssh-keygen -l` prints it: what makes a public key a duplicate. */
  fingerprint: string;
  created_at: string;
}

/** Instances per account, region, zone and tag, '' standing for any (migration 035). */
export interface InstanceCountsTable {
  app_id: number;
  region: string;
  zone: string;
  tag_key: string;
  tag_value: string;
  n: number;
}

/** Instances holding a purchase quota per account, region, zone, charge type and instance type (migration 035). */
export interface InstanceTypeCountsTable {
  app_id: number;
  region: string;
  zone: string;
  charge_type: string;
  instance_type: string;
  n: number;
}

export interface KeyPairTagsTable {
  key_seq: number;
  app_id: number;
  tag_key: string;
  tag_value: string;
}

export interface InstanceKeyPairsTable {
  instance_seq: number;
  key_id: string;
  position: number;
}

export interface ImageKeyPairsTable {
  image_seq: number;
  key_id: string;
  position: number;
}

export interface AddressesTable {
  address_id: string;
  app_id: number;
  region: string;
  ip: string;
  status: string;
  instance_id: string | null;
  created_at: string;
  /** A monthly EIP's deadline in ms, while its term runs (null otherwise): what billing's expiry looks up. */
  expires_at: number | null;
  /** JSON of the rest of an AddressRecord. */
  doc: string;
}

export interface AccountQuotasTable {
  app_id: number;
  quota: string;
  value: number;
}

export interface ConsolePasswordsTable {
  app_id: number;
  hash: string;
}

export interface SecurityGroupsTable {
  seq: Generated<number>;
  security_group_id: string;
  app_id: number;
  region: string;
  project_id: number;
  is_default: number;
  group_name: string;
  /** The rules' Version: every change to them adds one. */
  version: number;
  created_at: string;
  updated_at: string;
  /** JSON of the rest of a SecurityGroupRecord: description, tags, ingress and egress rules. */
  doc: string;
}

export type InstanceRow = Selectable<InstancesTable>;

/** Service-wide values: the clock's offset, the metering mark. */
export interface ServiceStateTable {
  key: string;
  value: string;
}

/** Money in micro-units of the catalog's currency. */
export interface BalancesTable {
  app_id: number;
  cash: number;
  owed: number;
  /** When the account last went into arrears (ISO), while it is in them. */
  arrears_since: string | null;
}

/** Each account's frozen amounts summed (the freezes table's rows by account), kept in step by the store. */
export interface FrozenTotalsTable {
  app_id: number;
  amount: number;
}

export interface FreezesTable {
  resource_id: string;
  app_id: number;
  amount: number;
}

/** A rated interval of a resource's usage: `rate` micro-units per hour from `since` until `until` (ms, service clock). */
export interface MetersTable {
  meter_id: Generated<number>;
  resource_id: string;
  app_id: number;
  component: string;
  rate: number;
  since: number;
  until: number | null;
  doc: string;
}

export interface BillsTable {
  bill_id: string;
  app_id: number;
  month: string;
  resource_id: string;
  pay_mode: string;
  action_type: string;
  business_code: string;
  region: string;
  amount: number;
  fee_begin: string;
  pay_time: string;
  doc: string;
}

/** How far each account is settled: hours end to end, and within an hour in batches of resources. */
export interface AccountSettlementTable {
  app_id: number;
  /** The end of the account's last settled hour (ms, service clock). */
  settled_until: number;
  /** While the hour after `settled_until` is part settled: the last resource id settled; "" otherwise. */
  resume_after: string;
  /** Runs in a row that could not settle the account. */
  failures: number;
  last_error: string | null;
}

export interface ActionTimersTable {
  seq: Generated<number>;
  action_timer_id: string;
  app_id: number;
  region: string;
  instance_id: string;
  timer_action: string;
  /** ISO-8601 UTC to the second, so that times compare as strings. */
  action_time: string;
  /** 1, 0, or null when not given. */
  release_address: number | null;
  /** UNDO, DOING or DONE. */
  status: string;
  created_at: string;
}

/** A console session, by the SHA-256 (hex) of its cookie's token. */
export interface ConsoleSessionsTable {
  token_hash: string;
  app_id: number;
  csrf: string;
  /** Milliseconds since the epoch, real time. */
  expires: number;
}

/** Console sign-in attempts counted for an account or a client address since the window began. */
export interface ConsoleSignInAttemptsTable {
  counter: string;
  attempts: number;
  /** When the window began: ms since the epoch. */
  since: number;
}

/** A token bucket of the rate limit shared by several nodes: `bucket` is the account and action. */
export interface RateBucketsTable {
  bucket: string;
  tokens: number;
  /** When `tokens` was counted: ms on the database server's clock. */
  at: number;
}

export interface DisksTable {
  disk_id: string;
  app_id: number;
  region: string;
  zone: string;
  /** The instance it is attached to, or being attached to or detached from. */
  instance_id: string | null;
  state: string;
  created_at: string;
  /** JSON of the rest of a DiskRecord. */
  doc: string;
  /** When a disk of its own next falls due to billing's disk terms (ms; domain/disk-due.ts), indexed. */
  due_at?: number | null;
}

export interface SnapshotsTable {
  snapshot_id: string;
  app_id: number;
  region: string;
  disk_id: string;
  /** The custom image it belongs to. */
  image_id: string | null;
  state: string;
  created_at: string;
  /** JSON of the rest of a SnapshotRecord. */
  doc: string;
}

export interface LaunchTemplatesTable {
  seq: Generated<number>;
  launch_template_id: string;
  app_id: number;
  region: string;
  name: string;
  default_version: number;
  latest_version: number;
  created_by: string;
  created_at: string;
  /** JSON array of {key, value}. */
  tags: string;
}

export interface LaunchTemplateVersionsTable {
  template_seq: number;
  version: number;
  description: string;
  /** JSON: LaunchTemplateVersionDoc. */
  data: string;
  created_by: string;
  created_at: string;
}

export interface PlacementGroupsTable {
  seq: Generated<number>;
  group_id: string;
  app_id: number;
  region: string;
  name: string;
  type: string;
  affinity: number;
  client_token: string | null;
  created_at: string;
  /** JSON array of {key, value}. */
  tags: string;
}

export interface PlacementGroupInstancesTable {
  instance_seq: number;
  group_seq: number;
  zone: string;
  host: string;
}

export interface RepairTasksTable {
  seq: Generated<number>;
  task_id: string;
  app_id: number;
  region: string;
  instance_id: string;
  task_type_id: number;
  auth_type: number;
  detail: string;
  created_at: string;
  auth_time: string | null;
  auth_source: string;
}

export interface ChcHostsTable {
  seq: Generated<number>;
  chc_id: string;
  app_id: number;
  region: string;
  zone: string;
  serial_number: string;
  state: string;
  created_at: string;
  /** JSON: ChcHostDoc. */
  doc: string;
}

export interface Database {
  accounts: AccountsTable;
  credentials: CredentialsTable;
  vpcs: VpcsTable;
  subnets: SubnetsTable;
  ip_allocations: IpAllocationsTable;
  public_ips: PublicIpsTable;
  instances: InstancesTable;
  instance_tags: InstanceTagsTable;
  instance_security_groups: InstanceSecurityGroupsTable;
  client_tokens: ClientTokensTable;
  tasks: TasksTable;
  dedicated_hosts: DedicatedHostsTable;
  hpc_clusters: HpcClustersTable;
  resource_pool_packs: ResourcePoolPacksTable;
  operations: OperationsTable;
  key_pairs: KeyPairsTable;
  key_pair_tags: KeyPairTagsTable;
  instance_counts: InstanceCountsTable;
  instance_type_counts: InstanceTypeCountsTable;
  instance_key_pairs: InstanceKeyPairsTable;
  images: ImagesTable;
  addresses: AddressesTable;
  account_quotas: AccountQuotasTable;
  console_passwords: ConsolePasswordsTable;
  image_shares: ImageSharesTable;
  image_key_pairs: ImageKeyPairsTable;
  security_groups: SecurityGroupsTable;
  service_state: ServiceStateTable;
  balances: BalancesTable;
  freezes: FreezesTable;
  frozen_totals: FrozenTotalsTable;
  meters: MetersTable;
  bills: BillsTable;
  account_settlement: AccountSettlementTable;
  action_timers: ActionTimersTable;
  rate_buckets: RateBucketsTable;
  console_sessions: ConsoleSessionsTable;
  console_sign_in_attempts: ConsoleSignInAttemptsTable;
  disks: DisksTable;
  snapshots: SnapshotsTable;
  launch_templates: LaunchTemplatesTable;
  launch_template_versions: LaunchTemplateVersionsTable;
  placement_groups: PlacementGroupsTable;
  placement_group_instances: PlacementGroupInstancesTable;
  repair_tasks: RepairTasksTable;
  chc_hosts: ChcHostsTable;
}
