/** Writes thousandths of a unit as a decimal string with three decimals ("1234.500"). */
export function formatMilli(milli: number): string {
  const sign = milli < 0 ? '-' : '';
  const abs = Math.abs(milli);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}

/** Midnight of a calendar day in China (UTC+8, no daylight saving) as epoch milliseconds. */
export function chinaMidnightMs(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00+08:00`);
}
