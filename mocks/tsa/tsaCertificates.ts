import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { pkiEngine } from '../../lib/audit/checkpoints/checkpointTimestamp';

/** What a real TSA has: a CA, and a signing certificate it issued for time-stamping only. */
export interface TsaCredentials {
  ca: pkijs.Certificate;
  signer: pkijs.Certificate;
  signerKey: CryptoKey;
}

type CryptoKey = webcrypto.CryptoKey;

const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

/**
 * Makes a CA and a TSA certificate (P-256, SHA-256), valid from a day before `now` for ten
 * years: the signer carries the critical extended key usage timeStamping that RFC 3161
 * requires, so `openssl ts -verify -CAfile <ca>` accepts the emulator's tokens.
 */
export async function makeTsaCredentials(now: Date, name = 'Court Asset Graph test TSA'): Promise<TsaCredentials> {
  const caKeys = await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
  const signerKeys = await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
  const ca = await certificate({
    serial: 1,
    subject: `${name} CA`,
    issuer: `${name} CA`,
    publicKey: caKeys.publicKey,
    signingKey: caKeys.privateKey,
    now,
    extensions: [
      new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: new pkijs.BasicConstraints({ cA: true }).toSchema().toBER(false) }),
      new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: keyUsage(0x06).toBER(false) }), // keyCertSign, cRLSign
    ],
  });
  const signer = await certificate({
    serial: 2,
    subject: name,
    issuer: `${name} CA`,
    publicKey: signerKeys.publicKey,
    signingKey: caKeys.privateKey,
    now,
    extensions: [
      new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false) }),
      new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: keyUsage(0x80).toBER(false) }), // digitalSignature
      new pkijs.Extension({ extnID: '2.5.29.37', critical: true, extnValue: new pkijs.ExtKeyUsage({ keyPurposes: [TIME_STAMPING] }).toSchema().toBER(false) }),
    ],
  });
  return { ca, signer, signerKey: signerKeys.privateKey };
}

/** A certificate as PEM text. */
export function certificatePem(certificate: pkijs.Certificate): string {
  const base64 = Buffer.from(certificate.toSchema().toBER()).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

async function certificate(spec: {
  serial: number;
  subject: string;
  issuer: string;
  publicKey: CryptoKey;
  signingKey: CryptoKey;
  now: Date;
  extensions: pkijs.Extension[];
}): Promise<pkijs.Certificate> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: spec.serial });
  cert.subject.typesAndValues.push(commonName(spec.subject));
  cert.issuer.typesAndValues.push(commonName(spec.issuer));
  cert.notBefore.value = new Date(spec.now.getTime() - 86_400_000);
  cert.notAfter.value = new Date(spec.now.getTime() + 10 * 365 * 86_400_000);
  cert.extensions = spec.extensions;
  await cert.subjectPublicKeyInfo.importKey(spec.publicKey as unknown as Parameters<pkijs.PublicKeyInfo['importKey']>[0], pkiEngine);
  await cert.sign(spec.signingKey as unknown as Parameters<pkijs.Certificate['sign']>[0], 'SHA-256', pkiEngine);
  return cert;
}

function commonName(value: string): pkijs.AttributeTypeAndValue {
  return new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value }) });
}

/** A KeyUsage BIT STRING of one byte; DER counts its trailing zero bits as unused. */
function keyUsage(bits: number): asn1js.BitString {
  return new asn1js.BitString({ valueHex: new Uint8Array([bits]).buffer, unusedBits: trailingZeros(bits) });
}

function trailingZeros(byte: number): number {
  let n = 0;
  while (n < 8 && ((byte >> n) & 1) === 0) n += 1;
  return n;
}
