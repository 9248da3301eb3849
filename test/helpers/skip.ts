// A test that cannot run where it is (a missing input of the machine or checkout) says why on stderr and in the
// reporter's skip note: no test is skipped silently.
import type { TestContext } from "vitest";

export function skipSaying(ctx: TestContext, why: string): never {
  console.warn(`skipped: ${ctx.task.name}: ${why}`);
  return ctx.skip(why);
}
