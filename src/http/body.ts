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
    // A client that goes away mid-body gets no answer, but the log line says what happened.
    const cut = () => reject(errors.invalidParameter("(request body)", "the connection closed before the body was complete", "请求体未传完连接即已关闭"));
    req.on("error", cut);
    req.on("close", () => {
      if (!req.complete) cut();
    });
  });
}
