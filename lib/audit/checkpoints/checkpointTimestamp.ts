/**
 * RFC 3161 time-stamping of checkpoints: a TimeStampReq over the SHA-256 of the signed
 * checkpoint, sent to a time-stamping authority (AUDIT_TSA_URL) over HTTP, and the check of
 * the token it returns. The token proves the checkpoint existed at the TSA's time, so a
 * checkpoint cannot be made later and dated back, even with the signing key. ASN.1 and CMS
 * by pkijs / asn1js.
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const SHA256_OID = '2.16.840.1.101.3.4.2.1';
export const TST_INFO_OID = '1.2.840.113549.1.9.16.1.4';

/** pkijs on Node's WebCrypto, passed explicitly: no global engine is set. */
export const pkiEngine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] });

export interface TimestampRequestOptions {
  /** How long the TSA has to answer, body included. @default 5000 */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;
/** A token is a few KiB; more is not a TSA's answer. */
const MAX_REPLY_BYTES = 1 << 20;

/**
 * Asks the TSA at `url` to stamp `data` and returns the TimeStampToken (DER), after checking
 * that it answers this request (nonce) about this data (message imprint) with a valid
 * signature. Throws with the reason when the TSA is unreachable, slow, refuses, or answers
 * anything else.
 */
export async function requestTimestamp(url: string, data: Uint8Array, options: TimestampRequestOptions = {}): Promise<Uint8Array> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const nonce = randomBytes(8);
  nonce[0] = nonce[0]! & 0x7f; // a positive INTEGER
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: messageImprint(data),
    nonce: new asn1js.Integer({ valueHex: nonce }),
    certReq: true,
  });
  let reply: Uint8Array;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: new Uint8Array(request.toSchema().toBER()),
      signal,
    });
    if (!response.ok) throw new Error(`the TSA answered HTTP ${response.status}`);
    reply = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (signal.aborted) throw new Error(`the TSA did not answer within ${timeoutMs} ms`);
    if (error instanceof Error && error.message.startsWith('the TSA')) throw error;
    throw new Error(`the TSA could not be reached: ${causeOf(error)}`);
  }
  if (reply.byteLength > MAX_REPLY_BYTES) throw new Error('the TSA answered more than 1 MiB');
  let parsed: pkijs.TimeStampResp;
  try {
    parsed = pkijs.TimeStampResp.fromBER(reply);
  } catch {
    throw new Error('the TSA answered something that is not a TimeStampResp');
  }
  const status = parsed.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    throw new Error(`the TSA refused: status ${status}${parsed.status.statusStrings?.length ? ` (${parsed.status.statusStrings.map((s) => s.valueBlock.value).join('; ')})` : ''}`);
  }
  if (!parsed.timeStampToken) throw new Error('the TSA granted but sent no token');
  const token = new Uint8Array(parsed.timeStampToken.toSchema().toBER());
  const { tstInfo } = await checkTimestamp(token, data);
  if (!tstInfo.nonce || !Buffer.from(tstInfo.nonce.valueBlock.valueHexView).equals(nonce)) throw new Error('the TSA answered another request (nonce)');
  return token;
}

export interface CheckedTimestamp {
  /** The TSA's time for the stamp. */
  genTime: Date;
  /** The signer certificate's subject, as `CN=…, O=…`. */
  tsa: string;
  tstInfo: pkijs.TSTInfo;
}

export interface CheckTimestampOptions {
  /**
   * Certificates to trust (the TSA's CA): when given, the signer's certificate must chain to
   * one of them. @default none: the signature is checked with the certificate the token carries
   */
  trustedCerts?: pkijs.Certificate[];
}

/**
 * Checks that a TimeStampToken (DER) stamps exactly `data` with SHA-256 and that its
 * signature verifies. Throws with the reason otherwise.
 */
export async function checkTimestamp(token: Uint8Array, data: Uint8Array, options: CheckTimestampOptions = {}): Promise<CheckedTimestamp> {
  let signed: pkijs.SignedData;
  let tstInfo: pkijs.TSTInfo;
  try {
    const content = pkijs.ContentInfo.fromBER(token);
    if (content.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error('not signed data');
    signed = new pkijs.SignedData({ schema: content.content });
    if (signed.encapContentInfo.eContentType !== TST_INFO_OID || !signed.encapContentInfo.eContent) throw new Error('not a TSTInfo');
    tstInfo = pkijs.TSTInfo.fromBER(signed.encapContentInfo.eContent.getValue());
  } catch {
    throw new Error('not an RFC 3161 time-stamp token');
  }
  if (tstInfo.messageImprint.hashAlgorithm.algorithmId !== SHA256_OID) throw new Error('its message imprint is not SHA-256');
  const imprint = Buffer.from(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView);
  if (!imprint.equals(sha256(data))) throw new Error('its message imprint does not match the checkpoint');
  const trustedCerts = options.trustedCerts ?? [];
  let verified: boolean;
  try {
    verified = await signed.verify({ signer: 0, data: toArrayBuffer(data), trustedCerts, checkChain: trustedCerts.length > 0 }, pkiEngine);
  } catch (error) {
    throw new Error(`its signature does not verify: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!verified) throw new Error('its signature does not verify');
  const signer = signerCertificate(signed);
  return { genTime: tstInfo.genTime, tsa: signer ? subjectOf(signer) : 'an unnamed TSA', tstInfo };
}

/** Certificates from PEM text (`-----BEGIN CERTIFICATE-----` blocks). */
export function certificatesFromPem(pem: string): pkijs.Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => pkijs.Certificate.fromBER(Buffer.from(block.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64')));
}

export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

function messageImprint(data: Uint8Array): pkijs.MessageImprint {
  return new pkijs.MessageImprint({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_OID }),
    hashedMessage: new asn1js.OctetString({ valueHex: sha256(data) }),
  });
}

function signerCertificate(signed: pkijs.SignedData): pkijs.Certificate | undefined {
  const sid = signed.signerInfos[0]?.sid;
  return signed.certificates?.find(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate && sid instanceof pkijs.IssuerAndSerialNumber && c.serialNumber.isEqual(sid.serialNumber) && c.issuer.isEqual(sid.issuer),
  );
}

const NAME_TYPES: Record<string, string> = { '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.6': 'C' };

function subjectOf(certificate: pkijs.Certificate): string {
  return certificate.subject.typesAndValues
    .map((tv) => `${NAME_TYPES[tv.type] ?? tv.type}=${String(tv.value.valueBlock.value)}`)
    .join(', ');
}

function toArrayBuffer(data: Uint8Array): ArrayBuffer {
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
