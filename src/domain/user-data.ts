// UserData (RunInstances, ResetInstance, ModifyInstancesAttribute): Base64 text handed to the instance at boot
// (shared/cvm-api/limits.md §8).

import { fail } from "./errors.js";

// "Maximum 16 KB" without saying of what; limits.md settles on the Base64 text, the stricter reading.
export const USER_DATA_MAX_LENGTH = 16384;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

interface Reason {
  en: string;
  zh: string;
}

// Points at what is wrong rather than echoing up to 16 KB of the value back.
function userDataProblem(value: string, maxLength: number): Reason | undefined {
  if (value.length > maxLength) {
    return {
      en: `it is ${value.length} characters long, at most ${maxLength} characters of Base64 are allowed`,
      zh: `长度为 ${value.length} 个字符，Base64 文本最多 ${maxLength} 个字符`,
    };
  }
  const bad = [...value].findIndex((c) => !/[A-Za-z0-9+/=]/.test(c));
  if (bad >= 0) {
    const char = JSON.stringify([...value][bad]);
    return {
      en: `the character ${char} at position ${bad + 1} is not in the standard Base64 alphabet (A-Z a-z 0-9 + / and = padding)`,
      zh: `第 ${bad + 1} 个字符 ${char} 不属于标准 Base64 字符集（A-Z a-z 0-9 + /，以 = 补齐）`,
    };
  }
  if (value.length % 4 !== 0 || !BASE64.test(value)) {
    return {
      en: `it is not correctly padded Base64 (length ${value.length}; the length must be a multiple of 4 with at most two \`=\`, only at the end)`,
      zh: `不是正确补齐的 Base64（长度 ${value.length}；长度须为 4 的倍数，且最多两个 \`=\`，只能在末尾）`,
    };
  }
  return undefined;
}

/**
 * Checks UserData and returns its decoded bytes. Both the format and the size are refused with
 * `InvalidParameterValue.InvalidUserDataFormat`: it is documented for all three actions taking UserData, whereas
 * the only size-like code, `InvalidParameterValue.TooLarge`, is documented for RunInstances alone.
 */
export function validateUserData(value: string, field: string, maxLength: number = USER_DATA_MAX_LENGTH): Buffer {
  const problem = userDataProblem(value, maxLength);
  if (problem) {
    throw fail(
      "InvalidParameterValue.InvalidUserDataFormat",
      `The value of parameter \`${field}\` is not valid user data: ${problem.en}.`,
      `参数 \`${field}\` 的取值不是合法的 UserData：${problem.zh}。`,
    );
  }
  return Buffer.from(value, "base64");
}
