/**
 * `npm run emulator -- <name>`: one agency emulator alone, configured by its environment
 * (stack/emulatorConfig.ts; README "Agency emulators"), as the province runs each in a process
 * or container of its own:
 *
 *   PORT=5101 POPULATION_SEED=7 DATABASE_URL=postgres://... npm run emulator -- realestate
 *   PORT=5102 COURT_URL=http://127.0.0.1:5100 npm run emulator -- bank:NCB
 *
 * A missing or bad variable refuses the start, naming it (exit 2). Once up it prints one line,
 * `READY {"emulator":"<name>","url":"<url>"}`. SIGTERM or SIGINT closes it and its database, exit 0.
 */
import { type EmulatorAlone, EMULATOR_NAMES, startEmulatorAlone } from '../stack/emulatorAlone';
import { EMULATOR_ENV, EmulatorConfigError, loadEmulatorConfig } from '../stack/emulatorConfig';
import { onStopSignals } from './stopSignals';

function usage(): string {
  return `Usage: npm run emulator -- <name>, one of ${EMULATOR_NAMES.join(', ')}; configured by ${Object.keys(EMULATOR_ENV).join(', ')}.`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = args[0];
  if (args.length !== 1 || !EMULATOR_NAMES.includes(name!)) {
    console.error(args.length === 0 ? usage() : `No emulator ${JSON.stringify(args.join(' '))}.\n${usage()}`);
    process.exit(2);
  }
  let running: EmulatorAlone;
  try {
    running = await startEmulatorAlone(name!, loadEmulatorConfig(name!, process.env));
  } catch (error) {
    if (!(error instanceof EmulatorConfigError)) throw error;
    console.error(`${error.message}\n${usage()}`);
    process.exit(2);
  }
  const { url } = running.emulator;
  console.log(`The ${name} emulator listens at ${url}.`);
  console.log(`READY ${JSON.stringify({ emulator: name, url })}`);
  onStopSignals({
    drain: (signal) => {
      console.log(`${signal}: the ${name} emulator closes, then its database.`);
      running.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    },
    forceExit: () => process.exit(1),
  });
}

main().catch((error: unknown) => {
  console.error(`npm run emulator failed: ${(error as Error).message}`);
  process.exit(1);
});
