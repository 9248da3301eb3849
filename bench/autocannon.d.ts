// The part of autocannon 8's API the benchmark uses (the package ships no types).
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /** A response whose body fails this check is counted in `mismatches`. */
    verifyBody?: (body: string) => boolean;
  }

  interface Result {
    /** Seconds. */
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    "2xx": number;
  }

  interface Instance extends EventEmitter, PromiseLike<Result> {
    stop(): void;
    /** response: (client, statusCode, resBytes, responseTimeMs) */
    on(event: "response", listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): this;
  }

  function autocannon(opts: Options): Instance;
  export default autocannon;
}
