/** Something the program needs could not be started; the message says why and what to do, so no stack is shown. */
export class StartError extends Error {
  override name = 'StartError';
}
