// Reads one request in either signing style into the same shape: the common parameters, the SecretId, a way to
// check the signature against a key, and the business parameters (parsed only once the caller is known).
//   TC3-HMAC-SHA256: common parameters in X-TC-* headers; business parameters in the query (GET) or a JSON or
//                    form body (POST).
//   HmacSHA1/HmacSHA256 (v1): everything, common parameters and the signature included, flattened into the query
//                    (GET) or a form body (POST).
import type { IncomingMessage } from "node:http";
import { errors } from "../domain/errors.js";
import { readBody } from "./body.js";
import {
  hostCandidates,
  parseTc3Authorization,
  payloadHash,
  sameSignature,
  scopeDate,
  tc3Signature,
  tc3SigningKey,
  tc3StringToSign,
  v1Signature,
  v1StringToSign,
  type V1Method,
} from "./signature.js";
import { unflatten } from "./unflatten.js";

export const LIMITS = { url: 32 * 1024, v1Body: 1024 * 1024, tc3Body: 10 * 1024 * 1024 };

export interface Common {
  action?: string;
  version?: string;
  region?: string;
  timestamp?: string;
  language?: string;
}

export interface Received {
  style: "TC3-HMAC-SHA256" | V1Method;
  common: Common;
  /** How the client names each common parameter, for messages: `X-TC-Action` in TC3, `Action` in v1. */
  names: Readonly<Record<keyof Common, string>>;
  secretId: string;
  /**
   * The services the request names, the first that is one routing it: TC3's credential scope, then the Host's first
   * label (`cvm` of `cvm.opencvm.test:4577`). Either may name none: the Node SDKs put `127` of `127.0.0.1:4577` in the scope.
   */
  named: string[];
  /** The signature check; TC3 also needs the timestamp's date to match the credential scope. */
  verify(secretKey: string): { ok: true } | { ok: false; detail: string };
  params(): Record<string, unknown>;
}

// How each style names the common parameters: built once, not for every request.
const TC3_NAMES: Readonly<Record<keyof Common, string>> = { action: "X-TC-Action", version: "X-TC-Version", region: "X-TC-Region", timestamp: "X-TC-Timestamp", language: "X-TC-Language" };
const V1_NAMES: Readonly<Record<keyof Common, string>> = { action: "Action", version: "Version", region: "Region", timestamp: "Timestamp", language: "Language" };

const V1_COMMON = new Set(["Action", "Version", "Region", "Timestamp", "Nonce", "SecretId", "Signature", "SignatureMethod", "Token", "Language", "RequestClient"]);

export function receive(req: IncomingMessage): Promise<Received> {
  const url = req.url ?? "/";
  if (req.method === "GET" && url.length > LIMITS.url) return Promise.reject(errors.requestSizeLimitExceeded("URL", LIMITS.url));
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? "" : url.slice(q + 1);
  const authorization = req.headers.authorization;
  if (authorization !== undefined) return receiveTc3(req, path, rawQuery, authorization);
  return receiveV1(req, path, rawQuery);
}

async function receiveTc3(req: IncomingMessage, path: string, rawQuery: string, authorization: string): Promise<Received> {
  const auth = parseTc3Authorization(authorization);
  const method = req.method!;
  const body = method === "POST" ? await readBody(req, LIMITS.tc3Body) : drain(req);
  const h = req.headers;
  const header = (name: string) => {
    const v = h[name];
    return Array.isArray(v) ? v.join(",") : v;
  };
  const common: Common = {
    action: header("x-tc-action"),
    version: header("x-tc-version"),
    region: header("x-tc-region"),
    timestamp: header("x-tc-timestamp"),
    language: header("x-tc-language"),
  };
  return {
    style: "TC3-HMAC-SHA256",
    common,
    names: TC3_NAMES,
    secretId: auth.secretId,
    named: [auth.service, hostLabel(header("host"))],
    verify(secretKey) {
      const date = scopeDate(Number(common.timestamp));
      if (date !== auth.date) return { ok: false, detail: `the credential scope date ${auth.date} is not the date of X-TC-Timestamp, ${date}` };
      const headers: Record<string, string> = {};
      for (const name of auth.signedHeaders) headers[name] = header(name) ?? "";
      const key = signingKey(secretKey, auth.date, auth.service);
      const base = {
        method,
        path,
        rawQuery,
        headers,
        signedHeaders: auth.signedHeaders,
        payloadHash: payloadHash(body, header("x-tc-content-sha256")),
        timestamp: common.timestamp!,
        date: auth.date,
        service: auth.service,
      };
      for (const host of hostCandidates(header("host") ?? "")) {
        headers.host = host;
        if (sameSignature(tc3Signature(key, tc3StringToSign(base)), auth.signature)) return { ok: true };
      }
      return { ok: false, detail: "TC3-HMAC-SHA256" };
    },
    params() {
      if (method === "GET") return unflatten(pairs(rawQuery));
      return bodyParams(header("content-type") ?? "", body);
    },
  };
}

