import { StartError } from '../runtime/errors.js';

/** The warehouse could not be started or reached; the message says why and what to do. */
export class WarehouseStartError extends StartError {
  override name = 'WarehouseStartError';
}
