// Table types for Kysely. Column names are snake_case; times are ISO-8601 UTC strings (portable across dialects).
import type { Generated } from "kysely";

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

export interface Database {
  accounts: AccountsTable;
  credentials: CredentialsTable;
}

export type { Generated };
