import { describe, expect, it } from "vitest";
import { Clock } from "../domain/clock.js";
import { openStore } from "../store/sql.js";
import { DEFAULT_RATE, RateLimiter } from "./rate-limit.js";

describe("the per-account, per-service, per-action rate limit", () => {
  it("allows the configured rate per second and not one more, then refills continuously", () => {
    let now = 0;
    const limiter = new RateLimiter(10, () => now);
    const burst = Array.from({ length: 11 }, () => limiter.take(1, "cvm", "DescribeZones"));
    expect(burst.filter(Boolean)).toHaveLength(10);
    expect(burst[10]).toBe(false);
    now = 99;
    expect(limiter.take(1, "cvm", "DescribeZones")).toBe(false);
    now = 100;
    expect(limiter.take(1, "cvm", "DescribeZones")).toBe(true);
    now = 10_000;
    expect(Array.from({ length: 11 }, () => limiter.take(1, "cvm", "DescribeZones")).filter(Boolean)).toHaveLength(10);
  });

  it("keeps one bucket per account, per service and per action", () => {
    const limiter = new RateLimiter(1, () => 0);
    expect(limiter.take(1, "cvm", "A")).toBe(true);
    expect(limiter.take(1, "cvm", "A")).toBe(false);
    expect(limiter.take(2, "cvm", "A")).toBe(true);
    expect(limiter.take(1, "cvm", "B")).toBe(true);
    // The same action name in another service has a bucket of its own (cvm's and api's DescribeZones).
    expect(limiter.take(1, "api", "A")).toBe(true);
    expect(limiter.take(1, "api", "A")).toBe(false);
  });

  it("uses the real cloud's documented rates by default and can be turned off", () => {
    const limiter = new RateLimiter("default");
    expect(limiter.rate("cvm", "DescribeInstances")).toBe(40);
    expect(limiter.rate("cvm", "RunInstances")).toBe(10);
    expect(limiter.rate("cvm", "DescribeZones")).toBe(20);
    expect(limiter.rate("vpc", "AllocateAddresses")).toBe(10);
    expect(limiter.rate("cvm", "DescribeKeyPairs")).toBe(DEFAULT_RATE);
    // A documented rate is its service's: another service's action of the same name is not bound by it.
    expect(limiter.rate("api", "DescribeInstances")).toBe(DEFAULT_RATE);
    const off = new RateLimiter("off", () => 0);
    expect(Array.from({ length: 1000 }, () => off.take(1, "cvm", "RunInstances")).every(Boolean)).toBe(true);
  });

  it("counts in the store's buckets when nodes share it: two limiters on one store share one bucket", async () => {
    const store = await openStore(":memory:", new Clock());
    try {
      const nodes = [new RateLimiter(3, undefined, store.rateBuckets), new RateLimiter(3, undefined, store.rateBuckets)];
      const taken = await Promise.all(Array.from({ length: 8 }, (_, i) => nodes[i % 2].take(1, "cvm", "DescribeZones")));
      expect(taken.filter(Boolean)).toHaveLength(3);
      expect(await nodes[0].take(2, "cvm", "DescribeZones")).toBe(true);
      // A token a third of a second.
      await new Promise((r) => setTimeout(r, 400));
      expect(await nodes[1].take(1, "cvm", "DescribeZones")).toBe(true);
      expect(await nodes[0].take(1, "cvm", "DescribeZones")).toBe(false);
    } finally {
      await store.close();
    }
  });
});
