// The disk image formats ImportImage recognises and ExportImages writes, as the backend and the actions name them.
export type DiskFormat = "qcow2" | "vmdk" | "vhd" | "raw" | "iso";

/** What ExportImages writes: every format but the installer ISO. */
export type ExportFormat = Exclude<DiskFormat, "iso">;
