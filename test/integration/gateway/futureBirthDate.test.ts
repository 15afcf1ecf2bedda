/**
 * Issue 12, defect 5: a resident ID whose birth date lies after today (China Standard Time) is
 * refused at the edge like any other invalid identifier: BAD_USER_INPUT, reason DATE, before
 * any subgraph or agency is called, as a literal, as a variable and inside a control input.
 */
import { calendarDateInChina, idNumberCheckChar } from '../../../schemas/identifiers';
import { postInCase } from '../../support/courtRequest';
import { callCounts, useStack } from '../../support/stack';

const stack = useStack({ persons: 100 });

/**
 * Born the day after tomorrow in China: the gateway checks against the real clock, and this
 * date stays in the future however long the test takes, even across midnight.
 */
const birth = calendarDateInChina(Date.now() + 2 * 86_400_000).replace(/-/g, '');
const UNBORN = `330106${birth}123${idNumberCheckChar(`330106${birth}123`)}`;
const MESSAGE = 'IdNumber holds a date of birth after today (characters 7-14).';
const control = { roles: ['query', 'control'] as ('query' | 'control')[] };

const expectNoAgencyCalled = () => expect(Object.values(callCounts(stack().emulators)).reduce((a, b) => a + b, 0)).toBe(0);
const inRichCase = (query: string, variables?: Record<string, unknown>) =>
  postInCase(stack().gateway.url, stack().population, stack().population.scenarios.richDebtor.caseNumber, query, variables, control);

describe('an ID number of someone not yet born', () => {
  it('is refused as a variable and as a literal with BAD_USER_INPUT, reason DATE, before any agency', async () => {
    const asVariable = await inRichCase('query($id: IdNumber!) { person(idNumber: $id) { name vehicles { vin } } }', { id: UNBORN });
    expect(asVariable).toEqual({
      status: 400,
      errors: [
        {
          message: `Variable "$id" (argument "idNumber" of "person") is invalid: ${MESSAGE}`,
          locations: [{ line: 1, column: 7 }],
          extensions: { code: 'BAD_USER_INPUT', scalar: 'IdNumber', reason: 'DATE', argument: '"idNumber" of "person"' },
        },
      ],
    });
    const asLiteral = await inRichCase(`{ person(idNumber: "${UNBORN}") { name } }`);
    expect(asLiteral.status).toBe(400);
    expect(asLiteral.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT', scalar: 'IdNumber', reason: 'DATE' } }]);
    expectNoAgencyCalled();
  });

  it('is refused inside a control act’s input, before the bureau is asked anything', async () => {
    const rich = stack().population.scenarios.richDebtor;
    const answer = await inRichCase(
      'mutation($input: WithholdIncomeInput!) { withholdIncome(input: $input) { withholding { id } refusal { code } } }',
      { input: { requestId: 'unborn', idNumber: UNBORN, monthlyAmount: '100.00', documentNumber: `${rich.caseNumber}之一`, termDays: 30 } },
    );
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT', scalar: 'IdNumber', reason: 'DATE' } }]);
    expectNoAgencyCalled();
  });
});
