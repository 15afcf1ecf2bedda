import { checkCreditCode } from '../identifiers';
import { identifierScalar } from './identifierScalar';

export const CreditCode = identifierScalar({
  name: 'CreditCode',
  description:
    '18-character unified social credit code (GB 32100) over 0-9 and A-Y without I, O, S, V, Z; ' +
    'characters 3-8 are a region code and the 18th is a MOD 31 check character. Returned in upper case.',
  example: '91350100M000100Y43',
  check: checkCreditCode,
});
