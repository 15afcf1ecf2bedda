import type { SubgraphCallStep } from '../transport/subgraphCall';
import type { CaseRecordAnswers } from './caseRecordAnswers';

/**
 * The subgraph-call step (transport/steps/index.ts, second) that answers a court subgraph read
 * of the request's own case from the case record its binding read moments ago in this
 * request, when the record holds everything the read asks (CaseRecordAnswers). Anything else
 * goes on to the court subgraph. It comes after `admit`, so the audit intent is durable and
 * the court subgraph recorded as reached, as when the fetch goes out.
 */
export function answerFromCaseRecord(answers: CaseRecordAnswers): SubgraphCallStep {
  return {
    name: 'answerFromCaseRecord',
    async call({ incoming, read, request }, next) {
      const kase = incoming?.case;
      if (!read || !kase?.record || request.query === undefined) return next();
      return answers.answer(request.query, request.variables, kase.caseNumber, kase.record) ?? next();
    },
  };
}
