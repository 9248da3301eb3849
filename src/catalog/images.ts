// Public images offered in every region: the families users expect, with the real cloud's names and sizes.
// Image ids have the real shape; the real cloud's ids differ per image version.
import type { ImageEntry, ImportableOs } from "../domain/catalog.js";

type Row = [imageId: string, osName: string, platform: string, imageFamily: string, architecture: "x86_64" | "arm", sizeGiB: number, created: string];

const LINUX: Row[] = [
  ["img-eb30mz89", "TencentOS Server 3.1 (TK4)", "TencentOS", "tencentos-3", "x86_64", 20, "2024-11-20T08:00:00Z"],
  ["img-hdt9xxkt", "TencentOS Server 4 for x86_64", "TencentOS", "tencentos-4", "x86_64", 20, "2025-06-10T08:00:00Z"],
  ["img-3la7wgnt", "TencentOS Server 3.1 (TK4) for ARM64", "TencentOS", "tencentos-3-arm", "arm", 20, "2024-11-20T08:00:00Z"],
  ["img-487zeit5", "Ubuntu Server 22.04 LTS 64bit", "Ubuntu", "ubuntu-22-04", "x86_64", 20, "2024-09-02T08:00:00Z"],
  ["img-mmytdhbn", "Ubuntu Server 24.04 LTS 64bit", "Ubuntu", "ubuntu-24-04", "x86_64", 20, "2025-03-18T08:00:00Z"],
  ["img-22trbn9x", "Ubuntu Server 20.04 LTS 64bit", "Ubuntu", "ubuntu-20-04", "x86_64", 20, "2023-12-05T08:00:00Z"],
  ["img-9id7emv7", "Debian 12.0 64bit", "Debian", "debian-12", "x86_64", 20, "2024-08-15T08:00:00Z"],
  ["img-h1yvvfw1", "Debian 11.1 64bit", "Debian", "debian-11", "x86_64", 20, "2023-06-20T08:00:00Z"],
  ["img-l8og963d", "CentOS 7.9 64bit", "CentOS", "centos-7", "x86_64", 20, "2023-04-11T08:00:00Z"],
  ["img-1u6l2i9l", "CentOS Stream 9 64bit", "CentOS", "centos-stream-9", "x86_64", 20, "2024-05-07T08:00:00Z"],
  ["img-dhiwbw5x", "Rocky Linux 9.4 64bit", "Rocky Linux", "rocky-9", "x86_64", 20, "2024-07-23T08:00:00Z"],
  ["img-6rrx0ymd", "AlmaLinux 9.4 64bit", "AlmaLinux", "almalinux-9", "x86_64", 20, "2024-07-23T08:00:00Z"],
  ["img-pr3ahyhn", "OpenCloudOS Server 9", "OpenCloudOS", "opencloudos-9", "x86_64", 20, "2024-10-08T08:00:00Z"],
];

const WINDOWS: Row[] = [
  ["img-9qrfy1xt", "Windows Server 2022 DataCenter 64bit", "Windows", "windows-2022", "x86_64", 50, "2024-10-15T08:00:00Z"],
  ["img-ne5o4ydo", "Windows Server 2019 DataCenter 64bit", "Windows", "windows-2019", "x86_64", 50, "2024-10-15T08:00:00Z"],
];

const entry = (family: "LINUX" | "WINDOWS") => ([imageId, osName, platform, imageFamily, architecture, imageSize, createdTime]: Row): ImageEntry => ({
  imageId,
  osName,
  platform,
  imageFamily,
  architecture,
  imageSize,
  createdTime,
  family,
  loginUser: family === "WINDOWS" ? "Administrator" : platform === "Ubuntu" ? "ubuntu" : "root",
});

export const DEFAULT_IMAGES: ImageEntry[] = [...LINUX.map(entry("LINUX")), ...WINDOWS.map(entry("WINDOWS"))];

/** What ImportImage accepts (DescribeImportImageOs). */
export const IMPORTABLE_OS: ImportableOs[] = [
  { osName: "CentOS", family: "LINUX", versions: ["7", "8"], architectures: ["x86_64"] },
  { osName: "Ubuntu", family: "LINUX", versions: ["18.04", "20.04", "22.04", "24.04"], architectures: ["x86_64", "arm64"] },
  { osName: "Debian", family: "LINUX", versions: ["10", "11", "12"], architectures: ["x86_64", "arm64"] },
  { osName: "Rocky Linux", family: "LINUX", versions: ["8", "9"], architectures: ["x86_64"] },
  { osName: "AlmaLinux", family: "LINUX", versions: ["8", "9"], architectures: ["x86_64"] },
  { osName: "TencentOS", family: "LINUX", versions: ["2.4", "3.1", "4"], architectures: ["x86_64", "arm64"] },
  { osName: "Windows Server 2019", family: "WINDOWS", versions: ["-"], architectures: ["x86_64"] },
  { osName: "Windows Server 2022", family: "WINDOWS", versions: ["-"], architectures: ["x86_64"] },
];
