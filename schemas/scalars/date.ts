import { checkCalendarDate } from '../identifiers';
import { identifierScalar } from './identifierScalar';

export const Date = identifierScalar({
  name: 'Date',
  description: 'Calendar date written YYYY-MM-DD (ISO 8601) that exists in the Gregorian calendar; no time or zone.',
  example: '2024-03-01',
  check: checkCalendarDate,
});
