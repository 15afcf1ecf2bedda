import { checkInstant } from '../identifiers';
import { identifierScalar } from './identifierScalar';

export const DateTime = identifierScalar({
  name: 'DateTime',
  description: 'An instant in UTC written YYYY-MM-DDTHH:MM:SS.sssZ (ISO 8601), e.g. when an agency answered a measure.',
  example: '2026-11-25T09:30:00.000Z',
  check: checkInstant,
});
