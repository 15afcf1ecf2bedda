import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse } from 'graphql';
import { composeSupergraph } from '../../schemas/composeSupergraph';
import { loadSubgraphSdl, subgraphSdlPath, SUPERGRAPH_PATH } from '../../schemas/loadSubgraphSdl';
import { sharedBlocksIn } from '../../schemas/sharedSdl';
import { SUBGRAPH_NAMES } from '../../schemas/subgraphs';
import { scalarResolvers } from '../../schemas/scalars';
import { defaultSubgraphUrl } from '../../schemas/subgraphUrls';
import { REPO_ROOT } from '../support/repoRoot';

describe('composition', () => {
  const composed = composeSupergraph();

  it('composes the seven subgraphs with no hint that was not accepted on purpose', () => {
    expect(composed.unacceptedHints.map((h) => `[${h.definition.code}] ${h.message}`)).toEqual([]);
  });

  it('matches the committed schemas/supergraph.graphql (run `npm run compose` after changing an SDL file)', () => {
    const committed = readFileSync(SUPERGRAPH_PATH, 'utf8');
    expect(committed.trimEnd()).toBe(composed.supergraphSdl.trimEnd());
  });

  it('names the same subgraphs, files and routing URLs in supergraph.yaml as npm run compose uses', () => {
    const yaml = readFileSync(join(REPO_ROOT, 'schemas/supergraph.yaml'), 'utf8');
    for (const name of SUBGRAPH_NAMES) {
      expect(yaml).toContain(`  ${name}:\n    routing_url: ${defaultSubgraphUrl(name)}\n    schema:\n      file: ./${name}.graphql\n`);
    }
    expect(yaml.match(/^ {2}\S+:$/gm)).toHaveLength(SUBGRAPH_NAMES.length);
  });

  it('describes each shared scalar in the court SDL exactly as its implementation does', () => {
    const court = loadSubgraphSdl('court');
    const described = Object.fromEntries(
      court.definitions.flatMap((d) => (d.kind === Kind.SCALAR_TYPE_DEFINITION ? [[d.name.value, d.description?.value]] : [])),
    );
    expect(described).toEqual(Object.fromEntries(Object.entries(scalarResolvers).map(([name, s]) => [name, s.description])));
  });

  it('carries the shared control-measure block in exactly the subgraphs that record measures', () => {
    // The block's text is kept equal to schemas/shared/ by npm run compose (test/unit/schemas/sharedSdl.test.ts);
    // here: every subgraph with a mutation records measures, so each must carry it, and no other.
    const carrying = SUBGRAPH_NAMES.filter((name) => sharedBlocksIn(readFileSync(subgraphSdlPath(name), 'utf8')).includes('controlMeasures.graphql'));
    const withMutations = SUBGRAPH_NAMES.filter((name) => loadSubgraphSdl(name).definitions.some((d) => 'name' in d && d.name?.value === 'Mutation'));
    expect(carrying).toEqual(expect.arrayContaining(['realestate']));
    expect([...carrying].sort()).toEqual([...withMutations].sort());
  });

  it('gives every subgraph the same entity keys for Person and Company', () => {
    for (const name of SUBGRAPH_NAMES) {
      const doc = loadSubgraphSdl(name);
      for (const def of doc.definitions) {
        if (def.kind !== Kind.OBJECT_TYPE_DEFINITION || !['Person', 'Company'].includes(def.name.value)) continue;
        const key = def.directives?.find((d) => d.name.value === 'key');
        const fields = key?.arguments?.find((a) => a.name.value === 'fields')?.value;
        expect({ subgraph: name, type: def.name.value, key: fields?.kind === Kind.STRING ? fields.value : undefined }).toEqual({
          subgraph: name,
          type: def.name.value,
          key: def.name.value === 'Person' ? 'idNumber' : 'creditCode',
        });
      }
    }
  });

  it('produces a supergraph that parses and carries every subgraph', () => {
    const doc = parse(composed.supergraphSdl);
    const graphs = doc.definitions.find((d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph');
    expect(graphs?.kind === Kind.ENUM_TYPE_DEFINITION && graphs.values?.map((v) => v.name.value).sort()).toEqual(
      ['AUDIT', 'BANK', 'COMMERCE', 'COURT', 'REALESTATE', 'SOCIAL_INSURANCE', 'VEHICLE'],
    );
  });
});
