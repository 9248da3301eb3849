// Public images offered in every region by default (the images issue makes them complete resources).
import type { ImageEntry } from "../domain/catalog.js";

export const DEFAULT_IMAGES: ImageEntry[] = [
  { imageId: "img-eb30mz89", osName: "TencentOS Server 3.1 (TK4)", platform: "TencentOS", family: "LINUX", loginUser: "root" },
  { imageId: "img-487zeit5", osName: "Ubuntu Server 22.04 LTS 64bit", platform: "Ubuntu", family: "LINUX", loginUser: "ubuntu" },
  { imageId: "img-9id7emv7", osName: "Debian 12.0 64bit", platform: "Debian", family: "LINUX", loginUser: "root" },
  { imageId: "img-l8og963d", osName: "CentOS 7.9 64bit", platform: "CentOS", family: "LINUX", loginUser: "root" },
  { imageId: "img-9qrfy1xt", osName: "Windows Server 2022 DataCenter 64bit", platform: "Windows", family: "WINDOWS", loginUser: "Administrator" },
];
