export * from './schema';
export * from './repair';
export * from './packs';
export * from './policy';
export * from './scope';
