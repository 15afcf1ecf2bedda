import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { MetricsView } from './metricsAccess';

/** What a server exposes at `GET /metrics`: its registry, and who may scrape it (metricsView). */
export interface ServedMetrics {
  registry: Registry;
  view(req: IncomingMessage): MetricsView;
}

/** Answers one scrape: the text exposition with the registry's content type, or the view's refusal. */
export async function serveMetrics(metrics: ServedMetrics, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const view = metrics.view(req);
  if (view !== 'exposition') {
    const text = view.body === undefined ? '' : JSON.stringify(view.body);
    res.writeHead(view.status, {
      ...view.headers,
      ...(view.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
    return;
  }
  const text = await metrics.registry.metrics();
  // Never cached by a proxy between the scraper and the server.
  res.writeHead(200, { 'content-type': metrics.registry.contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : text);
}
