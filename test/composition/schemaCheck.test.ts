import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operationsThatMatter, reportLines } from '../../bin/schemaCheck';
import { EXAMPLE_OPERATIONS } from '../../examples/exampleOperations';
import { checkSchema } from '../../schemas/schemaCheck';
import { REPO_ROOT } from '../support/repoRoot';

/**
 * `npm run schema:check` on the tree as it is, so `npm test` holds every documented and example
 * operation valid against the composed schema on every commit (the unit test,
 * test/unit/schemas/schemaCheck.test.ts, shows what it reports on a change).
 */
describe('the schema check of the tree', () => {
  it('passes: no change against the committed supergraph, every court operation valid', async () => {
    const report = await checkSchema({ operations: operationsThatMatter() });
    expect({ lines: reportLines(report), passed: report.passed }).toEqual({ lines: expect.arrayContaining(['API schema: no changes', 'result: OK']), passed: true });
    expect(report.operations.length).toBeGreaterThan(0);
  });

  it('sees every example, and no example writes an operation outside its <example>Operations.ts module', () => {
    const dir = join(REPO_ROOT, 'examples');
    const scripts = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('Operations.ts'));
    expect(Object.keys(EXAMPLE_OPERATIONS).sort()).toEqual(scripts.map((f) => `examples/${f}`).sort());
    const inline = scripts.filter((f) => /`\s*(query|mutation|subscription)\b/.test(readFileSync(join(dir, f), 'utf8')));
    expect(inline).toEqual([]);
  });
});
