import { describe, expect, it } from "vitest";
import { DEFAULT_RATE, RateLimiter } from "./rate-limit.js";

describe("the per-account, per-action rate limit", () => {
  it("allows the configured rate per second and not one more, then refills continuously", () => {
    let now = 0;
    const limiter = new RateLimiter(10, () => now);
    const burst = Array.from({ length: 11 }, () => limiter.take(1, "DescribeZones"));
    expect(burst.filter(Boolean)).toHaveLength(10);
    expect(burst[10]).toBe(false);
    now = 99;
    expect(limiter.take(1, "DescribeZones")).toBe(false);
    now = 100;
    expect(limiter.take(1, "DescribeZones")).toBe(true);
    now = 10_000;
    expect(Array.from({ length: 11 }, () => limiter.take(1, "DescribeZones")).filter(Boolean)).toHaveLength(10);
  });

  it("keeps one bucket per account and per action", () => {
    const limiter = new RateLimiter(1, () => 0);
    expect(limiter.take(1, "A")).toBe(true);
    expect(limiter.take(1, "A")).toBe(false);
    expect(limiter.take(2, "A")).toBe(true);
    expect(limiter.take(1, "B")).toBe(true);
  });

  it("uses the real cloud's documented rates by default and can be turned off", () => {
    const limiter = new RateLimiter("default");
    expect(limiter.rate("DescribeInstances")).toBe(40);
    expect(limiter.rate("RunInstances")).toBe(10);
    expect(limiter.rate("DescribeZones")).toBe(20);
    expect(limiter.rate("DescribeKeyPairs")).toBe(DEFAULT_RATE);
    const off = new RateLimiter("off", () => 0);
    expect(Array.from({ length: 1000 }, () => off.take(1, "RunInstances")).every(Boolean)).toBe(true);
  });
});
