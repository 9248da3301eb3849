// One error type for every answer that is not a success. The code is what the API documents; the message is
// written in both languages the API speaks and chosen per request (X-TC-Language / Language).

export type Language = "zh-CN" | "en-US";
export const LANGUAGES: readonly Language[] = ["zh-CN", "en-US"];

export class TencentError extends Error {
  constructor(
    readonly code: string,
    readonly en: string,
    readonly zh: string = en,
  ) {
    super(`${code}: ${en}`);
  }

  text(language: Language): string {
    return language === "zh-CN" ? this.zh : this.en;
  }
}

/** An error with the given code and a message in both languages. */
export function fail(code: string, en: string, zh?: string): TencentError {
  return new TencentError(code, en, zh);
}

/** The codes every action of every service may return (shared/cvm-api/protocol.md §7). */
export const COMMON_CODES: ReadonlySet<string> = new Set([
  "ActionOffline",
  "AuthFailure.InvalidAuthorization",
  "AuthFailure.InvalidSecretId",
  "AuthFailure.MFAFailure",
  "AuthFailure.SecretIdNotFound",
  "AuthFailure.SignatureExpire",
  "AuthFailure.SignatureFailure",
  "AuthFailure.TokenFailure",
  "AuthFailure.UnauthorizedOperation",
  "DryRunOperation",
  "FailedOperation",
  "InternalError",
  "InvalidAction",
  "InvalidParameter",
  "InvalidParameterValue",
  "InvalidRequest",
  "IpInBlacklist",
  "IpNotInWhitelist",
  "LimitExceeded",
  "MissingParameter",
  "NoSuchProduct",
  "NoSuchVersion",
  "RequestLimitExceeded",
  "RequestSizeLimitExceeded",
  "ResponseSizeLimitExceeded",
  "ResourceInUse",
  "ResourceInsufficient",
  "ResourceNotFound",
  "ResourceUnavailable",
  "ServiceUnavailable",
  "UnauthorizedOperation",
  "UnknownParameter",
  "UnsupportedOperation",
  "UnsupportedProtocol",
  "UnsupportedRegion",
]);

// Factories for the common codes, each naming what is at fault.

export const errors = {
  unsupportedProtocol: (method: string) =>
    fail("UnsupportedProtocol", `HTTP method ${method} is not supported; use GET or POST.`, `不支持 HTTP 方法 ${method}，请使用 GET 或 POST。`),
  requestSizeLimitExceeded: (what: string, limit: number) =>
    fail(
      "RequestSizeLimitExceeded",
      `The request ${what} is larger than the limit of ${limit} bytes.`,
      `请求${what === "URL" ? " URL" : "包"}超过 ${limit} 字节的上限。`,
    ),
  missingParameter: (name: string) =>
    fail("MissingParameter", `The request is missing the required parameter \`${name}\`.`, `缺少必需参数 \`${name}\`。`),
  unknownParameter: (name: string) =>
    fail("UnknownParameter", `The parameter \`${name}\` is not recognized by this action.`, `参数 \`${name}\` 不是此接口的参数。`),
  invalidParameter: (name: string, reason: string, reasonZh: string) =>
    fail("InvalidParameter", `The parameter \`${name}\` is invalid: ${reason}.`, `参数 \`${name}\` 错误：${reasonZh}。`),
  invalidParameterValue: (name: string, value: string, reason: string, reasonZh: string) =>
    fail(
      "InvalidParameterValue",
      `The value \`${value}\` of parameter \`${name}\` is invalid: ${reason}.`,
      `参数 \`${name}\` 的取值 \`${value}\` 无效：${reasonZh}。`,
    ),
  unsupportedContentType: (contentType: string) =>
    fail(
      "InvalidParameter",
      `The content type \`${contentType || "(none)"}\` is not supported: send application/json (TC3-HMAC-SHA256) or application/x-www-form-urlencoded.`,
      `不支持的 Content-Type \`${contentType || "（无）"}\`：请使用 application/json（TC3-HMAC-SHA256）或 application/x-www-form-urlencoded。`,
    ),
  invalidAction: (action: string, version: string) =>
    fail("InvalidAction", `The action \`${action}\` does not exist in API version ${version}.`, `接口 \`${action}\` 在版本 ${version} 中不存在。`),
  noSuchVersion: (version: string, known: readonly string[]) =>
    fail(
      "NoSuchVersion",
      `The API version \`${version}\` does not exist; supported versions: ${known.join(", ")}.`,
      `API 版本 \`${version}\` 不存在，支持的版本：${known.join("，")}。`,
    ),
  unsupportedRegion: (region: string) =>
    fail("UnsupportedRegion", `The region \`${region}\` is not supported.`, `不支持地域 \`${region}\`。`),
  notImplemented: (action: string) =>
    fail(
      "UnsupportedOperation",
      `The action \`${action}\` is part of the API but OpenCVM does not implement it yet (see docs/coverage.md).`,
      `接口 \`${action}\` 属于该 API，但 OpenCVM 尚未实现（见 docs/coverage.md）。`,
    ),
  requestLimitExceeded: (action: string, rate: number) =>
    fail(
      "RequestLimitExceeded",
      `Too many requests: \`${action}\` allows ${rate} requests per second per account.`,
      `请求过于频繁：\`${action}\` 每个账号每秒最多 ${rate} 次请求。`,
    ),
  serviceUnavailable: (requestId: string) =>
    fail(
      "ServiceUnavailable",
      `The request could not be completed: OpenCVM's storage is full or failing. Retry later; quote RequestId ${requestId} if it persists.`,
      `OpenCVM 的存储空间已满或出现故障，请求未能完成。请稍后重试；如持续出现，请提供 RequestId ${requestId}。`,
    ),
  internalError: (requestId: string) =>
    fail("InternalError", `An internal error occurred; quote RequestId ${requestId} when reporting it.`, `内部错误，请提供 RequestId ${requestId} 以便排查。`),
  signatureFailure: (detail: string) =>
    fail(
      "AuthFailure.SignatureFailure",
      `The request signature does not match the signature computed for it (${detail}). Check the SecretKey and the signing method.`,
      `请求签名验证失败（${detail}），请检查 SecretKey 和签名方法。`,
    ),
  secretIdNotFound: (secretId: string) =>
    fail("AuthFailure.SecretIdNotFound", `The SecretId \`${secretId}\` does not exist or is disabled.`, `SecretId \`${secretId}\` 不存在或已被禁用。`),
  signatureExpire: (timestamp: string, serverTime: number) =>
    fail(
      "AuthFailure.SignatureExpire",
      `The request timestamp ${timestamp} is more than 5 minutes from the server time ${serverTime}.`,
      `请求时间戳 ${timestamp} 与服务器时间 ${serverTime} 相差超过 5 分钟。`,
    ),
  invalidAuthorization: (reason: string) =>
    fail(
      "AuthFailure.InvalidAuthorization",
      `The Authorization header is malformed: ${reason}.`,
      `Authorization 请求头格式错误：${reason}。`,
    ),
};
