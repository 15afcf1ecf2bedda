import { defaultFieldResolver, GraphQLError, type GraphQLSchema, isObjectType, Kind } from 'graphql';
import { currentCaseContext } from './caseContext';

/** The policy that binds an asset field to the debtors of the case a request states. */
export const CASE_DEBTOR_POLICY = 'case_debtor';

/**
 * Applies `@policy(policies: [["case_debtor"]])` per entity, in the subgraph that would ask
 * the agency: the field answers only for persons and companies the gateway signed as
 * debtors of the request's case; for anyone else it is null with a FORBIDDEN error, and
 * the agency is never asked. The gateway decides who the debtors are (it checked the case
 * against the court case system); here only the entity's identity is compared, because only
 * the subgraph executing the field knows which entity it is about to look up.
 */
export function enforceEntityPolicies(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!hasCaseDebtorPolicy(field.astNode?.directives ?? [])) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, context, info) => {
        const key = entityKey(parent);
        const signed = currentCaseContext();
        if (key === undefined || !signed?.caseNumber || !signed.debtors?.includes(key)) {
          throw new GraphQLError(
            `${type.name}.${field.name} is answered only for debtors of the case the request states${signed?.caseNumber ? ` (${signed.caseNumber})` : ''}.`,
            { extensions: { code: 'FORBIDDEN', reason: 'NOT_A_DEBTOR', field: `${type.name}.${field.name}` } },
          );
        }
        return resolve(parent, args, context, info);
      };
    }
  }
  return schema;
}

type Directive = { name: { value: string }; arguments?: readonly { name: { value: string }; value: { kind: string } }[] };

function hasCaseDebtorPolicy(directives: readonly Directive[]): boolean {
  return directives.some((d) => {
    if (d.name.value !== 'policy') return false;
    const value = d.arguments?.find((a) => a.name.value === 'policies')?.value as
      | { kind: string; values?: { kind: string; values?: { kind: string; value?: string }[] }[] }
      | undefined;
    return (value?.values ?? []).some((all) => (all.values ?? []).some((p) => p.kind === Kind.STRING && p.value === CASE_DEBTOR_POLICY));
  });
}

function entityKey(parent: unknown): string | undefined {
  const p = parent as { idNumber?: unknown; creditCode?: unknown } | null;
  const key = p?.idNumber ?? p?.creditCode;
  return typeof key === 'string' ? key : undefined;
}
