// Reads a request body up to a limit. The limit is checked against Content-Length before anything is read,
// and against the bytes as they arrive, so an oversized body is refused without being buffered.
import type { IncomingMessage } from "node:http";
import { errors } from "../domain/errors.js";

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(errors.requestSizeLimitExceeded("body", limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.pause();
        reject(errors.requestSizeLimitExceeded("body", limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
