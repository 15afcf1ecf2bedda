import { checkUnitNumber } from '../identifiers';
import { identifierScalar } from './identifierScalar';

export const UnitNumber = identifierScalar({
  name: 'UnitNumber',
  description:
    '28-character real-estate unit number (GB/T 37346): 6-digit county code, 6-digit cadastral zone ' +
    'and sub-zone, 7-character parcel code (G/J/Z, parcel kind letter, 5 digits) and 9-character ' +
    'building code (F/L/Q/W and 8 digits). Returned in upper case.',
  example: '330106001002GB00012F00010001',
  check: checkUnitNumber,
});
