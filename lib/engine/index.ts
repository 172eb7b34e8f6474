export * from './types';
export { analyze, assertionOf, classifySpan, createEngine, type Engine } from './analyze';
export { fold } from './normalize';
