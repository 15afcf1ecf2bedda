import { checkCreditCode } from '../../schemas/identifiers';

/**
 * A Shareholding's id joins the company's credit code and the registry's investor id
 * (invid). The registry can only look stakes up by company or by holder, so the id carries
 * the company: a reference to a stake is resolved with one enterprise lookup.
 */
export function shareholdingId(companyCreditCode: string, invid: string): string {
  return `${companyCreditCode}:${invid}`;
}

/** Reads an id made by shareholdingId; null for anything else (it names no stake). */
export function parseShareholdingId(id: string): { companyCreditCode: string; invid: string } | null {
  const colon = id.indexOf(':');
  if (colon < 0) return null;
  const company = checkCreditCode(id.slice(0, colon));
  const invid = id.slice(colon + 1);
  if (!company.ok || invid === '') return null;
  return { companyCreditCode: company.value, invid };
}
