// DescribeInstances' TotalCount for no filter, zones and one tag comes from counts kept as instances are launched,
// retagged and terminated (migration 035). Each count is checked against the listing itself: a page large enough to
// hold every match is counted by its rows, a page of one by the kept counts.
import { expect, it } from "vitest";
import { launch, waitFor, waitGone } from "../helpers/instances.js";
import { commonClient, cvmClient, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";
import { modifyTags } from "../terraform/provider.js";

let server: TestServer;
serverForFile((started) => (server = started), { OPENCVM_TIMING: "instant" });

const cvm = () => cvmClient(server);
const tagApi = () => commonClient(server, "2018-08-13", { host: "tag.opencvm.test" });
type Filter = { Name: string; Values: string[] };

const FILTERS: Filter[][] = [
  [],
  [{ Name: "zone", Values: ["ap-guangzhou-3"] }],
  [{ Name: "zone", Values: ["ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-3"] }],
  [{ Name: "tag:env", Values: ["prod"] }],
  [{ Name: "tag:env", Values: ["prod", "dev"] }],
  [
    { Name: "zone", Values: ["ap-guangzhou-4"] },
    { Name: "tag:env", Values: ["prod"] },
  ],
];

/** For every filter set: the kept count (a page of one) and the matches listed in full. */
async function counts(): Promise<{ kept: number; listed: number }[]> {
  const out = [];
  for (const Filters of FILTERS) {
    const kept = (await cvm().DescribeInstances({ Filters, Limit: 1 })).TotalCount!;
    const listed = (await cvm().DescribeInstances({ Filters, Limit: 100 })).InstanceSet!.length;
    out.push({ kept, listed });
  }
  return out;
}

it("counts what the listing holds through launches, retagging and termination", async () => {
  const spec = (zone: string, env: string, count: number) => ({
    Placement: { Zone: zone },
    InstanceCount: count,
    TagSpecification: [{ ResourceType: "instance", Tags: [{ Key: "env", Value: env }] }],
  });
  const ids = [
    ...(await launch(cvm(), spec("ap-guangzhou-3", "prod", 3))).InstanceIdSet!,
    ...(await launch(cvm(), spec("ap-guangzhou-3", "dev", 2))).InstanceIdSet!,
    ...(await launch(cvm(), spec("ap-guangzhou-4", "prod", 2))).InstanceIdSet!,
    ...(await launch(cvm(), { Placement: { Zone: "ap-guangzhou-4" } })).InstanceIdSet!,
  ];
  await waitFor(cvm(), ids, "RUNNING");
  let now = await counts();
  expect(now.map((c) => c.kept)).toEqual([8, 5, 8, 5, 7, 2]);
  for (const c of now) expect(c.kept).toBe(c.listed);

  // One prod instance of zone 4 becomes dev, the untagged one becomes prod; one prod instance of zone 3 goes.
  const uin = "";
  await modifyTags(tagApi(), `qcs::cvm:ap-guangzhou:uin/${uin}:instance/${ids[5]}`, { env: "dev" }, []);
  await modifyTags(tagApi(), `qcs::cvm:ap-guangzhou:uin/${uin}:instance/${ids[7]}`, { env: "prod", team: "core" }, []);
  await cvm().TerminateInstances({ InstanceIds: [ids[0]] });
  await waitGone(cvm(), [ids[0]]);
  now = await counts();
  expect(now.map((c) => c.kept)).toEqual([7, 4, 7, 4, 7, 2]);
  for (const c of now) expect(c.kept).toBe(c.listed);
});
