// The launch wizard: where and how it is paid, the machine (with the catalog's CPU, memory and hourly price), the
// image, disks, network, login, name, count and tags, then the price from InquiryPriceRunInstances and the quota
// left in the zone from DescribeAccountQuota, before RunInstances.
import { useEffect, useState } from "preact/hooks";
import { all, call } from "../api.js";
import { useT, type Key } from "../i18n.js";
import { PasswordHint, passwordOk } from "../components/password-rules.js";
import { ErrorBox, Field, Table, useLoad } from "../components/ui.js";

const STEPS: Key[] = ["where", "machine", "image", "storage", "networking", "login", "review"];
const DISK_TYPES = ["CLOUD_PREMIUM", "CLOUD_SSD", "CLOUD_BSSD", "CLOUD_HSSD", "CLOUD_BASIC"];

interface Order {
  zone: string;
  charge: "POSTPAID_BY_HOUR" | "PREPAID" | "SPOTPAID";
  period: number;
  type: string;
  image: string;
  systemType: string;
  systemSize: number;
  dataDisks: { type: string; size: number }[];
  vpc: string;
  subnet: string;
  publicIp: boolean;
  bandwidth: number;
  groups: string[];
  login: "key" | "password";
  keyId: string;
  password: string;
  name: string;
  count: number;
  tags: { key: string; value: string }[];
}

const value = (e: Event) => (e.target as HTMLInputElement).value;

/** RunInstances' parameters (InquiryPriceRunInstances takes the same but for the count, the name and the login). */
function purchase(o: Order) {
  return {
    Placement: { Zone: o.zone },
    InstanceChargeType: o.charge,
    ...(o.charge === "PREPAID" ? { InstanceChargePrepaid: { Period: o.period } } : {}),
    InstanceType: o.type,
    ImageId: o.image,
    SystemDisk: { DiskType: o.systemType, DiskSize: o.systemSize },
    ...(o.dataDisks.length ? { DataDisks: o.dataDisks.map((d) => ({ DiskType: d.type, DiskSize: d.size })) } : {}),
    ...(o.vpc && o.subnet ? { VirtualPrivateCloud: { VpcId: o.vpc, SubnetId: o.subnet } } : {}),
    InternetAccessible: o.publicIp
      ? { PublicIpAssigned: true, InternetMaxBandwidthOut: o.bandwidth, InternetChargeType: o.charge === "PREPAID" ? "BANDWIDTH_PREPAID" : "TRAFFIC_POSTPAID_BY_HOUR" }
      : { PublicIpAssigned: false, InternetMaxBandwidthOut: 0 },
  };
}

