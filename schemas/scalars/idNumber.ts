import { checkIdNumber } from '../identifiers';
import { identifierScalar } from './identifierScalar';

export const IdNumber = identifierScalar({
  name: 'IdNumber',
  description:
    '18-character resident ID number (GB 11643): 6-digit region code, birth date YYYYMMDD (a real date, not after today in China Standard Time), ' +
    '3-digit sequence and a check character, checked with ISO 7064 MOD 11-2; a lower-case x is returned as X.',
  example: '11010519491231002X',
  check: checkIdNumber,
});
