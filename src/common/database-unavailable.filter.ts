import { ArgumentsHost, Catch, ServiceUnavailableException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { databaseUnavailable } from './storage-fault';

/**
 * A request that failed because the shared database cannot be reached (any route: /models, a
 * promotion, the dashboard) is a 503 that says so, in Nest's error shape, not a 500: the
 * machine's fault, not the caller's. Every other error goes on to Nest's own handling.
 */
@Catch()
export class DatabaseUnavailableFilter extends BaseExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const code = databaseUnavailable(exception);
    if (code !== null) {
      super.catch(
        new ServiceUnavailableException(`the database cannot be reached (${code}): try again shortly`, { cause: exception }),
        host,
      );
      return;
    }
    super.catch(exception, host);
  }
}
