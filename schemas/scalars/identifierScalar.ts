import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import type { Checked, InvalidReason } from '../identifiers';
import { codedError } from '../../lib/errors/codedError';

export interface IdentifierScalarConfig<T> {
  name: string;
  /** Says the rule, so the schema documents what the check enforces. */
  description: string;
  /** A valid value, quoted in the message when a literal is not written as a string. */
  example: string;
  check: (input: unknown) => Checked<T>;
  /** Output conversion; by default the outgoing string is checked and normalised. */
  serialize?: (output: unknown) => string;
}

/** A client sent a value that fails the check: refuse it before any agency is called. */
export function badUserInput(
  scalar: string,
  reason: InvalidReason,
  message: string,
  node?: ValueNode,
): GraphQLError {
  return codedError('BAD_USER_INPUT', message, { scalar, reason }, node);
}

/** A resolver (ultimately an agency) produced a value that fails the check: never pass it on. */
export function invalidOutput(scalar: string, reason: InvalidReason, message: string): GraphQLError {
  return new GraphQLError(`Cannot return an invalid ${scalar}: ${message}`, {
    extensions: { scalar, reason },
  });
}

function literalTypeMessage(name: string, example: string, node: ValueNode): string {
  const quoted = `${name} must be written as a quoted string such as "${example}"`;
  return node.kind === Kind.INT || node.kind === Kind.FLOAT ? `${quoted}, not as a number.` : `${quoted}.`;
}

/** Builds a scalar whose input and output both go through one check function. */
export function identifierScalar(config: IdentifierScalarConfig<string>): GraphQLScalarType<string, string>;
export function identifierScalar<T>(
  config: IdentifierScalarConfig<T> & { serialize: (output: unknown) => string },
): GraphQLScalarType<T, string>;
export function identifierScalar<T>(config: IdentifierScalarConfig<T>): GraphQLScalarType<T, string> {
  const { name, description, example, check } = config;

  const parse = (input: unknown, node?: ValueNode): T => {
    const checked = check(input);
    if (!checked.ok) throw badUserInput(name, checked.reason, checked.message, node);
    return checked.value;
  };

  const serialize =
    config.serialize ??
    ((output: unknown): string => {
      const checked = check(output);
      if (!checked.ok) throw invalidOutput(name, checked.reason, checked.message);
      // Only reached through the overload whose T is string.
      return checked.value as unknown as string;
    });

  return new GraphQLScalarType<T, string>({
    name,
    description,
    serialize,
    parseValue: (input) => parse(input),
    parseLiteral: (node) => {
      // Only string literals: an enum-like literal (a bare VIN) or a number must not slip through.
      if (node.kind !== Kind.STRING) throw badUserInput(name, 'TYPE', literalTypeMessage(name, example, node), node);
      return parse(node.value, node);
    },
  });
}
