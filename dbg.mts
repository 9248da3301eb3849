import { startServer, cvmClient } from "./test/helpers/server.js";
const s = await startServer({ OPENCVM_TIMING: "instant" });
const cvm = cvmClient(s);
const r = await cvm.RunInstances({ Placement: { Zone: "ap-guangzhou-3" }, InstanceType: "S5.MEDIUM2", ImageId: "img-eb30mz89", InstanceCount: 10 } as never);
for (let k = 0; k < 10; k++) {
  await new Promise((r) => setTimeout(r, 300));
  console.log((await cvm.DescribeInstances({ InstanceIds: r.InstanceIdSet })).InstanceSet.map((i) => `${i.InstanceState}/${i.LatestOperationState}`).join(" "));
}
console.log(s.logs.filter((l) => /error|warn|fail/i.test(l)).slice(0, 10).join("\n"));
await s.close();
