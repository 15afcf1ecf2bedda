import {
  type ConstDirectiveNode,
  type DefinitionNode,
  type DirectiveNode,
  type DocumentNode,
  Kind,
  parse,
  print,
  visit,
} from 'graphql';

/**
 * Access rules a supergraph carries in the Federation authorization directives, per field
 * coordinate ("Person.vehicles"). Scopes and policies are lists of alternatives, each an
 * AND-list, exactly as in @requiresScopes / @policy.
 */
export interface FieldAccess {
  authenticated: boolean;
  scopes: string[][] | null;
  policies: string[][] | null;
}

export type AccessRules = ReadonlyMap<string, FieldAccess>;

const SECURITY_SPECS = [
  'https://specs.apollo.dev/authenticated/',
  'https://specs.apollo.dev/requiresScopes/',
  'https://specs.apollo.dev/policy/',
];
const DIRECTIVES = new Set(['authenticated', 'requiresScopes', 'policy']);
const SPEC_SCALARS = new Set(['policy__Policy', 'requiresScopes__Scope']);

export interface SecuredSupergraph {
  rules: AccessRules;
  /**
   * The same supergraph without the authorization features, for Apollo Gateway, which
   * refuses any `for: SECURITY` feature it does not enforce itself. This gateway enforces
   * these three (gateway/plugins/authorization.ts), so it hands on what is left; any other
   * security feature stays in and still makes Apollo Gateway refuse to start.
   */
  executableSdl: string;
}

/** Reads @authenticated, @requiresScopes and @policy off a supergraph's fields. */
export function readAccessRules(supergraphSdl: string): SecuredSupergraph {
  const document = parse(supergraphSdl);
  const rules = new Map<string, FieldAccess>();

  for (const definition of document.definitions) {
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      // Type-level rules would need every field returning the type checked too; refuse to
      // start rather than silently not enforce them.
      const typeLevel = definition.directives?.find((d) => DIRECTIVES.has(d.name.value));
      if (typeLevel) {
        throw new Error(`@${typeLevel.name.value} on type ${definition.name.value} is not supported: put it on fields.`);
      }
      for (const field of definition.fields ?? []) {
        const access = fieldAccess(field.directives ?? []);
        if (access) rules.set(`${definition.name.value}.${field.name.value}`, access);
      }
    } else if ('directives' in definition && definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) {
      const misplaced = definition.directives?.find((d) => DIRECTIVES.has(d.name.value));
      if (misplaced) throw new Error(`@${misplaced.name.value} is only supported on object fields.`);
    }
  }

  const stripped = visit(document, {
    Directive(node) {
      if (DIRECTIVES.has(node.name.value)) return null;
      if (node.name.value === 'link' && isSecuritySpecLink(node)) return null;
      return undefined;
    },
  });
  const executable: DocumentNode = {
    ...stripped,
    definitions: stripped.definitions.filter((d: DefinitionNode) => {
      if (d.kind === Kind.DIRECTIVE_DEFINITION) return !DIRECTIVES.has(d.name.value);
      if (d.kind === Kind.SCALAR_TYPE_DEFINITION) return !SPEC_SCALARS.has(d.name.value);
      return true;
    }),
  };
  return { rules, executableSdl: print(executable) };
}

function isSecuritySpecLink(node: DirectiveNode): boolean {
  const url = node.arguments?.find((a) => a.name.value === 'url')?.value;
  return url?.kind === Kind.STRING && SECURITY_SPECS.some((spec) => url.value.startsWith(spec));
}

function fieldAccess(directives: readonly ConstDirectiveNode[]): FieldAccess | null {
  let access: FieldAccess | null = null;
  for (const directive of directives) {
    if (!DIRECTIVES.has(directive.name.value)) continue;
    access ??= { authenticated: false, scopes: null, policies: null };
    if (directive.name.value === 'authenticated') access.authenticated = true;
    else if (directive.name.value === 'requiresScopes') access.scopes = listOfLists(directive, 'scopes');
    else access.policies = listOfLists(directive, 'policies');
  }
  return access;
}

function listOfLists(directive: ConstDirectiveNode, argument: string): string[][] {
  const value = directive.arguments?.find((a) => a.name.value === argument)?.value;
  if (value?.kind !== Kind.LIST) throw new Error(`@${directive.name.value} needs a list of lists in "${argument}"`);
  return value.values.map((inner) => {
    if (inner.kind !== Kind.LIST) throw new Error(`@${directive.name.value}(${argument}:) must be a list of lists`);
    return inner.values.map((v) => {
      if (v.kind !== Kind.STRING) throw new Error(`@${directive.name.value}(${argument}:) holds strings only`);
      return v.value;
    });
  });
}