export function Launch({ region }: { region: string }) {
  const t = useT();
  const [step, setStep] = useState(0);
  const [o, setO] = useState<Order>({
    zone: "",
    charge: "POSTPAID_BY_HOUR",
    period: 1,
    type: "",
    image: "",
    systemType: "CLOUD_PREMIUM",
    systemSize: 50,
    dataDisks: [],
    vpc: "",
    subnet: "",
    publicIp: true,
    bandwidth: 1,
    groups: [],
    login: "password",
    keyId: "",
    password: "",
    name: "",
    count: 1,
    tags: [],
  });
  const set = (change: Partial<Order>) => setO((x) => ({ ...x, ...change }));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const zones = useLoad(() => call("cvm", "DescribeZones", {}, region), [region]);
  const types = useLoad(
    () => (o.zone ? call("cvm", "DescribeZoneInstanceConfigInfos", { Filters: [{ Name: "zone", Values: [o.zone] }, { Name: "instance-charge-type", Values: [o.charge] }] }, region) : Promise.resolve(undefined)),
    [region, o.zone, o.charge],
  );
  const images = useLoad(() => call("cvm", "DescribeImages", { Limit: 100 }, region), [region]);
  const vpcs = useLoad(() => all<any>("vpc", "DescribeVpcs", "VpcSet", {}, region), [region]);
  const subnets = useLoad(() => (o.vpc ? all<any>("vpc", "DescribeSubnets", "SubnetSet", { Filters: [{ Name: "vpc-id", Values: [o.vpc] }] }, region) : Promise.resolve([])), [region, o.vpc]);
  const groups = useLoad(() => all<any>("vpc", "DescribeSecurityGroups", "SecurityGroupSet", {}, region), [region]);
  const keys = useLoad(() => all<any>("cvm", "DescribeKeyPairs", "KeyPairSet", {}, region), [region]);
  const review = STEPS[step] === "review";
  const price = useLoad(() => (review ? call("cvm", "InquiryPriceRunInstances", { ...purchase(o), InstanceCount: o.count }, region) : Promise.resolve(undefined)), [review]);
  const quota = useLoad(() => (review ? call("cvm", "DescribeAccountQuota", { Filters: [{ Name: "zone", Values: [o.zone] }] }, region) : Promise.resolve(undefined)), [review]);

  const availableZones = (zones.data?.ZoneSet ?? []).filter((z: any) => z.ZoneState === "AVAILABLE");
  useEffect(() => {
    if (!o.zone && availableZones.length) set({ zone: availableZones[0].Zone });
  }, [zones.data]);
  const sold = (types.data?.InstanceTypeQuotaSet ?? []).filter((q: any) => q.Status === "SELL");
  useEffect(() => {
    if (sold.length && !sold.some((q: any) => q.InstanceType === o.type)) set({ type: sold[0].InstanceType });
  }, [types.data]);
  useEffect(() => {
    const first = images.data?.ImageSet?.[0];
    if (first && !o.image) set({ image: first.ImageId });
  }, [images.data]);

  const ready: Record<Key, boolean> = {
    where: !!o.zone,
    machine: !!o.type,
    image: !!o.image,
    storage: true,
    networking: !o.vpc || !!o.subnet,
    login: o.login === "key" ? !!o.keyId : passwordOk(o.password),
    review: true,
  } as Record<Key, boolean>;

  const launch = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const login = o.login === "key" ? { KeyIds: [o.keyId] } : { Password: o.password };
      await call(
        "cvm",
        "RunInstances",
        {
          ...purchase(o),
          InstanceCount: o.count,
          ...(o.name ? { InstanceName: o.name } : {}),
          LoginSettings: login,
          ...(o.groups.length ? { SecurityGroupIds: o.groups } : {}),
          ...(o.tags.length ? { TagSpecification: [{ ResourceType: "instance", Tags: o.tags.map((x) => ({ Key: x.key, Value: x.value })) }] } : {}),
        },
        region,
      );
      location.hash = "#/instances";
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const zoneQuota = (quota.data?.AccountQuotaOverview?.AccountQuota?.[o.charge === "PREPAID" ? "PrePaidQuotaSet" : "PostPaidQuotaSet"] ?? []).find((q: any) => q.Zone === o.zone);
  const p = price.data?.Price;
  return (
    <section>
      <h1>{t("launch")}</h1>
      <ol class="steps" aria-label={t("step", { n: step + 1, of: STEPS.length })}>
        {STEPS.map((s, i) => (
          <li aria-current={i === step ? "step" : undefined} class={i === step ? "current" : ""}>
            {t(s)}
          </li>
        ))}
      </ol>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (review) void launch();
          else if (ready[STEPS[step]]) setStep(step + 1);
        }}
      >
        <fieldset>
          <legend>
            {t("step", { n: step + 1, of: STEPS.length })}: {t(STEPS[step])}
          </legend>
          {STEPS[step] === "where" && (
            <>
              <ErrorBox error={zones.error} />
              <Field label={t("zone")}>
                {(id) => (
                  <select id={id} value={o.zone} onChange={(e) => set({ zone: value(e) })}>
                    {availableZones.map((z: any) => (
                      <option value={z.Zone}>{z.ZoneName}</option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={t("chargeType")}>
                {(id) => (
                  <select id={id} value={o.charge} onChange={(e) => set({ charge: value(e) as Order["charge"] })}>
                    <option value="POSTPAID_BY_HOUR">{t("postpaid")}</option>
                    <option value="PREPAID">{t("prepaid")}</option>
                    <option value="SPOTPAID">{t("spot")}</option>
                  </select>
                )}
              </Field>
              {o.charge === "PREPAID" && (
                <Field label={t("period")}>{(id) => <input id={id} type="number" min={1} max={36} value={o.period} onInput={(e) => set({ period: Number(value(e)) })} />}</Field>
              )}
            </>
          )}
          {STEPS[step] === "machine" && (
            <>
              <ErrorBox error={types.error} />
              <Table caption={t("machine")} head={["", t("type"), t("cpu"), t("memory"), t("pricePerHour")]}>
                {sold.map((q: any) => (
                  <tr>
                    <td>
                      <input type="radio" name="type" aria-label={q.InstanceType} checked={o.type === q.InstanceType} onChange={() => set({ type: q.InstanceType })} />
                    </td>
                    <td>{q.InstanceType}</td>
                    <td>{q.Cpu}</td>
                    <td>{q.Memory}</td>
                    <td>{q.Price?.UnitPriceDiscount ?? q.Price?.UnitPrice ?? "-"}</td>
                  </tr>
                ))}
              </Table>
            </>
          )}
          {STEPS[step] === "image" && (
            <>
              <ErrorBox error={images.error} />
              <Field label={t("image")}>
                {(id) => (
                  <select id={id} value={o.image} onChange={(e) => set({ image: value(e) })}>
                    {(images.data?.ImageSet ?? []).map((i: any) => (
                      <option value={i.ImageId}>
                        {i.ImageName} ({i.ImageType}, {i.ImageId})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </>
          )}
          {STEPS[step] === "storage" && (
            <>
              <Field label={`${t("systemDisk")}: ${t("type")}`}>
                {(id) => (
                  <select id={id} value={o.systemType} onChange={(e) => set({ systemType: value(e) })}>
                    {DISK_TYPES.map((d) => (
                      <option value={d}>{d}</option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={`${t("systemDisk")}: ${t("size")}`}>
                {(id) => <input id={id} type="number" min={20} max={1024} value={o.systemSize} onInput={(e) => set({ systemSize: Number(value(e)) })} />}
              </Field>
              {o.dataDisks.map((d, i) => (
                <div class="row">
                  <Field label={`${t("dataDisks")} ${i + 1}: ${t("size")}`}>
                    {(id) => <input id={id} type="number" min={10} value={d.size} onInput={(e) => set({ dataDisks: o.dataDisks.map((x, j) => (j === i ? { ...x, size: Number(value(e)) } : x)) })} />}
                  </Field>
                  <button type="button" onClick={() => set({ dataDisks: o.dataDisks.filter((_, j) => j !== i) })}>
                    {t("remove")}
                  </button>
                </div>
              ))}
              <button type="button" onClick={() => set({ dataDisks: [...o.dataDisks, { type: o.systemType, size: 50 }] })}>
                + {t("dataDisks")}
              </button>
            </>
          )}
          {STEPS[step] === "networking" && (
            <>
              <Field label={t("vpc")}>
                {(id) => (
                  <select id={id} value={o.vpc} onChange={(e) => set({ vpc: value(e), subnet: "" })}>
                    <option value="">{t("defaultVpc")}</option>
                    {(vpcs.data ?? []).map((v: any) => (
                      <option value={v.VpcId}>
                        {v.VpcName} ({v.VpcId} {v.CidrBlock})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {o.vpc && (
                <Field label={t("subnet")}>
                  {(id) => (
                    <select id={id} value={o.subnet} onChange={(e) => set({ subnet: value(e) })}>
                      <option value="">-</option>
                      {(subnets.data ?? [])
                        .filter((s: any) => s.Zone === o.zone)
                        .map((s: any) => (
                          <option value={s.SubnetId}>
                            {s.SubnetName} ({s.SubnetId} {s.CidrBlock})
                          </option>
                        ))}
                    </select>
                  )}
                </Field>
              )}
              <label class="check">
                <input type="checkbox" checked={o.publicIp} onChange={(e) => set({ publicIp: (e.target as HTMLInputElement).checked })} /> {t("publicIpAssign")}
              </label>
              {o.publicIp && (
                <Field label={t("bandwidth")}>{(id) => <input id={id} type="number" min={1} max={200} value={o.bandwidth} onInput={(e) => set({ bandwidth: Number(value(e)) })} />}</Field>
              )}
              <Field label={t("securityGroups")}>
                {(id) => (
                  <select id={id} multiple onChange={(e) => set({ groups: [...(e.target as HTMLSelectElement).selectedOptions].map((x) => x.value) })}>
                    {(groups.data ?? []).map((g: any) => (
                      <option value={g.SecurityGroupId} selected={o.groups.includes(g.SecurityGroupId)}>
                        {g.SecurityGroupName} ({g.SecurityGroupId})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </>
          )}
          {STEPS[step] === "login" && (
            <>
              <label class="check">
                <input type="radio" name="login" checked={o.login === "password"} onChange={() => set({ login: "password" })} /> {t("passwordLogin")}
              </label>
              <label class="check">
                <input type="radio" name="login" checked={o.login === "key"} onChange={() => set({ login: "key" })} /> {t("keyPair")}
              </label>
              {o.login === "password" ? (
                <Field label={t("passwordLogin")} hint={<PasswordHint password={o.password} />}>
                  {(id) => <input id={id} type="password" autocomplete="new-password" value={o.password} onInput={(e) => set({ password: value(e) })} />}
                </Field>
              ) : (
                <Field label={t("keyPair")}>
                  {(id) => (
                    <select id={id} value={o.keyId} onChange={(e) => set({ keyId: value(e) })}>
                      <option value="">-</option>
                      {(keys.data ?? []).map((k: any) => (
                        <option value={k.KeyId}>
                          {k.KeyName} ({k.KeyId})
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              )}
              <Field label={t("instanceName")}>{(id) => <input id={id} value={o.name} maxLength={128} onInput={(e) => set({ name: value(e) })} />}</Field>
              <Field label={t("count")}>{(id) => <input id={id} type="number" min={1} max={100} value={o.count} onInput={(e) => set({ count: Number(value(e)) })} />}</Field>
              {o.tags.map((tag, i) => (
                <div class="row">
                  <Field label={t("tagKey")}>{(id) => <input id={id} value={tag.key} onInput={(e) => set({ tags: o.tags.map((x, j) => (j === i ? { ...x, key: value(e) } : x)) })} />}</Field>
                  <Field label={t("tagValue")}>{(id) => <input id={id} value={tag.value} onInput={(e) => set({ tags: o.tags.map((x, j) => (j === i ? { ...x, value: value(e) } : x)) })} />}</Field>
                  <button type="button" onClick={() => set({ tags: o.tags.filter((_, j) => j !== i) })}>
                    {t("remove")}
                  </button>
                </div>
              ))}
              <button type="button" onClick={() => set({ tags: [...o.tags, { key: "", value: "" }] })}>
                + {t("addTag")}
              </button>
            </>
          )}
          {review && (
            <>
              <dl class="fields">
                <dt>{t("zone")}</dt>
                <dd>{o.zone}</dd>
                <dt>{t("chargeType")}</dt>
                <dd>{t(o.charge === "PREPAID" ? "prepaid" : o.charge === "SPOTPAID" ? "spot" : "postpaid")}</dd>
                <dt>{t("type")}</dt>
                <dd>{o.type}</dd>
                <dt>{t("image")}</dt>
                <dd>{o.image}</dd>
                <dt>{t("count")}</dt>
                <dd>{o.count}</dd>
                <dt>{t("price")}</dt>
                <dd data-testid="price">
                  {p ? `${p.InstancePrice.UnitPriceDiscount ?? p.InstancePrice.DiscountPrice} ${p.InstancePrice.ChargeUnit ?? ""} + ${t("bandwidth")} ${p.BandwidthPrice?.UnitPriceDiscount ?? p.BandwidthPrice?.DiscountPrice ?? 0}` : t("loading")}
                </dd>
              </dl>
              <ErrorBox error={price.error} />
              <p data-testid="quota-left">{zoneQuota ? t("quotaLeft", { zone: o.zone, left: zoneQuota.RemainingQuota, total: zoneQuota.TotalQuota }) : ""}</p>
              <ErrorBox error={error} />
            </>
          )}
        </fieldset>
        <div class="buttons">
          {step > 0 && (
            <button type="button" onClick={() => setStep(step - 1)}>
              {t("previous")}
            </button>
          )}
          <button type="submit" class="primary" disabled={busy || !ready[STEPS[step]]}>
            {review ? t("launchNow") : t("next")}
          </button>
        </div>
      </form>
    </section>
  );
}
