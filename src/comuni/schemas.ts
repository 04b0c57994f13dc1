import { z } from 'zod'

export const IstatCode = z
  .string()
  .regex(/^[0-9]{6}$/, 'expected a six-digit ISTAT code')
  .describe('ISTAT code of a comune, six digits (e.g. "040012" for Forlì)')

export const OrganizationKind = z.enum(['comune', 'unione'])

export const MemberDto = z.object({
  id: z.uuid(),
  name: z.string(),
  istatCode: z.string().nullable(),
  province: z.string().nullable(),
  population: z.number().int().nullable(),
  region: z.string().nullable(),
})

export const OrganizationDto = z
  .object({
    id: z.uuid(),
    kind: OrganizationKind,
    name: z.string(),
    istatCode: z.string().nullable().describe('Null for an Unione'),
    province: z.string().nullable().describe('Province code, e.g. "TO"; null for an Unione'),
    region: z.string().nullable().describe("For an Unione, its members' region (null while it has no members)"),
    population: z
      .number()
      .int()
      .nullable()
      .describe('Resident population; for an Unione the sum of its members. Null when not known'),
    populationUpdatedAt: z.iso.datetime().nullable().describe('When the population figure was last changed'),
    members: z.array(MemberDto).describe('Member comuni of an Unione; empty for a comune'),
    unione: z.object({ id: z.uuid(), name: z.string() }).nullable().describe('For a comune: the Unione it belongs to'),
  })
  .meta({ id: 'Organization' })
export type OrganizationDto = z.infer<typeof OrganizationDto>

export const ComuniQuery = z.object({
  prefix: z.string().trim().min(1).max(100).describe('Start of the name; accents and case are ignored ("forli" finds Forlì)'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})

export const UnioniQuery = z.object({
  prefix: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

export const IstatParams = z.object({ istatCode: IstatCode })
export const OrganizationParams = z.object({ id: z.uuid() })

export const NewUnione = z.object({
  name: z.string().trim().min(3).max(200),
  memberIstatCodes: z.array(IstatCode).min(2).max(200).describe('ISTAT codes of the member comuni (at least two)'),
})

export const UnioneUpdate = z
  .object({
    name: z.string().trim().min(3).max(200).optional(),
    memberIstatCodes: z.array(IstatCode).min(2).max(200).optional(),
  })
  .refine((v) => v.name !== undefined || v.memberIstatCodes !== undefined, 'nothing to change')
