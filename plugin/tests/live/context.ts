// What tests/live/global-setup.ts hands to the live tests through vitest's provide/inject.
import type { ExamplesStack } from '@engagement/contract';
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The root's worked-example stack: Cube's URL, the warehouse's, a token per tenant. */
    stack: ExamplesStack;
  }
}
