/**
 * Moved to test/support/referenceDir.ts (issue 17). This re-export keeps the emulators and the X3 transport
 * tests, which other branches are changing now, compiling unchanged; remove it once those branches are merged
 * and import from test/support/referenceDir.ts instead.
 */
export { referenceDir } from './support/referenceDir';
