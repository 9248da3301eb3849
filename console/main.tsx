// The console's shell: the session, the language, the region, the menu and the page the address's hash names.
import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { call, session, setApiLanguage, signOut, useSession, type SessionInfo } from "./api.js";
import { LangContext, translator, type Key, type Lang } from "./i18n.js";
import { Billing } from "./pages/billing.js";
import { Eips } from "./pages/eips.js";
import { Images } from "./pages/images.js";
import { InstanceDetail } from "./pages/instance-detail.js";
import { Instances } from "./pages/instances.js";
import { KeyPairs } from "./pages/key-pairs.js";
import { Launch } from "./pages/launch.js";
import { Quota } from "./pages/quota.js";
import { SecurityGroups } from "./pages/security-groups.js";
import { SignIn } from "./pages/sign-in.js";
import { Vpcs } from "./pages/vpcs.js";

const PAGES: { path: string; key: Key }[] = [
  { path: "instances", key: "instances" },
  { path: "launch", key: "launch" },
  { path: "images", key: "images" },
  { path: "key-pairs", key: "keyPairs" },
  { path: "security-groups", key: "securityGroups" },
  { path: "vpcs", key: "vpcs" },
  { path: "eips", key: "eips" },
  { path: "quota", key: "quota" },
  { path: "billing", key: "billing" },
];

function useHash(): string[] {
  const read = () => location.hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  const [parts, setParts] = useState(read);
  useEffect(() => {
    const on = () => setParts(read());
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return parts;
}

function stored<T extends string>(key: string, fallback: T): [T, (v: T) => void] {
  const [v, set] = useState<T>(() => (localStorage.getItem(key) as T | null) ?? fallback);
  return [
    v,
    (x: T) => {
      localStorage.setItem(key, x);
      set(x);
    },
  ];
}

function App() {
  const [lang, setLang] = stored<Lang>("opencvm.lang", navigator.language.startsWith("zh") ? "zh-CN" : "en-US");
  const [region, setRegion] = stored<string>("opencvm.region", "ap-guangzhou");
  const [me, setMe] = useState<SessionInfo | null | undefined>(undefined);
  const [regions, setRegions] = useState<{ Region: string; RegionName: string }[]>([]);
  const [menuOpen, setMenuOpen] = useState(false);
  const t = useMemo(() => translator(lang), [lang]);
  const hash = useHash();

  useEffect(() => {
    document.documentElement.lang = lang === "zh-CN" ? "zh" : "en";
    document.title = t("title");
    setApiLanguage(lang);
  }, [lang]);
  useSession(me ?? undefined, () => setMe(null));
  useEffect(() => void session().then((s) => setMe(s ?? null)), []);
  useEffect(() => {
    if (me) call("cvm", "DescribeRegions").then((r) => setRegions(r.RegionSet), () => undefined);
  }, [me, lang]);

  const languagePicker = (
    <select aria-label={t("language")} value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value as Lang)}>
      <option value="en-US">English</option>
      <option value="zh-CN">中文</option>
    </select>
  );
  if (me === undefined) return null;
  if (me === null) {
    return (
      <LangContext.Provider value={{ lang, t }}>
        <SignIn onSignedIn={setMe} languagePicker={languagePicker} />
      </LangContext.Provider>
    );
  }
  const [page = "instances", id] = hash;
  const current = PAGES.find((p) => p.path === page) ?? PAGES[0];
  return (
    <LangContext.Provider value={{ lang, t }}>
      <header class="top">
        <button class="menu-toggle" aria-expanded={menuOpen} aria-controls="menu" onClick={() => setMenuOpen(!menuOpen)}>
          {t("menu")}
        </button>
        <span class="brand">{t("title")}</span>
        <select aria-label={t("region")} value={region} onChange={(e) => setRegion((e.target as HTMLSelectElement).value)}>
          {(regions.length ? regions : [{ Region: region, RegionName: region }]).map((r) => (
            <option value={r.Region}>{r.RegionName}</option>
          ))}
        </select>
        {languagePicker}
        <span class="muted who">{t("signedInAs", { appId: me.AppId })}</span>
        <button onClick={() => signOut().finally(() => setMe(null))}>{t("signOut")}</button>
      </header>
      <div class="body">
        <nav id="menu" class={menuOpen ? "side open" : "side"} aria-label={t("menu")}>
          <ul>
            {PAGES.map((p) => (
              <li>
                <a href={`#/${p.path}`} aria-current={p === current ? "page" : undefined} onClick={() => setMenuOpen(false)}>
                  {t(p.key)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main>
          <Page page={current.path} id={id} region={region} />
        </main>
      </div>
    </LangContext.Provider>
  );
}

function Page({ page, id, region }: { page: string; id: string | undefined; region: string }) {
  switch (page) {
    case "launch":
      return <Launch region={region} />;
    case "images":
      return <Images region={region} />;
    case "key-pairs":
      return <KeyPairs region={region} />;
    case "security-groups":
      return <SecurityGroups region={region} />;
    case "vpcs":
      return <Vpcs region={region} />;
    case "eips":
      return <Eips region={region} />;
    case "quota":
      return <Quota region={region} />;
    case "billing":
      return <Billing />;
    default:
      return id ? <InstanceDetail region={region} id={id} /> : <Instances region={region} />;
  }
}

render(<App />, document.getElementById("app")!);
