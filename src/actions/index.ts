// Every implemented action. An action of the spec that is not listed here answers that it is not implemented.
import type { ActionDef } from "../api/action.js";
import { describeRegions, describeZones } from "./regions.js";

export const ACTIONS: readonly ActionDef[] = [describeRegions, describeZones];
