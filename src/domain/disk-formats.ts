// The disk image formats ImportImage recognises and ExportImages writes, and the disks an export writes, as the
// backend and the actions name them.
export type DiskFormat = "qcow2" | "vmdk" | "vhd" | "raw" | "iso";

/** What ExportImages writes: every format but the installer ISO. */
export type ExportFormat = Exclude<DiskFormat, "iso">;

/** One disk of an image that ExportImages writes to a file (its path chosen by the action). */
export interface ExportedDisk {
  path: string;
  /** GiB */
  size: number;
  system: boolean;
}
