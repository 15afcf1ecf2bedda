export { createPopulation, DEFAULT_PERSONS, DEFAULT_SEED, AS_OF, type PopulationOptions } from './createPopulation';
export { BANKS, COURTS, COUNTIES } from './world';
export * from './types';
