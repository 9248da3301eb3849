// The default catalog, as the same document an operator's OPENCVM_CATALOG file is (docs/catalog.md), and checked
// the same way. `opencvm catalog` prints it, as a starting point for a catalog of one's own.
import type { CatalogFile } from "../domain/catalog-file.js";
import { parseCatalog } from "../domain/catalog-file.js";
import type { CatalogData } from "../domain/catalog.js";
import { DEFAULT_IMAGES } from "./images.js";
import { DEFAULT_FAMILIES, DEFAULT_INSTANCE_TYPES } from "./instance-types.js";
import { DEFAULT_PREPAID_DISCOUNTS, DEFAULT_PRICES } from "./prices.js";
import { DEFAULT_REGIONS } from "./regions.js";
import { DEFAULT_DISK_TYPES, DEFAULT_INTERNET_CHARGE_TYPES } from "./storage-network.js";

export const DEFAULT_CATALOG: CatalogFile = {
  currency: "CNY",
  regions: DEFAULT_REGIONS,
  instanceFamilies: DEFAULT_FAMILIES,
  instanceTypes: DEFAULT_INSTANCE_TYPES,
  diskTypes: DEFAULT_DISK_TYPES,
  internetChargeTypes: DEFAULT_INTERNET_CHARGE_TYPES,
  prepaidDiscounts: DEFAULT_PREPAID_DISCOUNTS,
  prices: DEFAULT_PRICES,
  images: DEFAULT_IMAGES,
};

let checked: CatalogData | undefined;

/** The default catalog's data, checked once. */
export function defaultCatalogData(): CatalogData {
  checked ??= parseCatalog(JSON.parse(JSON.stringify(DEFAULT_CATALOG)), "built into OpenCVM");
  return checked;
}
