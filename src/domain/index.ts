// The shared domain: imported by the device and the server alike. Pure TypeScript and zod.
export * from './entities';
export * from './errors';
export * from './gtin';
export * from './gs1';
export * from './mutations';
export * from './rules/index';
export * from './apply-effects';
export * from './pick-path';
export * from './allocation';
