export const DAY_MS = 86_400_000;

export function plus(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** A clock the test moves by hand (injected into the agencies' measure books). */
export class TestClock {
  constructor(private current: string) {}
  readonly now = (): Date => new Date(this.current);
  set(iso: string): void {
    this.current = iso;
  }
  advance(ms: number): string {
    this.current = plus(this.current, ms);
    return this.current;
  }
  get iso(): string {
    return this.current;
  }
}
