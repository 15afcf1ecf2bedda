import { checkVin } from '../identifiers';
import { identifierScalar } from './identifierScalar';

export const VIN = identifierScalar({
  name: 'VIN',
  description:
    '17-character vehicle identification number (ISO 3779) without I, O or Q; the 9th character is ' +
    'the MOD 11 check digit (X for 10) over the transliterated, weighted others. Returned in upper case.',
  example: '1M8GDM9AXKP042788',
  check: checkVin,
});
