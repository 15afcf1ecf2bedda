import { z } from 'zod';

/** Zod schemas of the court case management system's answers (pinyin-initial fields, as it sends them). */

const wireParty = z.object({ ssdw: z.enum(['申请执行人', '被执行人']), lx: z.enum(['自然人', '法人']), zjhm: z.string(), mc: z.string() });
export type WireParty = z.infer<typeof wireParty>;
const wireCase = z.object({
  ah: z.string(),
  fydm: z.string(),
  fymc: z.string(),
  ajzt: z.enum(['在执', '中止', '结案']),
  ay: z.string(),
  sqbdje: z.string(),
  wzxje: z.string(),
  lasj: z.string(),
  jasj: z.string(),
  cbr: z.string(),
  dsr: z.array(wireParty),
});
export type WireCase = z.infer<typeof wireCase>;

export const caseBatch = z.object({ errcode: z.literal(0), aj: z.array(wireCase) });
export const casePage = z.object({ errcode: z.literal(0), total: z.number().int(), aj: z.array(wireCase) });
export const partyCases = z.object({ errcode: z.literal(0), dsr: z.array(z.object({ zjhm: z.string(), ssdw: z.enum(['申请执行人', '被执行人']), ah: z.string() })) });
export const identities = z.object({ errcode: z.literal(0), sf: z.array(z.object({ zjhm: z.string(), mc: z.string() })) });
export const courts = z.object({ errcode: z.literal(0), fy: z.array(z.object({ fydm: z.string(), fymc: z.string() })) });
