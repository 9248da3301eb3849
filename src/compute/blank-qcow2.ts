// A blank qcow2 (version 3) image: the header, a refcount table with one refcount block, an L1 table, and, when the
// disk has a head, one L2 table and the data cluster holding it. Every cluster is counted once, as `qemu-img check`
// expects.
import type { Layout } from "./disk-layout.js";

const CLUSTER_BITS = 16;
const CLUSTER = 1 << CLUSTER_BITS;
/** Entries of an L2 table (one cluster of 64-bit offsets): each L1 entry covers this many clusters. */
const L2_ENTRIES = CLUSTER / 8;
/** The entry flag that says the cluster is used exactly once (refcount 1). */
const COPIED = 1n << 63n;

export function qcow2Layout(size: number, head: Buffer | undefined): Layout {
  const l1Entries = Math.ceil(size / (CLUSTER * L2_ENTRIES));
  const l1Clusters = Math.max(1, Math.ceil((l1Entries * 8) / CLUSTER));
  // Cluster 0 is the header, 1 the refcount table, 2 its only block (16-bit counts for 32768 clusters), then L1.
  const [refTable, refBlock, l1] = [1, 2, 3];
  const l2 = l1 + l1Clusters;
  const data = l2 + 1;
  const clusters = head ? data + 1 : l2;

  const header = Buffer.alloc(112);
  header.write("QFI\xfb", 0, "latin1");
  header.writeUInt32BE(3, 4);
  header.writeUInt32BE(CLUSTER_BITS, 20);
  header.writeBigUInt64BE(BigInt(size), 24);
  header.writeUInt32BE(l1Entries, 36);
  header.writeBigUInt64BE(BigInt(l1 * CLUSTER), 40);
  header.writeBigUInt64BE(BigInt(refTable * CLUSTER), 48);
  header.writeUInt32BE(1, 56);
  // refcount_order 4 (16-bit counts), header_length 104; the zeros after it end the (empty) extension list.
  header.writeUInt32BE(4, 96);
  header.writeUInt32BE(104, 100);

  const table = Buffer.alloc(8);
  table.writeBigUInt64BE(BigInt(refBlock * CLUSTER));
  const counts = Buffer.alloc(clusters * 2);
  for (let i = 0; i < clusters; i++) counts.writeUInt16BE(1, i * 2);
  const pieces: Layout["pieces"] = [
    [0, header],
    [refTable * CLUSTER, table],
    [refBlock * CLUSTER, counts],
  ];
  if (head) {
    pieces.push([l1 * CLUSTER, entry(l2)], [l2 * CLUSTER, entry(data)], [data * CLUSTER, head]);
  }
  return { length: clusters * CLUSTER, pieces };
}

/** A table entry pointing at a cluster used once. */
function entry(cluster: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(cluster * CLUSTER) | COPIED);
  return b;
}
