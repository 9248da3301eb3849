// How the admin paths refuse: an error with the HTTP status the door answers it with, and the account lookup that
// most paths start with.
import type { Deps } from "../api/action.js";

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The AppId `v` names, refused when no account has it. */
export async function knownAccount(deps: Deps, v: unknown): Promise<number> {
  const appId = Number(v);
  if (!Number.isSafeInteger(appId) || !(await deps.store.accounts.byAppId(appId))) throw new AdminError(404, `No account with AppId ${String(v)}.`);
  return appId;
}
