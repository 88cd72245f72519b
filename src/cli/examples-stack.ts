/**
 * `npm run examples-stack`: the worked-example stack for the plugin's live tests and fixture
 * capture (see commands/examples-stack.ts). A script of its own rather than an `engagement`
 * command: it is test tooling, not something a user runs.
 */
import { examplesStackCommand } from './commands/examples-stack.js';
import { runCommand } from './run.js';

await runCommand(examplesStackCommand);
