// opencvm catalog: the built-in catalog as JSON (a starting point for one's own), or a check of a catalog file.
import type { Command } from "commander";
import { DEFAULT_CATALOG } from "../catalog/index.js";
import { loadCatalog } from "../main.js";
import { configOf, print } from "./context.js";

export function catalogCommand(program: Command): void {
  program
    .command("catalog")
    .description("prints the built-in catalog as JSON, or checks the file --catalog names and sums it up")
    .option("--catalog <file>", "a catalog file to check (OPENCVM_CATALOG)")
    .action((_o, cmd: Command) => {
      const config = configOf(cmd);
      if (!config.catalog) return print(JSON.stringify(DEFAULT_CATALOG, null, 2));
      const data = loadCatalog(config.catalog);
      const zones = data.regions.reduce((n, r) => n + r.zones.length, 0);
      print(`${config.catalog}: a valid catalog of ${data.regions.length} region(s), ${zones} zone(s), ${data.instanceTypes.length} instance type(s), priced in ${data.currency}`);
    });
}
