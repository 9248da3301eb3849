// How many console sign-ins are tried: per account (or per SecretId that names none) and per client address, over
// a window that starts at the first attempt, counted in the store so that the limit holds across every node sharing
// it. Every attempt counts as it starts (so parallel guesses are counted too); one that succeeds is taken back, and
// clears its account's count. Past a limit, sign-ins are refused until the window ends, even with the right secret.
import { createHash } from "node:crypto";
import type { SignInAttemptRepo } from "../../store/store.js";

/** The documented limits (docs/console.md). */
export const SIGN_IN_LIMITS = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

/** What the attempt is counted against. */
export interface SignInCounters {
  /** `account:<AppId>` for an account that exists, else `secret-id:<hash>` for the SecretId tried. */
  account: string;
  /** `address:<ip>`: the client's address as the socket sees it (a proxy in front shares its own). */
  address: string;
}

export function countersOf(who: { appId: number } | { secretId: string }, address: string): SignInCounters {
  const account = "appId" in who ? `account:${who.appId}` : `secret-id:${createHash("sha256").update(who.secretId).digest("hex").slice(0, 32)}`;
  return { account, address: `address:${address}` };
}

/** A refusal: which limit was passed and when the window ends (ms since the epoch). */
export interface OverLimit {
  limit: "account" | "address";
  until: number;
}

/** Counts the attempt; answers the limit it is past, if any. */
export async function countAttempt(store: SignInAttemptRepo, c: SignInCounters, now: number): Promise<OverLimit | undefined> {
  const counts = await store.count([c.account, c.address], now, SIGN_IN_LIMITS.windowMs);
  const account = counts.get(c.account)!;
  const address = counts.get(c.address)!;
  if (account.attempts > SIGN_IN_LIMITS.perAccount) return { limit: "account", until: account.since + SIGN_IN_LIMITS.windowMs };
  if (address.attempts > SIGN_IN_LIMITS.perAddress) return { limit: "address", until: address.since + SIGN_IN_LIMITS.windowMs };
  return undefined;
}

/** A sign-in that succeeded: its account starts afresh, and its address's count drops by this attempt. */
export async function signedIn(store: SignInAttemptRepo, c: SignInCounters): Promise<void> {
  await store.takeBack(c.account, true);
  await store.takeBack(c.address, false);
}
