// The console's only way to the cloud: the API's own actions, posted to /console/api/call as the signed-in account,
// with the session's CSRF token. A refusal comes back as the API's error envelope, with its code and RequestId.
export const VERSIONS = { cvm: "2017-03-12", vpc: "2017-03-12", billing: "2018-07-09" } as const;
export type Service = keyof typeof VERSIONS;

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly requestId: string,
  ) {
    super(message);
  }
}

export interface SessionInfo {
  AppId: number;
  Uin: string;
  Csrf: string;
  Expires: string;
}

let csrf = "";
/** The language the API's messages and the console's own refusals are asked in (X-TC-Language, Language). */
let language = "en-US";
/** Called when the server says the session is gone: the page goes back to sign-in. */
let onSignedOut: () => void = () => undefined;

export function useSession(s: SessionInfo | undefined, signedOut: () => void): void {
  csrf = s?.Csrf ?? "";
  onSignedOut = signedOut;
}

export function setApiLanguage(lang: "en-US" | "zh-CN"): void {
  language = lang;
}

async function post(path: string, body: object): Promise<Response> {
  return fetch(`api/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "X-TC-Language": language },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
}

async function doorError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as { Error?: { Code: string; Message: string } };
  if (res.status === 401) onSignedOut();
  return new ApiError(body.Error?.Code ?? `HTTP${res.status}`, body.Error?.Message ?? res.statusText, "");
}

/** Calls `action` of `service` in `region` (none for region-less actions); resolves with its answer's Response. */
export async function call<T = any>(service: Service, action: string, params: object = {}, region?: string): Promise<T> {
  const res = await post("call", { Version: VERSIONS[service], Action: action, Region: region, Params: params, Language: language });
  if (res.status !== 200) throw await doorError(res);
  const { Response: r } = (await res.json()) as { Response: { Error?: { Code: string; Message: string }; RequestId: string } };
  if (r.Error) throw new ApiError(r.Error.Code, r.Error.Message, r.RequestId);
  return r as T;
}

/** The serial console's tail of a real machine; undefined where the backend has none (simulated instances). */
export async function serialLog(instanceId: string): Promise<string | undefined> {
  const res = await fetch(`api/serial/${encodeURIComponent(instanceId)}`, { credentials: "same-origin", headers: { "X-TC-Language": language } });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw await doorError(res);
  return ((await res.json()) as { SerialLog: string }).SerialLog;
}

export async function session(): Promise<SessionInfo | undefined> {
  const res = await fetch("api/session", { credentials: "same-origin" });
  return res.status === 200 ? ((await res.json()) as SessionInfo) : undefined;
}

export async function signIn(credentials: { SecretId: string; SecretKey: string } | { AppId: string; Password: string }): Promise<SessionInfo> {
  const res = await post("sign-in", credentials);
  if (res.status !== 200) throw await doorError(res);
  return (await res.json()) as SessionInfo;
}

export async function signOut(): Promise<void> {
  await post("sign-out", {});
}

/** Every page of a Describe action (Offset/Limit), for lists an account keeps small (key pairs, groups, VPCs). */
export async function all<T>(service: Service, action: string, set: string, params: object, region: string, limit = 100): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += limit) {
    const r = await call(service, action, { ...params, Offset: offset, Limit: limit }, region);
    const page = (r[set] ?? []) as T[];
    out.push(...page);
    if (page.length < limit || out.length >= (r.TotalCount ?? 0)) return out;
  }
}
