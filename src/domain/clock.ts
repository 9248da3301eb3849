// The service's clock: real time plus an offset that an operator moves forward (the admin clock endpoint). Every
// time rule reads it: created times, expiries, hourly metering, recycle-bin retention, operation due times.
// Signature timestamps do not: clients sign with real time, and a cloud a month ahead would refuse them all.
export class Clock {
  constructor(
    private offsetMs = 0,
    private readonly real: () => number = Date.now,
  ) {}

  nowMs(): number {
    return this.real() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** How far ahead of real time the clock runs, in ms. */
  get offset(): number {
    return this.offsetMs;
  }

  /** Moves the clock to `ms` if that is ahead: time never runs back (what was settled stays settled). */
  moveTo(ms: number): void {
    if (ms > this.nowMs()) this.offsetMs = ms - this.real();
  }

  /** Sets the offset outright, back in time included: only for replacing the whole state (a reset or a snapshot). */
  reset(offsetMs: number): void {
    this.offsetMs = offsetMs;
  }

  /** Takes an offset another node stored, if it is ahead of this one's. */
  adopt(offsetMs: number): void {
    if (offsetMs > this.offsetMs) this.offsetMs = offsetMs;
  }
}
