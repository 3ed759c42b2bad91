/**
 * Response validation: every route's response schema is compiled with TypeBox and checked
 * before the body is serialized, so a response that breaks its documented contract is a 500
 * (logged with the path at fault) instead of a surprise for the client.
 */
import type { FastifySerializerCompiler } from "fastify";
import type { TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";

/** A response that does not match its schema. */
export class ResponseSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResponseSchemaError";
  }
}

/** The serializer compiler: check, then JSON.stringify. */
export const checkedSerializer: FastifySerializerCompiler<unknown> = ({
  schema,
  method,
  url,
  httpStatus,
}) => {
  const check = TypeCompiler.Compile(schema as TSchema);
  return (data: unknown) => {
    if (!check.Check(data)) {
      const first = check.Errors(data).First();
      throw new ResponseSchemaError(
        `response of ${method} ${url} (${httpStatus}) breaks its schema at ${first?.path || "/"}: ${first?.message ?? "invalid"}`,
      );
    }
    return JSON.stringify(data);
  };
};
