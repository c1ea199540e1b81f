/*
 * Storage ports, one file per aggregate under ports/, all exported from here. Every backend
 * implements these async interfaces; the shared contract suites in `test/contract/` hold each
 * implementation to the behaviour stated in the JSDoc there. Times are milliseconds since the
 * epoch; ids are decimal strings.
 */

export type * from './notifications-ports.js';
export * from './ports/attachments.js';
export * from './ports/auth.js';
export * from './ports/blobs.js';
export * from './ports/credits.js';
export * from './ports/directory.js';
export * from './ports/metadata-store.js';
export * from './ports/oauth.js';
export * from './ports/organizations.js';
export * from './ports/photos.js';
export * from './ports/records.js';
export * from './ports/tags.js';
