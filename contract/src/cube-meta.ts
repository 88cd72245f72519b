import { z } from 'zod';

/**
 * Cube's /v1/meta answer (and the compiler's meta config it is built from): the one
 * declaration of a member's and a cube's shape. Only the fields we read; Cube adds fields
 * between versions, so extra keys pass.
 */
export const cubeMemberSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  shortTitle: z.string().optional(),
  description: z.string().optional(),
  type: z.string(),
  // A string ("percent") or, in newer Cube, an object for custom formats: only strings map to units.
  format: z.unknown().optional(),
  meta: z.unknown().optional(),
  isVisible: z.boolean().optional(),
});

export const metaCubeSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  type: z.enum(['cube', 'view']).optional(),
  /** The cube's own meta, e.g. a funnel's window and steps (funnel-meta.ts). */
  meta: z.unknown().optional(),
  measures: z.array(cubeMemberSchema).default([]),
  dimensions: z.array(cubeMemberSchema).default([]),
  segments: z.array(cubeMemberSchema).default([]),
});

export const metaResponseSchema = z.object({ cubes: z.array(metaCubeSchema) });

export type CubeMember = z.infer<typeof cubeMemberSchema>;
export type MetaCube = z.infer<typeof metaCubeSchema>;
export type MetaResponse = z.infer<typeof metaResponseSchema>;

/** The member's own title ("Bounce rate"), without its cube's. */
export function memberTitle(member: Pick<CubeMember, 'name' | 'title' | 'shortTitle'>): string {
  return member.shortTitle ?? member.title ?? member.name;
}
