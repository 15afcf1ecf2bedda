import type { GraphQLFormattedError } from 'graphql';
import { type ArgumentNode, type DocumentNode, GraphQLError, Kind, parse, type Source, visit } from 'graphql';

/**
 * Rewrites errors of values refused by a shared scalar so they name the argument, say what
 * is wrong, and carry `BAD_USER_INPUT` (Apollo Server reports literal errors as validation
 * failures, and graphql-js echoes the whole refused value for variables).
 */
export function formatInputError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const scalarError = findScalarError(error);
  if (!scalarError) return formatted;
  const { scalar, reason } = scalarError.extensions as { scalar: string; reason: string };
  const outer = error instanceof GraphQLError ? error : scalarError;
  const node = outer.nodes?.[0] ?? scalarError.nodes?.[0];
  const source = outer.source ?? scalarError.source;
  const variable = node?.kind === Kind.VARIABLE_DEFINITION ? node.variable.name.value : undefined;
  const where = source && node?.loc ? argumentsAt(source, node.loc.start, variable) : [];

  let message = scalarError.message;
  if (variable !== undefined) {
    const used = where.length > 0 ? ` (argument ${where.join(', ')})` : '';
    message = `Variable "$${variable}"${used} is invalid: ${scalarError.message}`;
  } else if (where.length > 0) {
    message = `Argument ${where[0]} is invalid: ${scalarError.message}`;
  }
  return {
    message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: 'BAD_USER_INPUT', scalar, reason, ...(where.length > 0 ? { argument: where[0] } : {}) },
  };
}

/** The error the scalar itself threw: the innermost one carrying its `scalar` extension. */
function findScalarError(error: unknown): GraphQLError | undefined {
  let found: GraphQLError | undefined;
  for (let e = error; e instanceof GraphQLError; e = e.originalError) {
    if (e.extensions.code === 'BAD_USER_INPUT' && typeof e.extensions.scalar === 'string') found = e;
  }
  return found;
}

/** Names (`"idNumber" of "person"`) of the arguments holding the literal at `offset`, or using `$variable`. */
function argumentsAt(source: Source, offset: number, variable: string | undefined): string[] {
  const document = parsed(source);
  if (document === undefined) return [];
  const found: string[] = [];
  const fields: string[] = [];
  visit(document, {
    Field: { enter: (f) => void fields.push(f.name.value), leave: () => void fields.pop() },
    Argument(arg: ArgumentNode) {
      const name = `"${arg.name.value}" of "${fields.at(-1) ?? '?'}"`;
      if (variable !== undefined) {
        let uses = false;
        visit(arg.value, { Variable: (v) => void (uses ||= v.name.value === variable) });
        if (uses) found.push(name);
      } else if (arg.value.loc && arg.value.loc.start <= offset && offset < arg.value.loc.end) {
        found.push(name);
      }
    },
  });
  return found;
}

/**
 * The operation's document, parsed once for all of an answer's errors (formatError is called
 * once per error): a batch of 100 bad identifiers is not parsed 100 times. Kept by the
 * `Source` graphql-js made when it parsed the request's text, which every error of that answer
 * points to; formatError is given no request context, and the Source is the request's own
 * object (or, for a document Apollo Server's cache reused, that document's: the same text,
 * parsed alike). The entry goes with it.
 */
const parsedBySource = new WeakMap<Source, DocumentNode | undefined>();

function parsed(source: Source): DocumentNode | undefined {
  if (!parsedBySource.has(source)) {
    let document: DocumentNode | undefined;
    try {
      document = parse(source);
    } catch {
      document = undefined;
    }
    parsedBySource.set(source, document);
  }
  return parsedBySource.get(source);
}
