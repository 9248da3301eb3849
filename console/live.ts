// The account's instance state changes and the steps of its long operations as they happen, from the server's event
// stream (one connection per page that listens); the browser reconnects by itself after a break.
import { useEffect, useState } from "preact/hooks";

export interface StateChange {
  InstanceId: string;
  InstanceState: string;
  LatestOperation: string | null;
  LatestOperationState: string | null;
}

/** The steps an operation on a resource (an instance, an image) has begun so far; Result once it has finished. */
export interface Trail {
  ResourceId: string;
  Operation: string;
  RequestId: string;
  Steps: string[];
  Result?: string;
}

/** Calls `onChange` with each change and `onTrail` with each step while mounted; answers whether the stream is connected. */
export function useLiveStates(onChange: (c: StateChange) => void, onTrail?: (t: Trail) => void): boolean {
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource("api/events");
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener("instance", (e) => onChange(JSON.parse((e as MessageEvent).data) as StateChange));
    if (onTrail) source.addEventListener("progress", (e) => onTrail(JSON.parse((e as MessageEvent).data) as Trail));
    return () => source.close();
  }, []);
  return connected;
}

/** The trails of the operations under way, by resource, kept current from the stream; a finished one stays shown with its result. */
export function useTrails(): [Record<string, Trail>, (t: Trail) => void] {
  const [trails, setTrails] = useState<Record<string, Trail>>({});
  return [trails, (t) => setTrails((all) => ({ ...all, [t.ResourceId]: t }))];
}
