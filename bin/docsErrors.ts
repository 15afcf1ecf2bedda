/** `npm run docs:errors`: writes the README's error tables from lib/errors/catalog.ts. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withCatalogTables } from '../lib/errors/catalogDocs';

// test/composition/errorCatalog.test.ts fails until this has run after a change to the catalog.
const path = join(__dirname, '..', 'README.md');
const before = readFileSync(path, 'utf8');
const after = withCatalogTables(before);
if (after !== before) writeFileSync(path, after);
process.stdout.write(after === before ? 'README.md error tables are up to date\n' : 'README.md error tables rewritten\n');
