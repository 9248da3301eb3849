// Dates, numbers and the API's state names as the chosen language writes them (Intl for the first two, the message
// catalog for the last); a value the page does not know is shown as the API gave it.
import { useContext } from "preact/hooks";
import { LangContext, type Key } from "./i18n.js";

export interface Format {
  /** An API time (ISO 8601) as a local date and time; anything else unchanged. */
  time(value: string | null | undefined): string;
  /** A number with the language's grouping and `digits` decimals. */
  number(value: number, digits?: number): string;
  /** An instance state (RUNNING) or an operation's state (SUCCESS) in words. */
  state(value: string | null | undefined): string;
  /** An image's state (NORMAL) in words. */
  imageState(value: string): string;
}

export function useFormat(): Format {
  const { lang, t } = useContext(LangContext);
  const words = (key: string, value: string) => (t(key as Key) === key ? value : t(key as Key));
  const times = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "medium" });
  return {
    time: (value) => {
      if (!value) return "-";
      const ms = Date.parse(value);
      return /^\d{4}-\d\d-\d\dT/.test(value) && !Number.isNaN(ms) ? times.format(ms) : value;
    },
    number: (value, digits = 0) => value.toLocaleString(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }),
    state: (value) => (value ? words(value === "OPERATING" || value === "SUCCESS" || value === "FAILED" ? `operation${value}` : `state${value}`, value) : "-"),
    imageState: (value) => words(`image${value}`, value),
  };
}
