import { z } from 'zod';

/**
 * A funnel cube's `meta.funnel`: its conversion window and its ordered steps. The model states
 * them once, on the cube; the funnel panel reads them from /v1/meta to show the window and to
 * name steps nobody reached.
 */
export const funnelMetaSchema = z.strictObject({
  window: z.strictObject({ days: z.number().int().positive() }),
  steps: z
    .array(z.strictObject({ number: z.number().int().positive(), name: z.string().min(1), event: z.string().min(1) }))
    .min(2)
    .refine((steps) => steps.every((s, i) => s.number === i + 1), 'steps are numbered 1, 2, 3, … in order'),
});

export type FunnelMeta = z.infer<typeof funnelMetaSchema>;

export type FunnelMetaResult = { funnel: FunnelMeta } | { issue: string } | undefined;

/** A cube's funnel meta; why it does not read, naming the field; undefined when the cube has none. */
export function funnelMetaOf(cube: string, cubeMeta: unknown): FunnelMetaResult {
  if (!cubeMeta || typeof cubeMeta !== 'object' || !('funnel' in cubeMeta)) return undefined;
  const parsed = funnelMetaSchema.safeParse(cubeMeta.funnel);
  if (parsed.success) return { funnel: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { issue: `${cube}: meta.funnel${issue.path.map((p) => `.${String(p)}`).join('')}: ${issue.message}` };
}
