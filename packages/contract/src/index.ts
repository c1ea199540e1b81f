export * from './cli-completion.js';
export * from './data-centers.js';
export * from './errors.js';
export * from './modules.js';
export * from './oauth.js';
export * from './scope-descriptions.js';
export * from './scopes.js';
export * from './wire.js';
