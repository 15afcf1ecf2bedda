import { checkMoney, type Fen, formatFen } from '../identifiers';
import { identifierScalar, invalidOutput } from './identifierScalar';

/**
 * Resolvers return integer fen; a string is a yuan amount some other layer already
 * serialised (the gateway re-serialises subgraph output), so it is checked and made canonical.
 */
function serializeMoney(output: unknown): string {
  if (typeof output === 'number' && Number.isSafeInteger(output)) return formatFen(output);
  if (typeof output === 'string') {
    const checked = checkMoney(output);
    if (!checked.ok) throw invalidOutput('Money', checked.reason, checked.message);
    return formatFen(checked.value);
  }
  throw invalidOutput('Money', 'TYPE', 'Money must be held as a safe integer of fen or a yuan decimal string.');
}

export const Money = identifierScalar<Fen>({
  name: 'Money',
  description:
    'Exact amount of yuan as a decimal string with at most 2 decimals, e.g. "1234.56"; never a number, ' +
    'so no float rounding. Held as integer fen; always returned with exactly 2 decimals.',
  example: '1234.56',
  check: checkMoney,
  serialize: serializeMoney,
});
