// The one server a test file's tests share: the set-up every contract test file used to copy.
import { afterAll, beforeAll } from "vitest";
import { startServer, type TestServer } from "./server.js";

/**
 * Starts a server with `startServer`'s arguments before the file's first test, hands it to `ready` (which keeps it
 * and builds the file's clients and fixtures), and closes it after the last test.
 */
export function serverForFile(ready: (server: TestServer) => unknown, ...args: Parameters<typeof startServer>): void {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startServer(...args);
    await ready(server);
  });
  afterAll(() => server?.close());
}
