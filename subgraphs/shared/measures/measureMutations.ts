import type { AgencyMeasure, AssetKind, ControlClient, Controlled, MeasureSubmission } from './controlClient';
import type { SignedContext, SignedRequest } from '../signedRequest';
import { checkMeasureRequest, controlActor, localMeasureId, type MeasureRefusal, refusalOf, unknownMeasure } from './measureFields';

/** A control mutation's payload: the measure under the schema's name for it (`seal`, `seizure`, …), or the refusal. */
export type MeasurePayload = { refusal?: MeasureRefusal } & { [field: string]: AgencyMeasure | MeasureRefusal | undefined };

export interface MeasureMutationsOptions {
  /** The payload field that carries the measure, e.g. `seal`. */
  field: string;
  /** Global id prefix of this agency's measures, e.g. `realestate`. */
  idPrefix: string;
  assetKind: AssetKind;
  /**
   * An agency's own refusals beyond the network's common codes, as data; undefined for a
   * failure that stays an agency error. @default none
   */
  refusalOfError?(error: unknown): MeasureRefusal | undefined;
}

interface RenewInput {
  measureId: string;
  termDays: number;
  documentNumber: string;
}

interface ReleaseInput {
  measureId: string;
  documentNumber: string;
}

/**
 * What every agency's control mutations share: the court and case they act for, the law's
 * checks before the agency is asked, and the agency's answer (or refusal) as the payload.
 * Each agency adds only what is its own: how it finds the asset and who holds it.
 */
export function measureMutations<TContext extends SignedContext & { control: ControlClient }>(options: MeasureMutationsOptions) {
  const payload = (measure: AgencyMeasure): MeasurePayload => ({ [options.field]: measure });
  const answered = async <T>(call: () => Promise<Controlled<T>>, pick: (ok: T) => AgencyMeasure): Promise<MeasurePayload> => {
    let outcome: Controlled<T>;
    try {
      outcome = await call();
    } catch (error) {
      const refusal = options.refusalOfError?.(error);
      if (refusal) return { refusal };
      throw error;
    }
    return 'refused' in outcome ? { refusal: refusalOf(outcome.refused) } : payload(pick(outcome.ok));
  };

  return {
    /**
     * Before the asset is looked up: the request must act for a signed court and case (throws
     * otherwise), and pass the law's checks (the refusal, or undefined when it may go on).
     */
    check(signed: SignedRequest, input: { documentNumber: string; termDays: number }): MeasureRefusal | undefined {
      controlActor(signed);
      return checkMeasureRequest(options.assetKind, input);
    },
    /** Serves the request on the agency for the signed court and case. */
    submit: ({ control, signed }: TContext, submission: Omit<MeasureSubmission, 'assetKind'>) =>
      answered(() => control.submit(controlActor(signed), { ...submission, assetKind: options.assetKind }), (m) => m),
    async renew(_: unknown, { input }: { input: RenewInput }, { control, signed }: TContext): Promise<MeasurePayload> {
      const actor = controlActor(signed);
      const id = localMeasureId(options.idPrefix, input.measureId);
      if (!id) return { refusal: unknownMeasure(input.measureId) };
      const refusal = checkMeasureRequest(options.assetKind, input);
      if (refusal) return { refusal };
      return answered(() => control.renew(actor, id, input.termDays, input.documentNumber), (m) => m);
    },
    async release(_: unknown, { input }: { input: ReleaseInput }, { control, signed }: TContext): Promise<MeasurePayload> {
      const actor = controlActor(signed);
      const id = localMeasureId(options.idPrefix, input.measureId);
      if (!id) return { refusal: unknownMeasure(input.measureId) };
      if (input.documentNumber.trim() === '') {
        return { refusal: { code: 'DOCUMENT_NUMBER_REQUIRED', message: 'A release needs the ruling / notice number it rests on.' } };
      }
      return answered(() => control.release(actor, id, input.documentNumber), (released) => released.measure);
    },
  };
}
