import { checkCaseNumber } from '../identifiers';
import { identifierScalar } from './identifierScalar';

export const CaseNumber = identifierScalar({
  name: 'CaseNumber',
  description:
    'Enforcement case number such as (2024)浙0106执1234号: (year) court code, enforcement case-type ' +
    'word (执, 执恢, 执保, 执异, 执复, 执监, 执协, 执他, 执配) and serial followed by 号. Full-width ' +
    'parentheses are accepted and returned half-width.',
  example: '(2024)浙0106执1234号',
  check: checkCaseNumber,
});
