/**
 * Errors of writes made with the signed-in user's own token: the API server's own words reach
 * the user (403 with its RBAC or admission reason, 422 with the field it rejected), so the
 * console can show them beside the button or the field.
 */
import { statusCode } from "../../kube/kube-api.ts";
import { HttpError, fromKubeError } from "../errors.ts";

interface StatusBody {
  message?: unknown;
  details?: { causes?: { field?: unknown; message?: unknown }[] };
}

const bodyOf = (err: unknown): StatusBody | undefined => {
  const body = (err as { body?: unknown }).body;
  if (typeof body === "string") {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return undefined;
    }
  }
  return body as StatusBody | undefined;
};

/** The API server's message of a failed call. */
export function serverMessage(err: unknown): string {
  const message = bodyOf(err)?.message;
  if (typeof message === "string") return message;
  return err instanceof Error ? err.message : String(err);
}

/** Maps a failed write made as the user to the console's error. */
export function actingError(err: unknown, what: string): HttpError {
  if (err instanceof HttpError) return err;
  const code = statusCode(err);
  const message = serverMessage(err);
  switch (code) {
    case 401:
      return new HttpError(
        403,
        `${what}: the API server did not accept your token for this change; ` +
          "mint it for the API server's audience as well (docs/console.md)",
      );
    case 403:
      return new HttpError(403, message);
    case 404:
      return new HttpError(404, `${what}: ${message}`);
    case 409:
      return new HttpError(409, message);
    case 400:
    case 422: {
      const cause = bodyOf(err)?.details?.causes?.find((c) => typeof c.field === "string");
      return new HttpError(422, message, cause?.field as string | undefined);
    }
    default:
      return fromKubeError(err, what);
  }
}
