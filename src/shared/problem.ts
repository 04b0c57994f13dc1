import { z } from 'zod'

/** RFC 9457 problem details, as every error response of this API carries them. */
export const Problem = z
  .object({
    type: z.string().describe('URI naming the problem type: urn:forum-telematico:problem:<code>'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('Stable machine-readable code, e.g. FORUM_DAY_CLOSED'),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string(), code: z.string() }))
      .optional()
      .describe('For VALIDATION_FAILED: one entry per offending field'),
  })
  .loose()
  .meta({ id: 'Problem' })

export type Problem = z.infer<typeof Problem>

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

export const problemType = (code: string) => `urn:forum-telematico:problem:${code.toLowerCase().replaceAll('_', '-')}`
