import type { GraphQLScalarType } from 'graphql';
import { CaseNumber } from './caseNumber';
import { CreditCode } from './creditCode';
import { Date } from './date';
import { DateTime } from './dateTime';
import { IdNumber } from './idNumber';
import { Money } from './money';
import { UnitNumber } from './unitNumber';
import { VIN } from './vin';

export { CaseNumber, CreditCode, Date, DateTime, IdNumber, Money, UnitNumber, VIN };
/** The same scalar under a name that does not shadow the global Date where it is imported. */
export { Date as DateScalar };
export { badUserInput, identifierScalar, invalidOutput, type IdentifierScalarConfig } from './identifierScalar';

/** Resolvers for buildSubgraphSchema, keyed by scalar name. */
export const scalarResolvers: Record<string, GraphQLScalarType> = {
  IdNumber,
  CreditCode,
  VIN,
  UnitNumber,
  CaseNumber,
  Money,
  Date,
  DateTime,
};
