// The ceiling for bench/front-door.ts: a bare node:http server doing only what no implementation of the API can
// skip — read the body, verify TC3-HMAC-SHA256 with the project's own helpers for one fixed key — then answer with
// the DescribeZones bytes OpenCVM gave, a fresh RequestId spliced in. No routing, validation, store or logging.
// It keeps the caches OpenCVM is allowed: the derived signing key per (key, date, service), as src/http/receive.ts
// does; without it the ceiling pays three HMACs per request that OpenCVM does not, and looks slower than it is.
// Environment: BARE_SECRET_ID, BARE_SECRET_KEY, BARE_ANSWER (an OpenCVM answer) or BARE_ANSWER_FILE. Prints its port
// once listening.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import {
  hostCandidates,
  parseTc3Authorization,
  payloadHash,
  sameSignature,
  scopeDate,
  tc3Signature,
  tc3SigningKey,
  tc3StringToSign,
} from "../src/http/signature.js";

const { BARE_SECRET_ID: secretId, BARE_SECRET_KEY: secretKey, BARE_ANSWER_FILE: answerFile } = process.env;
// A large answer (a page of 100 instances) does not fit in an environment variable: it can come in a file.
const answer = answerFile ? readFileSync(answerFile, "utf8") : process.env.BARE_ANSWER;
if (!secretId || !secretKey || !answer) throw new Error("bare-server needs BARE_SECRET_ID, BARE_SECRET_KEY and BARE_ANSWER or BARE_ANSWER_FILE");

// Split the answer around its RequestId so each request gets its own at the cost of a concatenation.
const requestId = (JSON.parse(answer) as { Response: { RequestId: string } }).Response.RequestId;
const at = answer.lastIndexOf(requestId);
const [head, tail] = [answer.slice(0, at), answer.slice(at + requestId.length)];

const failure = (id: string) =>
  JSON.stringify({ Response: { Error: { Code: "AuthFailure.SignatureFailure", Message: "bare server: signature check failed" }, RequestId: id } });

// One fixed secret key, so (date, service) names the derived key; a day or a service never seen is derived once.
const signingKeys = new Map<string, Buffer>();
function signingKey(date: string, service: string): Buffer {
  const id = `${date}\n${service}`;
  let key = signingKeys.get(id);
  if (!key) signingKeys.set(id, (key = tc3SigningKey(secretKey!, date, service)));
  return key;
}

function verified(req: IncomingMessage, body: Buffer): boolean {
  let auth;
  try {
    auth = parseTc3Authorization(req.headers.authorization ?? "");
  } catch {
    return false;
  }
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(",") : (v ?? "");
  };
  const timestamp = header("x-tc-timestamp");
  // The same checks as OpenCVM: known key, clock skew, scope date, then the signature for each Host candidate.
  if (auth.secretId !== secretId) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300 || scopeDate(Number(timestamp)) !== auth.date) return false;
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) headers[name] = header(name);
  const key = signingKey(auth.date, auth.service);
  const input = {
    method: req.method ?? "",
    path: (req.url ?? "/").split("?")[0],
    rawQuery: (req.url ?? "").split("?")[1] ?? "",
    headers,
    signedHeaders: auth.signedHeaders,
    payloadHash: payloadHash(body, req.headers["x-tc-content-sha256"] as string | undefined),
    timestamp,
    date: auth.date,
    service: auth.service,
  };
  for (const host of hostCandidates(header("host"))) {
    headers.host = host;
    if (sameSignature(tc3Signature(key, tc3StringToSign(input)), auth.signature)) return true;
  }
  return false;
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const id = randomUUID();
    const body = verified(req, Buffer.concat(chunks)) ? head + id + tail : failure(id);
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) }).end(body);
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
// Exit normally on SIGTERM, which is what lets --cpu-prof write its profile.
process.once("SIGTERM", () => process.exit(0));
