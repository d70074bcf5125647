import { ArgumentMetadata, BadRequestException, Injectable, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { unsafeJsonProblem } from '../common/json-safety';

/** The app's validation rules for every DTO (configureApp installs the pipe globally). */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  // One message per field (the first rule it breaks) keeps errors readable.
  stopAtFirstError: true,
};

/** What a fast-path check returns when it cannot vouch for a value: class-validator decides. */
export const DEFER = Symbol('defer to class-validator');

/**
 * Accepts a request body the DTO's class-validator rules certainly accept, returning what the handler
 * gets (the value itself: no class-transformer copy), or returns DEFER. It must never accept a value
 * class-validator would reject; deferring a valid one only costs time.
 */
export type FastPathCheck = (value: unknown) => unknown;

const CHECKS = new Map<unknown, FastPathCheck>();

/**
 * Gives a body DTO a compiled check for the common case, so a valid request skips class-transformer
 * and class-validator (together more than the prediction itself costs). Anything the check defers,
 * bad input above all, goes through the ValidationPipe as before: same rules, same messages, same
 * 400 shape, whatever the route.
 */
export function FastPathValidation(check: FastPathCheck): ClassDecorator {
  return (target) => {
    CHECKS.set(target, check);
  };
}

/** Nest's ValidationPipe, with the fast path of DTOs marked @FastPathValidation in front of it. */
@Injectable()
export class FastPathValidationPipe extends ValidationPipe {
  constructor(options: ValidationPipeOptions = VALIDATION_OPTIONS) {
    super(options);
  }

  /** The accepted value as it is, or whatever the ValidationPipe makes of the body. */
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      const check = CHECKS.get(metadata.metatype);
      if (check) {
        const accepted = check(value);
        if (accepted !== DEFER) return Promise.resolve(accepted);
      }
    }
    // The slow path walks the value recursively and skips prototype-named keys: refuse those first.
    const problem = unsafeJsonProblem(value);
    if (problem) return Promise.reject(new BadRequestException([problem]));
    return super.transform(value, metadata);
  }
}
