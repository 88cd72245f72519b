/** A query refused before Cube sees it; the message is for the client (answered as a 400). */
export class InvalidQueryError extends Error {
  override name = 'InvalidQueryError';
}
