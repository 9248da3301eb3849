// Times as the API writes them: ISO-8601 UTC to the second (2026-11-30T16:00:00Z).

export function isoSeconds(t: Date): string {
  return t.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** An ISO time as `YYYY-MM-DD hh:mm:ss` (UTC), the way the vpc and cbs services write times. */
export function spacedTime(iso: string): string {
  return iso.replace("T", " ").replace(/(\.\d+)?Z$/, "");
}

/** The time `months` after `iso`, on the same day of the month or the month's last day (Jan 31 + 1 = Feb 28/29). */
export function addMonths(iso: string, months: number): string {
  const t = new Date(iso);
  const day = t.getUTCDate();
  t.setUTCDate(1);
  t.setUTCMonth(t.getUTCMonth() + months);
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  t.setUTCDate(Math.min(day, last));
  return isoSeconds(t);
}

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SPACED = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * A UTC time written YYYY-MM-DDThh:mm:ssZ, or with `spaced` also YYYY-MM-DD hh:mm:ss, that exists on the calendar
 * (no February 30th), in the first form; undefined for anything else.
 */
export function utcSeconds(value: string, spaced = false): string | undefined {
  const iso = spaced && SPACED.test(value) ? `${value.replace(" ", "T")}Z` : value;
  if (!ISO_SECONDS.test(iso)) return undefined;
  const t = Date.parse(iso);
  return !Number.isNaN(t) && isoSeconds(new Date(t)) === iso ? iso : undefined;
}
