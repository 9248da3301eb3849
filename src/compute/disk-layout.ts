// What the blank disk writers (blank-*.ts) describe a file as: its length and the few pieces of it that are not
// zeros, which blank-disk.ts writes sparse.
export interface Layout {
  length: number;
  pieces: [offset: number, bytes: Buffer][];
}

export const SECTOR = 512;

export const roundUp = (n: number, to: number): number => Math.ceil(n / to) * to;
