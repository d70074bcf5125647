import { ConflictException, ServiceUnavailableException } from '@nestjs/common';

/** A request id already given to a held prediction (or to one being written): 409. */
export class RequestIdInUse extends ConflictException {
  constructor(readonly requestId: string) {
    super(
      `request id '${requestId}' is already in use: send another X-Request-Id (ids are unique within the last HISTORY_SIZE predictions)`,
    );
  }
}

/** What was to be recorded could not be written, so it is not confirmed: 503. */
export class RecordNotWritten extends ServiceUnavailableException {
  constructor(what: string, cause: Error) {
    super(`${what} could not be recorded, so it is not confirmed: ${cause.message}`, { cause });
  }
}
