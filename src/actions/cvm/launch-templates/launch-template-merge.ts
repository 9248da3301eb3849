// A launch from a template: RunInstances and InquiryPriceRunInstances take `LaunchTemplate` {id, version} and
// start from that version's members; every member the request gives replaces the template's whole member (the
// documented rule for Placement and ImageId, applied to all). No version given: the template's default.
import type { RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { fail } from "../../../domain/errors.js";
import type { Store } from "../../../store/store.js";
import { findTemplate, versionOf } from "./launch-template-inputs.js";

/** What a version keeps: the launch members as asked (without a password), the password's hash, and its view. */
export interface VersionDoc {
  members: Partial<cvm.RunInstancesRequest>;
  passwordHash?: string;
  view: cvm.LaunchTemplateVersionData;
}

export interface Launch<T> {
  request: T;
  /** The template's password, as its hash, when the launch takes the template's LoginSettings. */
  passwordHash?: string;
}

export async function withLaunchTemplate<T extends { LaunchTemplate?: cvm.LaunchTemplateIn; LoginSettings?: cvm.LoginSettingsIn }>(store: Store, ctx: RequestContext, p: T): Promise<Launch<T>> {
  if (p.LaunchTemplate === undefined) return { request: p };
  const { LaunchTemplateId: id, LaunchTemplateVersion: n } = p.LaunchTemplate;
  if (id === undefined) throw fail("MissingParameter", "The request is missing the required parameter `LaunchTemplate.LaunchTemplateId`.", "缺少必需参数 `LaunchTemplate.LaunchTemplateId`。");
  const { template, versions } = await findTemplate(store, ctx, id, "LaunchTemplate.LaunchTemplateId");
  const version = versionOf(ctx.action, template, versions, n ?? template.defaultVersion, "LaunchTemplate.LaunchTemplateVersion");
  const doc = version.data as unknown as VersionDoc;
  const given = Object.fromEntries(Object.entries(p).filter(([k, v]) => v !== undefined && k !== "LaunchTemplate"));
  const request = { ...doc.members, ...given } as T;
  return { request, ...(p.LoginSettings === undefined && doc.passwordHash ? { passwordHash: doc.passwordHash } : {}) };
}
