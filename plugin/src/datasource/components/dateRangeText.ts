import type { CubeTimeDimension } from '../types';

type DateRange = NonNullable<CubeTimeDimension['dateRange']>;
const ABSOLUTE = /^(\S+)\s+to\s+(\S+)$/;
const ISO = /^\d{4}-\d{2}-\d{2}/;

/** A date range as the editor shows it: Cube's relative text, or "2025-01-01 to 2025-03-31". */
export function rangeText(range: DateRange | undefined): string {
  if (range === undefined) return '';
  return typeof range === 'string' ? range : range.join(' to ');
}

/** The editor's text back to Cube's form; empty means "the dashboard's range". */
export function parseRangeText(text: string): DateRange | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const absolute = ABSOLUTE.exec(trimmed);
  if (absolute && ISO.test(absolute[1]!) && ISO.test(absolute[2]!)) return [absolute[1]!, absolute[2]!];
  return trimmed;
}
