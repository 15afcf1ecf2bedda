/**
 * The trusted documents manifest (npm run documents) is what the operations courts send say now:
 * a manifest left stale after a documented or example operation changed fails here, before a
 * gateway in `enforce` refuses the new text in production.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operationsThatMatter } from '../../bin/schemaCheck';
import { COURT_OPERATIONS } from '../../schemas/courtOperations';
import {
  buildTrustedDocumentManifest,
  documentHash,
  readTrustedDocumentManifest,
  serializeTrustedDocumentManifest,
  TRUSTED_DOCUMENTS_PATH,
} from '../../schemas/trustedDocumentManifest';

describe('schemas/trustedDocuments.json', () => {
  it('is what `npm run documents` writes from the documented and example operations (run it after changing one)', () => {
    expect(readFileSync(TRUSTED_DOCUMENTS_PATH, 'utf8')).toBe(serializeTrustedDocumentManifest(buildTrustedDocumentManifest(operationsThatMatter())));
  });

  it('holds every documented operation under the sha256 of its exact text, with its name', () => {
    const manifest = readTrustedDocumentManifest(TRUSTED_DOCUMENTS_PATH);
    for (const text of COURT_OPERATIONS) expect(manifest.get(documentHash(text))?.text).toBe(text);
    expect(manifest.get(documentHash(COURT_OPERATIONS[0]!))?.operationNames).toEqual(['Dossier']);
  });

  it('is refused when a hash is not its text\'s (a hash must never run another text)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cag-manifest-')), 'manifest.json');
    writeFileSync(path, JSON.stringify({ documents: { [documentHash('query A { a }')]: { operationNames: ['B'], sources: ['x'], text: 'query B { b }' } } }));
    expect(() => readTrustedDocumentManifest(path)).toThrow(/is not the sha256 of its text/);
  });
});
