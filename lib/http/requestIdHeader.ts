/**
 * The response header naming the gateway's audit record of a request (its request id, the one
 * the agencies also log): every /graphql answer carries it, allowed or refused, so a court can
 * quote it and a sweep store it beside what it found.
 */
export const REQUEST_ID_HEADER = 'x-request-id';
