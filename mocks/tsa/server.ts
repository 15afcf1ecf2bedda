/**
 * An RFC 3161 time-stamping authority for tests and benchmarks (no internet here).
 *
 *   POST /   content-type application/timestamp-query, body a DER TimeStampReq
 *   → 200    content-type application/timestamp-reply, body a DER TimeStampResp
 *
 * It answers as a real TSA does: status granted, a TimeStampToken (CMS SignedData over a
 * TSTInfo with the request's message imprint and nonce, a serial number, its time, policy
 * 2.999.1) signed with its TSA certificate (issued by its own CA, extended key usage
 * timeStamping) and the signed attributes content type, message digest and ESS
 * signing-certificate-v2 (RFC 5816); the certificate is included when the request asks.
 * A request that is not a TimeStampReq, or asks for a hash other than SHA-256, gets status
 * rejection (badAlg / badDataFormat).
 *
 * Faults, set by `setFaults` (as the agency emulators'): `down` (connection reset), `hang`
 * (answers nothing; leaving `hang` resets the connections it held), `error500`, `garbage` (200 that is not DER), `rejection` (status 2),
 * `wrongImprint` (a valid token over other data), plus `extraLatencyMs`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { pkiEngine, SHA256_OID, TST_INFO_OID } from '../../lib/audit/checkpoints/checkpointTimestamp';
import { certificatePem, makeTsaCredentials } from './tsaCertificates';

export type TsaFaultMode = 'none' | 'down' | 'hang' | 'error500' | 'garbage' | 'rejection' | 'wrongImprint';

export interface TsaFaults {
  /** @default 'none' */
  mode: TsaFaultMode;
  /** Added before every answer, ms. @default 0 */
  extraLatencyMs: number;
}

export interface TsaEmulatorOptions {
  /** @default 0 (ephemeral) */
  port?: number;
  /** The TSA's clock (genTime). @default the wall clock */
  clock?: () => Date;
}

export interface TsaEmulator {
  readonly url: string;
  /** The CA's certificate as PEM: what a verifier trusts (AUDIT_TSA_CERTS). */
  readonly caPem: string;
  /** Requests received (any fault included), since start or resetCalls. */
  readonly calls: number;
  faults: TsaFaults;
  setFaults(patch: Partial<TsaFaults>): void;
  resetCalls(): void;
  close(): Promise<void>;
}

/** Status values of PKIStatusInfo and bits of its failInfo (RFC 3161 §2.4.2). */
const GRANTED = 0;
const REJECTION = 2;
const BAD_ALG = 0;
const BAD_DATA_FORMAT = 5;
const POLICY = '2.999.1';
const MAX_REQUEST_BYTES = 64 * 1024;

