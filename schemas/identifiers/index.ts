export * from './invalidIdentifier';
export * from './idNumber';
export * from './creditCode';
export * from './vin';
export * from './unitNumber';
export * from './caseNumber';
export * from './money';
export * from './date';
