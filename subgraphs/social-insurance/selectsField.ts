import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/**
 * Whether the operation asks for `field` directly under the field being resolved, through
 * fragments too. Lets a resolver start a second agency's lookup early only when it is wanted.
 */
export function selectsField(info: GraphQLResolveInfo, field: string): boolean {
  const seen = new Set<string>();
  const within = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return selection.name.value === field;
        case Kind.INLINE_FRAGMENT:
          return within(selection.selectionSet);
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          if (seen.has(name)) return false;
          seen.add(name);
          return within(info.fragments[name]?.selectionSet);
        }
        default:
          return false;
      }
    });
  return info.fieldNodes.some((node) => within(node.selectionSet));
}
