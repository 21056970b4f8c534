// zod for every schema of the extension: zod/mini, the form of zod that bundles only what is used (about 20 KiB and
// 2 ms to load, against 90 KiB and 5 ms for classic zod, which the settings schema made part of activation), with
// its English messages, which users read in the Problems panel and in setting warnings. Import it as
// `import * as z from '../schema/zod'`; a lint rule keeps zod itself out of every other file.
import { NEVER, config, pipe, transform, type ZodMiniPipe, type ZodMiniTransform, type output } from 'zod/mini';
import type { ParsePayload, SomeType } from 'zod/v4/core';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';

/**
 * Rejects the value a transform was given, with one message, and returns what such a transform returns
 * (zod/mini's transforms report through their payload, which has no addIssue).
 */
export function rejectValue(
  ctx: { issues: unknown[]; value: unknown },
  message: string,
  path?: Array<string | number>,
): never {
  ctx.issues.push({ code: 'custom', message, input: ctx.value, ...(path ? { path } : {}) });
  return NEVER;
}

/** `schema`, then `fn` on what it parsed: classic zod's `schema.transform(fn)`, typed from the schema. */
export function transformed<A extends SomeType, O>(
  schema: A,
  fn: (value: output<A>, ctx: ParsePayload<output<A>>) => O,
): ZodMiniPipe<A, ZodMiniTransform<Awaited<O>, output<A>>> {
  return pipe(schema, transform(fn as (value: output<A>, ctx: ParsePayload) => O));
}
