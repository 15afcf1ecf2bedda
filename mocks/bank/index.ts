export { BANK_EMULATORS, startBankEmulators, type BankEmulatorsOptions } from './server';
export type { BankEmulatorOptions } from './emulatorOptions';
export { startNcbEmulator, NCB_CONTROL_PREFIX, NCB_DEFAULT_LATENCY_MS } from './ncb';
export { startHzcbEmulator, HZCB_CONTROL_PREFIX, HZCB_DEFAULT_LATENCY_MS } from './hzcb';
export { startRccEmulator, RCC_DEFAULT_LATENCY_MS, RCC_ROWS_PER_PAGE } from './rcc';
export { startWebEmulator, WEB_CONTROL_PREFIX, WEB_DEFAULT_LATENCY_MS } from './web';
