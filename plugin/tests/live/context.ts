// What tests/live/global-setup.ts hands to the live tests through vitest's provide/inject.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Cube's base URL, as a data source's jsonData.cubeUrl holds it (no /cubejs-api). */
    cubeUrl: string;
    /** The secret the Cube server verifies tokens with; tests mint tenant tokens from it. */
    cubeApiSecret: string;
    /** The warehouse Cube reads, for tests that hold locks or add rows. */
    warehouseUrl: string;
  }
}
