/** Times are whole seconds since the epoch, UTC. */
export const HOUR = 3600;
export const DAY = 86_400;
export const MONTH = 30.436875 * DAY;

const twoDigits = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * The history being generated, [start, end), with each day's date, weekday and month
 * precomputed: formatting tens of millions of timestamps through Date would dominate generation.
 */
export class Calendar {
  /** First second of the history. */
  readonly start: number;
  /** First second after it: every generated time is below this, and so below `until`. */
  readonly end: number;
  private readonly firstDay: number;
  private readonly dates: string[] = [];
  private readonly weekdays: number[] = [];
  private readonly monthsOfYear: number[] = [];

  constructor(until: Date, months: number) {
    const startDate = new Date(until);
    startDate.setUTCMonth(startDate.getUTCMonth() - months);
    this.start = Math.ceil(startDate.getTime() / 1000);
    // A `until` with milliseconds still bounds every whole second below ceil(until).
    this.end = Math.ceil(until.getTime() / 1000);
    this.firstDay = Math.floor(this.start / DAY);
    for (let day = this.firstDay; day * DAY < this.end; day++) {
      const date = new Date(day * DAY * 1000);
      this.dates.push(date.toISOString().slice(0, 10));
      this.weekdays.push(date.getUTCDay());
      this.monthsOfYear.push(date.getUTCMonth());
    }
  }

  /** Days the history touches; day 0 holds `start`. */
  get days(): number {
    return this.dates.length;
  }

  /** The day (0-based, from the history's first day) a time falls on. */
  dayOf(time: number): number {
    return Math.floor(time / DAY) - this.firstDay;
  }

  /** First second of a day. */
  dayStart(day: number): number {
    return (this.firstDay + day) * DAY;
  }

  /** 0 = Sunday. */
  weekday(day: number): number {
    return this.weekdays[day]!;
  }

  /** 0 = January. */
  monthOfYear(day: number): number {
    return this.monthsOfYear[day]!;
  }

  date(day: number): string {
    const date = this.dates[day];
    if (date === undefined) throw new RangeError(`Day ${day} is outside the generated history.`);
    return date;
  }

  /** PostgreSQL text input for a timestamptz. */
  timestamp(time: number): string {
    const day = this.dayOf(time);
    let rest = time - this.dayStart(day);
    const hours = Math.floor(rest / HOUR);
    rest -= hours * HOUR;
    const minutes = Math.floor(rest / 60);
    return `${this.date(day)} ${twoDigits[hours]}:${twoDigits[minutes]}:${twoDigits[rest - minutes * 60]}+00`;
  }
}