async function receiveV1(req: IncomingMessage, path: string, rawQuery: string): Promise<Received> {
  const method = req.method!;
  let text = rawQuery;
  if (method === "POST") {
    const type = mediaType(req.headers["content-type"] ?? "");
    if (type === "application/json") {
      throw errors.invalidAuthorization("a JSON body must be signed with TC3-HMAC-SHA256 in an Authorization header");
    }
    // A v1 body is a form (the intl SDKs' GETs send no type at all, so none is taken as one too).
    if (type !== "" && type !== "application/x-www-form-urlencoded") throw errors.unsupportedContentType(type);
    text = (await readBody(req, LIMITS.v1Body)).toString("utf8");
  } else {
    drain(req);
  }
  const all = pairs(text);
  const common = new Map<string, string>();
  const business: [string, string][] = [];
  for (const pair of all) {
    if (!V1_COMMON.has(pair[0])) business.push(pair);
    else if (common.has(pair[0])) throw errors.invalidParameter(pair[0], "it is given more than once", "被重复给出");
    else common.set(pair[0], pair[1]);
  }
  const secretId = common.get("SecretId");
  if (!secretId) throw errors.missingParameter("SecretId");
  const signature = common.get("Signature");
  if (!signature) throw errors.missingParameter("Signature");
  const signMethod = common.get("SignatureMethod") ?? "HmacSHA1";
  if (signMethod !== "HmacSHA1" && signMethod !== "HmacSHA256") {
    throw errors.invalidParameterValue("SignatureMethod", signMethod, "use HmacSHA1 or HmacSHA256", "取值应为 HmacSHA1 或 HmacSHA256");
  }
  return {
    style: signMethod,
    common: {
      action: common.get("Action"),
      version: common.get("Version"),
      region: common.get("Region"),
      timestamp: common.get("Timestamp"),
      language: common.get("Language"),
    },
    names: V1_NAMES,
    secretId,
    named: [hostLabel(req.headers.host)],
    verify(secretKey) {
      for (const host of hostCandidates(req.headers.host ?? "")) {
        const expected = v1Signature(secretKey, signMethod, v1StringToSign(method, host, path, all));
        if (sameSignature(expected, signature)) return { ok: true };
      }
      return { ok: false, detail: signMethod };
    },
    params: () => unflatten(business),
  };
}

/** Derived TC3 keys change once a day per key and service: three HMACs saved on nearly every request. */
const signingKeys = new Map<string, Buffer>();
const SIGNING_KEYS_KEPT = 1024;

function signingKey(secretKey: string, date: string, service: string): Buffer {
  const id = `${secretKey}\n${date}\n${service}`;
  let key = signingKeys.get(id);
  if (!key) {
    if (signingKeys.size >= SIGNING_KEYS_KEPT) signingKeys.clear();
    key = tc3SigningKey(secretKey, date, service);
    signingKeys.set(id, key);
  }
  return key;
}

function bodyParams(contentType: string, body: Buffer): Record<string, unknown> {
  const type = mediaType(contentType);
  if (type === "application/json") {
    if (body.length === 0) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw errors.invalidParameter("(request body)", "it is not valid JSON", "不是合法的 JSON");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw errors.invalidParameter("(request body)", "it must be a JSON object", "应为 JSON 对象");
    }
    return parsed as Record<string, unknown>;
  }
  if (type === "application/x-www-form-urlencoded") return unflatten(pairs(body.toString("utf8")));
  throw errors.unsupportedContentType(mediaType(contentType));
}

/** The first DNS label of a Host header, lower-cased, without the port. */
function hostLabel(host: string | undefined): string {
  if (!host) return "";
  // The label ends at the first dot, or at a port's colon when there is no dot (`localhost:4577`, not `[::1]`).
  const dot = host.indexOf(".");
  const end = dot >= 0 ? dot : /:\d+$/.test(host) ? host.lastIndexOf(":") : host.length;
  return host.slice(0, end).toLowerCase();
}

function pairs(text: string): [string, string][] {
  return [...new URLSearchParams(text)];
}

function mediaType(contentType: string): string {
  const semicolon = contentType.indexOf(";");
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

function drain(req: IncomingMessage): Buffer {
  req.resume();
  return Buffer.alloc(0);
}
