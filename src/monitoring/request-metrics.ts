import type { Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/** Told about every finished request, with its duration in milliseconds (e.g. to log failures). */
export type FinishedRequestListener = (req: Request, res: Response, milliseconds: number) => void;

/**
 * Counts every HTTP request and times it, labelled by the route pattern (not the raw URL, so the
 * label set stays small); requests that match no route are labelled 'unmatched'. Returns what to
 * call at the start of each request: one 'finish' listener per request does it all, and also
 * tells `onFinished` (the request log), so the log costs no listener or timer of its own.
 */
export function requestMetrics(metrics: MetricsService, onFinished?: FinishedRequestListener): (req: Request, res: Response) => void {
  return (req, res) => {
    const started = performance.now();
    res.once('finish', () => {
      const milliseconds = performance.now() - started;
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      metrics.observeRequest(req.method, route, res.statusCode, milliseconds / 1e3);
      onFinished?.(req, res, milliseconds);
    });
  };
}
