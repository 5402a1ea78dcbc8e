// Errors as values with stable codes: what every transport shows a caller.

export const API_ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
  // Opening a data folder
  'WRONG_KEY',
  'KEY_UNAVAILABLE',
  'LOCKED',
  'NOT_INITIALIZED',
  'ALREADY_INITIALIZED',
  'SCHEMA_TOO_NEW',
  'UNSUPPORTED_SQLITE',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  details?: unknown;
}

/** A failure the caller should see, with a stable code. Anything else becomes INTERNAL. */
export class HearthError extends Error {
  readonly code: ApiErrorCode;
  readonly details: unknown;

  constructor(code: ApiErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'HearthError';
    this.code = code;
    this.details = details;
  }

  toBody(): ApiErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

export function validationError(message: string, issues: FieldIssue[]): HearthError {
  return new HearthError('VALIDATION', message, { issues });
}

/** HTTP status for an error code: 4xx for the caller's problem, 5xx only for ours. */
export function httpStatusFor(code: ApiErrorCode): number {
  switch (code) {
    case 'VALIDATION':
      return 400;
    case 'UNAUTHENTICATED':
    case 'WRONG_KEY':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
    case 'NOT_INITIALIZED':
      return 404;
    case 'CONFLICT':
    case 'LOCKED':
    case 'ALREADY_INITIALIZED':
    case 'SCHEMA_TOO_NEW':
      return 409;
    case 'RATE_LIMITED':
      return 429;
    case 'UNAVAILABLE':
    case 'KEY_UNAVAILABLE':
    case 'UNSUPPORTED_SQLITE':
      return 503;
    case 'INTERNAL':
      return 500;
  }
}
