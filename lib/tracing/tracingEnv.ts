import { z } from 'zod';

/** An empty variable counts as unset (`FOO=` in an env file), as in the other settings. */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

/**
 * OTEL_EXPORTER_OTLP_ENDPOINT: the base URL of an OTLP/HTTP collector (spans go to
 * `<endpoint>/v1/traces`, as the OpenTelemetry specification has it). Unset: no traces.
 */
export const otlpEndpointVariable = z.preprocess(
  unsetIfEmpty,
  z.url({ protocol: /^https?$/, error: (issue) => `must be an http:// or https:// URL, got ${JSON.stringify(issue.input)}` }).optional(),
);

/** OTEL_SERVICE_NAME: the `service.name` of the process's spans; each reader states its default. */
export const serviceNameVariable = z.preprocess(unsetIfEmpty, z.string().min(1).optional());
