import { type DocumentNode, type GraphQLError, Kind, type SelectionSetNode, type ValidationRule } from 'graphql';

/**
 * Counts the selections of a document as written: every field (`__typename`, and a field
 * repeated under the same name, which execution merges, included), inline fragment and
 * fragment spread, in every definition (an unused fragment is validated too). A fragment's
 * selections count once, where it is defined: graphql-js compares a spread's fields once per
 * fragment, and Armor's cost counts them at every spread.
 *
 * Counting stops once past `limit` (the result is then `limit + 1`).
 */
export function countSelections(document: DocumentNode, limit: number): number {
  let count = 0;
  /** False once past the limit. */
  const walk = (selectionSet: SelectionSetNode): boolean => {
    for (const selection of selectionSet.selections) {
      if (++count > limit) return false;
      if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet !== undefined && !walk(selection.selectionSet)) return false;
    }
    return true;
  };
  for (const definition of document.definitions) {
    if ((definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) && !walk(definition.selectionSet)) break;
  }
  return count;
}

/** Validation goes on over this instead of a refused document. */
const NOTHING: DocumentNode = Object.freeze({ kind: Kind.DOCUMENT, definitions: Object.freeze([]) });

/**
 * A validation rule that refuses a document (when `refusalOf` gives an error for it, e.g. for
 * too many selections) before any other rule walks it. graphql-js runs every rule in one walk,
 * the specified rules first; one of them (OverlappingFieldsCanBeMerged) compares like-named
 * fields of a selection set pairwise, so 3,000 `__typename` cost it ~4.5 million comparisons,
 * ~90 % of such a request's CPU. The Document node is entered before any selection set: there
 * this rule asks, and for a refused document hands the walk an empty document instead
 * (graphql-js's visitor goes on into the node an enter function returns), so no rule sees a
 * selection of it. The refusal is an ordinary validation error: Apollo Server answers it 400,
 * caches nothing, and the audit records it.
 */
export function selectionLimitRule(refusalOf: (document: DocumentNode) => GraphQLError | undefined): ValidationRule {
  return (context) => ({
    Document(document) {
      const refusal = refusalOf(document);
      if (refusal === undefined) return undefined;
      context.reportError(refusal);
      return NOTHING;
    },
  });
}