export async function startTsaEmulator(options: TsaEmulatorOptions = {}): Promise<TsaEmulator> {
  const clock = options.clock ?? (() => new Date());
  const credentials = await makeTsaCredentials(clock());
  const signerDer = Buffer.from(credentials.signer.toSchema().toBER());
  const state = { faults: { mode: 'none', extraLatencyMs: 0 } as TsaFaults, calls: 0, serial: 0 };
  const sockets = new Set<Socket>();
  /** Requests held by `hang`, reset when it ends. */
  const hung = new Set<Socket>();

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', Buffer.from('internal error'));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    state.calls += 1;
    const { mode, extraLatencyMs } = state.faults;
    if (mode === 'down') return void req.socket.destroy();
    if (mode === 'hang') return void hung.add(req.socket);
    if (extraLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, extraLatencyMs));
    if (mode === 'error500') return send(res, 500, 'text/html', Buffer.from('<html><body>TSA temporarily unavailable</body></html>'));
    if (mode === 'garbage') return send(res, 200, 'application/timestamp-reply', Buffer.from('<html>not DER</html>'));
    if (req.method !== 'POST' || body === undefined) return send(res, 400, 'text/plain', Buffer.from('POST a TimeStampReq of at most 64 KiB'));
    send(res, 200, 'application/timestamp-reply', Buffer.from(await answer(body, mode)));
  }

  async function answer(body: Buffer, mode: TsaFaultMode): Promise<ArrayBuffer> {
    if (mode === 'rejection') return refusal(BAD_DATA_FORMAT, 'the TSA is refusing requests');
    let request: pkijs.TimeStampReq;
    try {
      request = pkijs.TimeStampReq.fromBER(body);
    } catch {
      return refusal(BAD_DATA_FORMAT, 'not a TimeStampReq');
    }
    if (request.messageImprint.hashAlgorithm.algorithmId !== SHA256_OID) return refusal(BAD_ALG, 'only SHA-256 is accepted');
    const imprint =
      mode === 'wrongImprint'
        ? new pkijs.MessageImprint({
            hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_OID }),
            hashedMessage: new asn1js.OctetString({ valueHex: createHash('sha256').update(randomBytes(16)).digest() }),
          })
        : request.messageImprint;
    state.serial += 1;
    const tstInfo = new pkijs.TSTInfo({
      version: 1,
      policy: request.reqPolicy ?? POLICY,
      messageImprint: imprint,
      serialNumber: new asn1js.Integer({ value: state.serial }),
      genTime: clock(),
      accuracy: new pkijs.Accuracy({ seconds: 1 }),
      ...(request.nonce ? { nonce: request.nonce } : {}),
    });
    const tstDer = tstInfo.toSchema().toBER();
    const signed = new pkijs.SignedData({
      version: 3,
      encapContentInfo: primitiveContent(TST_INFO_OID, tstDer),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: credentials.signer.issuer, serialNumber: credentials.signer.serialNumber }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({
            type: 0,
            attributes: [
              new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: TST_INFO_OID })] }),
              new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: createHash('sha256').update(Buffer.from(tstDer)).digest() })] }),
              // ESS signing-certificate-v2: SEQUENCE { certs SEQUENCE OF ESSCertIDv2 { certHash } } (hash SHA-256, the default).
              new pkijs.Attribute({
                type: '1.2.840.113549.1.9.16.2.47',
                values: [
                  new asn1js.Sequence({
                    value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: createHash('sha256').update(signerDer).digest() })] })] })],
                  }),
                ],
              }),
            ],
          }),
        }),
      ],
      ...(request.certReq ? { certificates: [credentials.signer] } : {}),
    });
    await signed.sign(credentials.signerKey as unknown as Parameters<pkijs.SignedData['sign']>[0], 0, 'SHA-256', undefined, pkiEngine);
    return new pkijs.TimeStampResp({
      status: new pkijs.PKIStatusInfo({ status: GRANTED }),
      timeStampToken: new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: signed.toSchema(true) }),
    })
      .toSchema()
      .toBER();
  }

  function setFaults(patch: Partial<TsaFaults>): void {
    state.faults = { ...state.faults, ...patch };
    if (state.faults.mode !== 'hang') {
      for (const socket of hung) socket.destroy();
      hung.clear();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    caPem: certificatePem(credentials.ca),
    get calls() {
      return state.calls;
    },
    get faults() {
      return state.faults;
    },
    set faults(faults: TsaFaults) {
      setFaults(faults);
    },
    setFaults,
    resetCalls() {
      state.calls = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

/**
 * pkijs's constructor would cut eContent into a constructed (BER) OCTET STRING; a token is
 * DER (RFC 3161 §2.4.2), which pkijs's own verify also needs: set the primitive one after.
 */
function primitiveContent(eContentType: string, der: ArrayBuffer): pkijs.EncapsulatedContentInfo {
  const content = new pkijs.EncapsulatedContentInfo({ eContentType });
  content.eContent = new asn1js.OctetString({ valueHex: der });
  return content;
}

function refusal(failBit: number, text: string): ArrayBuffer {
  const failInfo = new Uint8Array(1);
  failInfo[0] = 0x80 >> failBit;
  return new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({
      status: REJECTION,
      statusStrings: [new asn1js.Utf8String({ value: text })],
      failInfo: new asn1js.BitString({ valueHex: failInfo.buffer, unusedBits: 7 - failBit }),
    }),
  })
    .toSchema()
    .toBER();
}

function send(res: ServerResponse, status: number, type: string, body: Buffer): void {
  res.writeHead(status, { 'content-type': type, 'content-length': body.length });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
