import { CONTROL_SEQUENCE_OPERATIONS } from './controlSequenceOperations';

/**
 * Every operation the examples send, by the example that sends it: what a reader copies into
 * court software, so `npm run schema:check` holds them valid. An example keeps its operations in
 * `<example>Operations.ts` and is listed here (test/composition/schemaCheck.test.ts checks that
 * no example writes an operation anywhere else).
 */
export const EXAMPLE_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  'examples/controlSequence.ts': CONTROL_SEQUENCE_OPERATIONS,
};
