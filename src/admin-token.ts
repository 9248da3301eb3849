// The token every admin path asks for: the operator's (OPENCVM_ADMIN_TOKEN or its file), else one generated at first
// start and kept in <data>/admin-token (0600), where the CLI and the tests read it. It travels as
// `Authorization: Bearer <token>`, a header no cross-site form can send and no cross-origin script may send without
// a preflight, which the admin paths refuse.
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, type Config } from "./config.js";

export const ADMIN_TOKEN_FILE = "admin-token";

export interface AdminToken {
  token: string;
  /** Where it is kept, when it was generated into the data directory. */
  file?: string;
}

/** The token the server asks for: the configured one, the one kept in the data directory, or a new one kept there. */
export function ensureAdminToken(config: Config): AdminToken {
  if (config.adminToken) return { token: config.adminToken };
  if (config.data === ":memory:") return { token: newToken() };
  const file = join(config.data, ADMIN_TOKEN_FILE);
  const kept = readKept(file);
  if (kept) return { token: kept, file };
  const token = newToken();
  try {
    // 'wx': a token someone else wrote meanwhile is not replaced.
    writeFileSync(file, token + "\n", { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return { token: readKept(file)!, file };
  }
  return { token, file };
}

/** The token a client (the CLI) sends: the configured one, else the one the server keeps in the data directory. */
export function readAdminToken(config: Config): string {
  if (config.adminToken) return config.adminToken;
  const file = join(config.data, ADMIN_TOKEN_FILE);
  const kept = config.data === ":memory:" ? undefined : readKept(file);
  if (!kept) throw new ConfigError(`No admin token: set OPENCVM_ADMIN_TOKEN (or --admin-token-file), or --data to the server's data directory (its ${ADMIN_TOKEN_FILE} file).`);
  return kept;
}

/** A call to an admin path, with the token and a JSON body as the admin paths require. */
export function adminFetch(baseUrl: string, path: string, token: string, body?: object): Promise<Response> {
  return fetch(new URL(path, baseUrl), {
    method: body === undefined ? "GET" : "POST",
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

function newToken(): string {
  return randomBytes(32).toString("base64url");
}

function readKept(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8").trim() || undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}
