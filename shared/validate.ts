/** One way to validate untrusted input on either side: a valibot schema, or a named error. */
import * as v from 'valibot';
import { AppError } from './errors';

type AnySchema = v.GenericSchema<unknown, unknown>;

/** The parsed value, or an `AppError('bad_request')` naming the first field at fault. */
export function parseInput<S extends AnySchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = issue.path?.map((item) => String(item.key)).join('.');
  throw new AppError('bad_request', path ? `${path}: ${issue.message}` : issue.message);
}

/** Trimmed text of 1 to `max` UTF-16 code units. */
export function textField(max: number, what: string) {
  return v.pipe(
    v.string(`${what} must be text`),
    v.trim(),
    v.minLength(1, `${what} cannot be empty`),
    v.maxLength(max, `${what} is limited to ${max} characters`),
  );
}
