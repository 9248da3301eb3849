// The instances in some states, a page at a time: at a million instances one list of them all would hold hundreds
// of MiB for as long as a walk lasts.
import type { InstancePower, StoredState, Store } from "../store/store.js";

const PAGE = 5000;

export async function* powerPages(store: Store, states: readonly StoredState[]): AsyncGenerator<InstancePower[]> {
  for (let after = 0; ; ) {
    const page = await store.instances.inStates(states, { after, limit: PAGE });
    if (page.length) yield page;
    if (page.length < PAGE) return;
    after = page[page.length - 1].seq;
  }
}
