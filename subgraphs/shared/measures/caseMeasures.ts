import type DataLoader from 'dataloader';
import { batchLoader } from '../batchLoader';
import { type AgencyMeasure, CONTROL_MAX_BATCH, type ControlClient } from './controlClient';

/**
 * Every court's measures of each case at one agency, per request: the cases of a docket page
 * go to the agency's control interface together (ceil(N / 100) calls), not one call per case.
 */
export function caseMeasuresLoader(control: ControlClient): DataLoader<string, AgencyMeasure[]> {
  return batchLoader(CONTROL_MAX_BATCH, (caseNumbers) => control.ofCases(caseNumbers), () => []);
}
