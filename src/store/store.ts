// The store's interface: one repository per resource. One implementation (sql.ts) serves every dialect.

export interface Account {
  appId: number;
  uin: string;
  ownerUin: string;
  isDefault: boolean;
  createdAt: string;
}

export interface Credential {
  secretId: string;
  secretKey: string;
  enabled: boolean;
  account: Account;
}

export interface AccountRepo {
  /** The credential with this SecretId and its account, enabled or not. */
  findCredential(secretId: string): Promise<Credential | undefined>;
  defaultAccount(): Promise<Account | undefined>;
  list(): Promise<Account[]>;
  /** Creates an account with a first key pair; AppId and Uin are the next free numbers. */
  create(key: { secretId: string; secretKey: string }, options?: { isDefault?: boolean }): Promise<Account>;
  /** Adds a key pair to an account, or sets the key and enables it when the SecretId exists already. */
  putKey(appId: number, key: { secretId: string; secretKey: string }): Promise<void>;
  setKeyEnabled(secretId: string, enabled: boolean): Promise<void>;
}

export interface Store {
  accounts: AccountRepo;
  close(): Promise<void>;
}
