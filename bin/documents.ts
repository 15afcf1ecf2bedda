/**
 * `npm run documents`: writes schemas/trustedDocuments.json, the manifest of the documents the
 * gateway trusts (TRUSTED_DOCUMENTS), from the operations `npm run schema:check` holds valid:
 * the documented ones (schemas/courtOperations.ts) and the examples' (examples/*Operations.ts).
 * Run it after changing one of them; test/composition/trustedDocuments.test.ts fails on a stale file.
 */
import { writeFileSync } from 'node:fs';
import { buildTrustedDocumentManifest, serializeTrustedDocumentManifest, TRUSTED_DOCUMENTS_PATH } from '../schemas/trustedDocumentManifest';
import { operationsThatMatter } from './schemaCheck';

const manifest = buildTrustedDocumentManifest(operationsThatMatter());
writeFileSync(TRUSTED_DOCUMENTS_PATH, serializeTrustedDocumentManifest(manifest));
console.log(`${TRUSTED_DOCUMENTS_PATH}: ${manifest.size} trusted documents`);
