import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { Counter, type Registry } from 'prom-client';
import type { ErrorCode } from '../../lib/errors/catalog';
import { requestError } from '../../lib/errors/codedError';
import type { Logger } from '../../lib/log/logger';
import { METRICS_PREFIX } from '../../lib/metrics/metricsRegistry';
import { documentHash, type TrustedDocumentManifest } from '../../schemas/trustedDocumentManifest';
import type { GatewayContext } from '../context';

/** `off`: every document runs; `log`: unknown ones run, logged and counted; `enforce`: unknown ones are refused. */
export const TRUSTED_DOCUMENT_MODES = ['off', 'log', 'enforce'] as const;
export type TrustedDocumentMode = (typeof TRUSTED_DOCUMENT_MODES)[number];

export interface TrustedDocumentsOptions {
  /**
   * What happens to a document not in the manifest. TRUSTED_DOCUMENTS: `enforce` in production,
   * `off` in development; a deployment sets `log` while its courts' software catches up.
   * `off` installs nothing but the (empty) series.
   * @default 'enforce'
   */
  mode?: TrustedDocumentMode;
  /** The trusted documents by hash (schemas/trustedDocumentManifest.ts); unread when `off`. */
  manifest: TrustedDocumentManifest;
  /** Where an unknown document is reported (its hash, never its text). */
  logger: Logger;
  /** The gateway's registry: `cag_gateway_documents_total{mode, document}`. */
  registry: Registry;
}

export const TRUSTED_DOCUMENTS_DEFAULTS = { mode: 'enforce' } as const satisfies Pick<Required<TrustedDocumentsOptions>, 'mode'>;

export const UNTRUSTED_DOCUMENT = 'UNTRUSTED_DOCUMENT' satisfies ErrorCode;
export const UNTRUSTED_DOCUMENT_MESSAGE =
  "The document is not one this gateway trusts: send one of the documented operations exactly as published, or its sha256 hash in extensions.persistedQuery.";

/**
 * An APQ version no client sends: the refusal's marker on the request (see below).
 */
const REFUSED_VERSION = -1;

/**
 * Trusted documents: a request's document is matched by the sha256 of its exact text against
 * the manifest, whether the client sends the text, or only the hash in Apollo's APQ shape
 * (`extensions.persistedQuery.sha256Hash`), in which case the manifest's text is the one that
 * runs (and is audited). Unknown documents run and are logged and counted (`log`), or are
 * refused with UNTRUSTED_DOCUMENT, 400 (`enforce`): a fault of what was sent, whoever sent it,
 * not of the caller's rights (FORBIDDEN, 403), and no token makes it pass.
 *
 * The refusal comes before the document is parsed, so an unknown text costs a hash, never a
 * parse or a validation. Apollo Server 5 answers an error a plugin throws before
 * `didResolveOperation` as a 500 that skips `willSendResponse` (the audit would miss it), so
 * the request is marked with an APQ version Apollo Server refuses at once, on its own error
 * path (didEncounterErrors, willSendResponse: logged, counted, audited like any refusal), and
 * that one error is turned into the refusal here. The client's text stays on the request, so
 * the audit records its hash.
 */
export function trustedDocumentsPlugin(options: TrustedDocumentsOptions): ApolloServerPlugin<GatewayContext> {
  const mode = options.mode ?? TRUSTED_DOCUMENTS_DEFAULTS.mode;
  const { manifest, logger } = options;
  const documents = new Counter({
    name: `${METRICS_PREFIX}gateway_documents_total`,
    help: 'GraphQL requests by whether their document is in the trusted documents manifest (document trusted or untrusted) and the mode (log or enforce).',
    labelNames: ['mode', 'document'] as const,
    registers: [options.registry],
  });
  if (mode === 'off') return {};
  return {
    async requestDidStart({ request, contextValue }) {
      const sentHash = request.extensions?.persistedQuery?.sha256Hash;
      const hash = typeof request.query === 'string' ? documentHash(request.query) : typeof sentHash === 'string' ? sentHash : undefined;
      const trusted = hash !== undefined ? manifest.get(hash) : undefined;
      documents.inc({ mode, document: trusted ? 'trusted' : 'untrusted' });
      if (trusted) {
        // By hash only: the manifest's text runs (its sha256 is the hash, as Apollo Server checks).
        if (request.query === undefined) request.query = trusted.text;
        return;
      }
      // The operation name is the client's free text: the logger masks identifiers in it.
      logger.warn({ requestId: contextValue.requestId, documentHash: hash ?? null, operationName: request.operationName ?? null, mode }, 'untrusted document');
      if (mode === 'log') return;
      request.extensions = { ...request.extensions, persistedQuery: { version: REFUSED_VERSION, sha256Hash: hash ?? '' } };
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) becomeRefusal(error, hash);
        },
      };
    },
  };
}

/** Apollo Server's answer to the marked request, rewritten into the refusal (code, message, status). */
function becomeRefusal(error: GraphQLError, hash: string | undefined): void {
  const refusal = requestError(UNTRUSTED_DOCUMENT, UNTRUSTED_DOCUMENT_MESSAGE, hash === undefined ? {} : { documentHash: hash });
  error.message = refusal.message;
  const extensions = error.extensions as Record<string, unknown>;
  for (const key of Object.keys(extensions)) delete extensions[key];
  Object.assign(extensions, refusal.extensions);
}
