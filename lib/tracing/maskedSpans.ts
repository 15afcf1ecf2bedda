import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { maskIdentifiers } from '../log/maskIdentifiers';

/**
 * Attributes with every string in them (values, array items, keys) passed through
 * `maskIdentifiers`, and a long integer as its masked text when it looks like an identifier.
 */
export function maskAttributes(attributes: Attributes): Attributes {
  const masked: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) masked[maskIdentifiers(key)] = maskValue(value);
  return masked;
}

function maskValue(value: AttributeValue | undefined): AttributeValue | undefined {
  if (typeof value === 'string') return maskIdentifiers(value);
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 1e14) {
    const text = String(value);
    const hidden = maskIdentifiers(text);
    return hidden === text ? value : hidden;
  }
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? maskIdentifiers(v) : v)) as AttributeValue;
  return value;
}

/** A copy of `span` whose name, attributes, status message, events and links are masked. */
export function maskedSpan(span: ReadableSpan): ReadableSpan {
  return {
    name: maskIdentifiers(span.name),
    kind: span.kind,
    spanContext: () => span.spanContext(),
    ...(span.parentSpanContext ? { parentSpanContext: span.parentSpanContext } : {}),
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status.message === undefined ? span.status : { ...span.status, message: maskIdentifiers(span.status.message) },
    attributes: maskAttributes(span.attributes),
    links: span.links.map((link) => (link.attributes ? { ...link, attributes: maskAttributes(link.attributes) } : link)),
    events: span.events.map((event) => ({
      ...event,
      name: maskIdentifiers(event.name),
      ...(event.attributes ? { attributes: maskAttributes(event.attributes) } : {}),
    })),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/**
 * Every span leaves the process through this exporter, masked: ours, Apollo Gateway's and any
 * other library's, whatever attribute or event it carries. The one place masking is applied, as
 * the logger's stream hook is for log lines. A span that cannot be masked is not exported.
 */
export class MaskingSpanExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    let masked: ReadableSpan[];
    try {
      masked = spans.map(maskedSpan);
    } catch (error) {
      return done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
    this.inner.export(masked, done);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
