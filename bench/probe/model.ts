import { z } from 'zod';

const memberSchema = z.object({ name: z.string(), type: z.string() });

/** The parts of `/v1/meta` the generator draws members from. */
export const metaSchema = z.object({
  cubes: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['cube', 'view']).optional(),
      measures: z.array(memberSchema),
      dimensions: z.array(memberSchema),
      segments: z.array(z.object({ name: z.string() })).default([]),
    }),
  ),
});

export interface ProbeCube {
  name: string;
  isView: boolean;
  measures: string[];
  dimensions: string[];
  timeDimensions: string[];
  /** Member name → Cube type (string, number, boolean, time). */
  types: Map<string, string>;
  segments: string[];
}

export type ProbeModel = ProbeCube[];

export function modelFromMeta(meta: unknown): ProbeModel {
  return metaSchema.parse(meta).cubes.map((cube) => ({
    name: cube.name,
    isView: cube.type === 'view',
    measures: cube.measures.map((m) => m.name),
    dimensions: cube.dimensions.filter((d) => d.type !== 'time').map((d) => d.name),
    timeDimensions: cube.dimensions.filter((d) => d.type === 'time').map((d) => d.name),
    types: new Map([...cube.measures, ...cube.dimensions].map((m) => [m.name, m.type])),
    segments: cube.segments.map((s) => s.name),
  }));
}

/** Fetches the model the way any client does, with the given token. */
export async function fetchModel(apiUrl: string, token: string): Promise<ProbeModel> {
  const response = await fetch(`${apiUrl}/meta`, { headers: { Authorization: token } });
  if (!response.ok) throw new Error(`GET ${apiUrl}/meta answered ${response.status}: ${await response.text()}`);
  return modelFromMeta(await response.json());
}
