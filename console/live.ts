// The account's instance state changes as they happen, from the server's event stream (one connection per page
// that listens); the browser reconnects by itself after a break.
import { useEffect, useState } from "preact/hooks";

export interface StateChange {
  InstanceId: string;
  InstanceState: string;
  LatestOperation: string | null;
  LatestOperationState: string | null;
}

/** Calls `onChange` with each change while mounted; answers whether the stream is connected. */
export function useLiveStates(onChange: (c: StateChange) => void): boolean {
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource("api/events");
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener("instance", (e) => onChange(JSON.parse((e as MessageEvent).data) as StateChange));
    return () => source.close();
  }, []);
  return connected;
}
