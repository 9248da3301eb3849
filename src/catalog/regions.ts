// The public regions and availability zones OpenCVM serves by default, with the real cloud's region names, zone
// names and ZoneIds (region code × 1000 + zone number). Zones the real cloud lists as sold out are UNAVAILABLE.
import type { CatalogFile } from "../domain/catalog-file.js";

const ZH_NUMBERS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

export interface RegionRow {
  region: string;
  name: [en: string, zh: string];
  city: [en: string, zh: string];
  code: number;
  zones: number[];
  unavailable?: number[];
}

export const REGION_ROWS: RegionRow[] = [
  { region: "ap-guangzhou", name: ["South China(Guangzhou)", "华南地区(广州)"], city: ["Guangzhou", "广州"], code: 100, zones: [1, 2, 3, 4, 6, 7], unavailable: [1, 2] },
  { region: "ap-shanghai", name: ["East China(Shanghai)", "华东地区(上海)"], city: ["Shanghai", "上海"], code: 200, zones: [1, 2, 3, 4, 5, 6, 8], unavailable: [1, 6] },
  { region: "ap-nanjing", name: ["East China(Nanjing)", "华东地区(南京)"], city: ["Nanjing", "南京"], code: 330, zones: [1, 2, 3] },
  { region: "ap-beijing", name: ["North China(Beijing)", "华北地区(北京)"], city: ["Beijing", "北京"], code: 800, zones: [1, 3, 4, 5, 6, 7], unavailable: [1] },
  { region: "ap-chengdu", name: ["Southwest China(Chengdu)", "西南地区(成都)"], city: ["Chengdu", "成都"], code: 160, zones: [1, 2] },
  { region: "ap-chongqing", name: ["Southwest China(Chongqing)", "西南地区(重庆)"], city: ["Chongqing", "重庆"], code: 620, zones: [1] },
  { region: "ap-hongkong", name: ["Hong Kong, Macau and Taiwan (China)(Hong Kong, China)", "港澳台地区(中国香港)"], city: ["Hong Kong", "中国香港"], code: 300, zones: [1, 2, 3], unavailable: [1] },
  { region: "ap-shenzhen-fsi", name: ["South China(Shenzhen Finance)", "华南地区(深圳金融)"], city: ["Shenzhen Finance", "深圳金融"], code: 110, zones: [1, 2, 3], unavailable: [3] },
  { region: "ap-shanghai-fsi", name: ["East China(Shanghai Finance)", "华东地区(上海金融)"], city: ["Shanghai Finance", "上海金融"], code: 700, zones: [1, 2, 3, 4] },
  { region: "ap-singapore", name: ["Southeast Asia(Singapore)", "亚太东南(新加坡)"], city: ["Singapore", "新加坡"], code: 900, zones: [1, 2, 3, 4] },
  { region: "ap-bangkok", name: ["Southeast Asia(Bangkok)", "亚太东南(曼谷)"], city: ["Bangkok", "曼谷"], code: 230, zones: [1, 2] },
  { region: "ap-jakarta", name: ["Southeast Asia(Jakarta)", "亚太东南(雅加达)"], city: ["Jakarta", "雅加达"], code: 720, zones: [1, 2] },
  { region: "ap-seoul", name: ["Northeast Asia(Seoul)", "亚太东北(首尔)"], city: ["Seoul", "首尔"], code: 180, zones: [1, 2] },
  { region: "ap-tokyo", name: ["Northeast Asia(Tokyo)", "亚太东北(东京)"], city: ["Tokyo", "东京"], code: 250, zones: [1, 2] },
  { region: "ap-mumbai", name: ["South Asia(Mumbai)", "亚太南部(孟买)"], city: ["Mumbai", "孟买"], code: 210, zones: [1, 2] },
  { region: "na-siliconvalley", name: ["West US(Silicon Valley)", "美国西部(硅谷)"], city: ["Silicon Valley", "硅谷"], code: 150, zones: [1, 2] },
  { region: "na-ashburn", name: ["East US(Virginia)", "美国东部(弗吉尼亚)"], city: ["Virginia", "弗吉尼亚"], code: 220, zones: [1, 2] },
  { region: "eu-frankfurt", name: ["Europe(Frankfurt)", "欧洲地区(法兰克福)"], city: ["Frankfurt", "法兰克福"], code: 170, zones: [1, 2] },
  { region: "sa-saopaulo", name: ["South America(São Paulo)", "南美地区(圣保罗)"], city: ["Sao Paulo", "圣保罗"], code: 740, zones: [1] },
];

export const DEFAULT_REGIONS: CatalogFile["regions"] = REGION_ROWS.map((r) => ({
  region: r.region,
  name: { "en-US": r.name[0], "zh-CN": r.name[1] },
  state: "AVAILABLE" as const,
  zones: r.zones.map(
    (n) => ({
      zone: `${r.region}-${n}`,
      zoneId: String(r.code * 1000 + n),
      name: { "en-US": `${r.city[0]} Zone ${n}`, "zh-CN": `${r.city[1]}${ZH_NUMBERS[n]}区` },
      state: r.unavailable?.includes(n) ? ("UNAVAILABLE" as const) : ("AVAILABLE" as const),
    }),
  ),
}));
