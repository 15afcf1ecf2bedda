/**
 * The four banks of the province, each its own legacy system on its own port, as an
 * enforcement network meets them (SPC/CBRC online enforcement query: every request carries
 * its own request number, a repeat is refused; an account answer carries account number,
 * status, branch code, balance and available balance). Each bank's API is documented at the
 * top of its file:
 *
 * | bank | file    | endpoint(s)                                        | max batch | money          | dates          | latency | error body               |
 * |------|---------|----------------------------------------------------|-----------|----------------|----------------|---------|--------------------------|
 * | NCB  | ncb.ts  | POST /ncb/v3/inquiry/accounts, /ncb/v3/inquiry/wealth | 100    | integer fen    | YYYY-MM-DD     | 5 ms    | {retCode, retMsg}        |
 * | HZCB | hzcb.ts | POST /api/query                                    | 20        | yuan "1.23"    | YYYYMMDD       | 15 ms   | {error_code, error_message} |
 * | RCC  | rcc.ts  | POST /rcc/cx (paged, 10 rows a page)               | 5         | yuan "1.23"    | YYYY/MM/DD     | 60 ms   | {code, msg}              |
 * | WEB  | web.ts  | POST /openapi/v1/holdings:batchQuery               | 50        | fen "123"      | epoch ms (UTC+8) | 3 ms  | {error: {code, message}} |
 *
 * Control (the network's common interface, mocks/shared/measures/controlDesk.ts; wiring in
 * control.ts): with `control` (a measure book) a bank takes FREEZE of DEPOSIT accounts, and with
 * `courtUrl` too it deducts frozen funds into the court's case account.
 *
 * | bank | control prefix        | online measures                                   |
 * |------|-----------------------|---------------------------------------------------|
 * | NCB  | /ncb/v3/control       | FREEZE of DEPOSIT accounts (acctNo); deduction    |
 * | HZCB | /api/control          | FREEZE of DEPOSIT accounts (account_no); deduction |
 * | RCC  | (none: paper only)    | none: query only, `control` is ignored            |
 * | WEB  | /openapi/v1/control   | FREEZE of DEPOSIT accounts (accountId); deduction |
 *
 * A freeze controls at most the account's available balance; a closed account is returned
 * (回退); a deduction debits balance and available balance and is paid into the court's case
 * account (`POST /zxaj/v1/cases/receipts`, fkr = bank code, lsh = `<bank code>-<deduction id>`).
 *
 * Banks hold accounts of persons (resident ID number) and companies (credit code) alike;
 * every inquiry takes holder identifiers or account numbers. NCB and WEB sell wealth-management
 * products (NCB through its own endpoint, WEB in the same answer as accounts); RCC answers
 * queries only.
 */
import type { AgencyControlOptions } from '../shared/measures/controlDesk';
import type { Population } from '../population';
import type { Emulator } from '../shared/startEmulator';
import type { BankEmulatorOptions } from './emulatorOptions';
import { startHzcbEmulator } from './hzcb';
import { startNcbEmulator } from './ncb';
import { startRccEmulator } from './rcc';
import { startWebEmulator } from './web';

export const BANK_EMULATORS: Record<string, (population: Population, options?: BankEmulatorOptions) => Promise<Emulator>> = {
  NCB: startNcbEmulator,
  HZCB: startHzcbEmulator,
  RCC: startRccEmulator,
  WEB: startWebEmulator,
};

export interface BankEmulatorsOptions {
  /** Per bank code; a bank not named keeps its own default. */
  latencyMs?: Partial<Record<string, number>>;
  /** Per bank code; a bank not named gets an ephemeral port. */
  ports?: Partial<Record<string, number>>;
  /** @default '127.0.0.1' */
  host?: string;
  /** Each bank's measure book, by bank code; a bank that controls nothing online gets none. */
  control?: (bankCode: string) => AgencyControlOptions;
  /** Base URL of the court case system, whose case account receives deducted funds. */
  courtUrl?: string;
}

/** Starts every bank's emulator, keyed by bank code (NCB, HZCB, RCC, WEB). */
export async function startBankEmulators(population: Population, options: BankEmulatorsOptions = {}): Promise<Record<string, Emulator>> {
  const started = await Promise.allSettled(
    Object.entries(BANK_EMULATORS).map(async ([code, start]) => {
      const emulator = await start(population, {
        latencyMs: options.latencyMs?.[code],
        port: options.ports?.[code],
        host: options.host,
        control: options.control?.(code),
        courtUrl: options.courtUrl,
      });
      return [code, emulator] as const;
    }),
  );
  const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    // Leave no half-started set of ports behind.
    await Promise.all(running.map(([, emulator]) => emulator.close()));
    throw failed.reason;
  }
  return Object.fromEntries(running);
}
