/**
 * The one error shape of the web API: `{ "error": { "code", "message" } }`. Handlers throw
 * `WebError`; the app's error handler turns it into JSON (API) or a Chinese page (HTML).
 * Anything else becomes a 500 whose body never carries the exception text or stack.
 */

export type ErrorCode = "bad_param" | "not_found" | "forbidden_host" | "internal";

export class WebError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 500,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "WebError";
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function errorBody(err: WebError): ErrorBody {
  return { error: { code: err.code, message: err.message } };
}

export function badParam(message: string): WebError {
  return new WebError(400, "bad_param", message);
}

export function notFound(message = "没有这个页面 (not found)"): WebError {
  return new WebError(404, "not_found", message);
}
