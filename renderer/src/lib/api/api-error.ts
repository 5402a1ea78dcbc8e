// The one error type the renderer's API client throws, with the core's stable code and details.
import type { ApiErrorBody, ApiErrorCode } from './contract';

export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly details: unknown;

  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.details = body.details;
  }

  /** Field problems of a VALIDATION error; empty for other codes. */
  get issues(): FieldIssue[] {
    if (this.code !== 'VALIDATION' || !isRecord(this.details) || !Array.isArray(this.details.issues)) return [];
    return this.details.issues.filter(
      (issue): issue is FieldIssue =>
        isRecord(issue) && typeof issue.path === 'string' && typeof issue.message === 'string',
    );
  }

  /**
   * Validation messages keyed by field name, for inline display. `prefix` strips the envelope the
   * procedure wraps fields in (e.g. `patch.` for `settings.update`).
   */
  fieldErrors(prefix = ''): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const issue of this.issues) {
      const field = issue.path.startsWith(prefix) ? issue.path.slice(prefix.length) : issue.path;
      errors[field] ??= sentenceCase(issue.message);
    }
    return errors;
  }

  /** The record as it is now, which a CONFLICT carries so the caller can show what changed. */
  conflictCurrent<T>(): T | undefined {
    if (this.code !== 'CONFLICT' || !isRecord(this.details)) return undefined;
    return this.details.current as T | undefined;
  }
}

/** Turns anything a call can throw into an ApiError, so screens handle one shape. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError({ code: 'INTERNAL', message });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
