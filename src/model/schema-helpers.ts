// Small building blocks shared by the snapshot and config schemas.
import { Type as T, type TSchema } from '@sinclair/typebox';

/** ISO-8601 duration as Graph and AWS write them: P90D, PT1H, PT40M, P1DT2H, PT0.5S. */
export const ISO_DURATION_PATTERN =
  '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$';

export const IsoDuration = (description?: string) =>
  T.String({ pattern: ISO_DURATION_PATTERN, ...(description ? { description } : {}) });

export const Timestamp = (description?: string) =>
  T.String({ format: 'date-time', ...(description ? { description } : {}) });

export const Nullable = <S extends TSchema>(schema: S) => T.Union([schema, T.Null()]);

/** A closed object: unknown keys are a schema error, so typos in hand-written input surface. */
export const Obj: typeof T.Object = ((properties: Parameters<typeof T.Object>[0], options?: object) =>
  T.Object(properties, { additionalProperties: false, ...options })) as typeof T.Object;
