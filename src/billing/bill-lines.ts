// How bill lines are named, in the codes the billing service answers with (ActionType, PayMode,
// BusinessCode) and their display names in both languages.
import type { Language } from "../domain/errors.js";

export const ACTION_TYPES = {
  pre_purchase: { "zh-CN": "包年包月新购", "en-US": "New yearly/monthly subscription" },
  pre_renew: { "zh-CN": "包年包月续费", "en-US": "Yearly/monthly subscription renewal" },
  pre_upgrade: { "zh-CN": "包年包月配置变更", "en-US": "Yearly/monthly subscription specification adjustment" },
  pre_refund: { "zh-CN": "包年包月退款", "en-US": "Yearly/monthly subscription refund" },
  pre_to_post: { "zh-CN": "包年包月转按量", "en-US": "Monthly subscription to pay-as-you-go" },
  postpay_deduct_h: { "zh-CN": "按量计费小时结", "en-US": "Pay-as-you-go hourly settlement" },
} as const;
export type ActionType = keyof typeof ACTION_TYPES;

export const PAY_MODES = {
  prePay: { "zh-CN": "包年包月", "en-US": "Monthly Subscription" },
  postPay: { "zh-CN": "按量计费", "en-US": "Pay-As-You-Go" },
} as const;

export const BUSINESSES = {
  p_cvm: { "zh-CN": "云服务器CVM", "en-US": "Cloud Virtual Machine CVM" },
  p_eip: { "zh-CN": "弹性公网IP", "en-US": "Elastic IP" },
  p_cbs: { "zh-CN": "云硬盘", "en-US": "Cloud Block Storage" },
} as const;
export type BusinessCode = keyof typeof BUSINESSES;

export const COMPONENTS: Record<string, Record<Language, string>> = {
  instance: { "zh-CN": "计算与存储", "en-US": "Compute and storage" },
  disks: { "zh-CN": "云硬盘", "en-US": "Cloud disks" },
  bandwidth: { "zh-CN": "带宽", "en-US": "Bandwidth" },
  "eip-idle": { "zh-CN": "IP资源闲置费", "en-US": "Idle IP fee" },
  "eip-bandwidth": { "zh-CN": "带宽", "en-US": "Bandwidth" },
  subscription: { "zh-CN": "包年包月", "en-US": "Subscription" },
};

/** The name of an ActionType given by its code or by a display name (the API takes names; codes are accepted too). */
export function actionTypeOf(nameOrCode: string): ActionType | undefined {
  if (Object.hasOwn(ACTION_TYPES, nameOrCode)) return nameOrCode as ActionType;
  return (Object.keys(ACTION_TYPES) as ActionType[]).find((k) => Object.values(ACTION_TYPES[k]).includes(nameOrCode as never));
}
