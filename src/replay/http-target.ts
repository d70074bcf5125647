import { TargetLabels } from '../inference/prediction-response';
import { FeatureRecord } from '../data/dataset-schema';
import { HealingAnswer, ReplayTarget, ServedRows, StepResult, toStepResult } from './replay-target';

/** The parts of the API's answers the replay reads (the server documents them in full). */
interface PredictAnswer {
  request_id: string;
  prediction: number;
  prediction_proba: { yes: number };
  model_version: string;
}
interface VersionAnswer {
  metadata: { params: Record<string, unknown> };
}
interface FeedbackBatchAnswer {
  recorded: number;
  unknown: string[];
  duplicate: string[];
}
type DriftResponse = StepResult['drift'];

const CONCURRENCY = 16;

/**
 * Drives a running server over HTTP, as a client would: POST /predict per row, POST
 * /feedback/batch, and a monitoring + healing step (GET /monitoring/drift and /status, POST
 * /monitoring/heal with the admin token). The server keeps its own champion; the response
 * probabilities are the rounded ones the API returns.
 */
export class HttpTarget implements ReplayTarget {
  readonly mode = 'http' as const;

  constructor(
    private readonly baseUrl: string,
    private readonly adminToken: string | null,
    private readonly labels: TargetLabels,
    /** Sent with the outcomes (else the admin token), so the server counts them as trusted. */
    private readonly feedbackToken: string | null = null,
  ) {}

  private async call(
    method: string,
    path: string,
    body?: unknown,
    auth: 'admin' | 'feedback' | false = false,
  ): Promise<{ status: number; json: unknown }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const token = auth === 'admin' ? this.adminToken : auth === 'feedback' ? (this.feedbackToken ?? this.adminToken) : null;
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      throw new Error(`cannot reach ${this.baseUrl}: ${(err as Error).message}`, { cause: err });
    }
    const text = await res.text();
    return { status: res.status, json: parseBody(text) };
  }

  /** The body of a 2xx answer, as the server documents it (T); any other status is an error naming it. */
  private async expectOk<T>(method: string, path: string, body?: unknown, auth: 'admin' | 'feedback' | false = false): Promise<T> {
    const { status, json } = await this.call(method, path, body, auth);
    if (status < 200 || status >= 300) throw new Error(`${method} ${path} answered ${status}: ${errorMessage(json)}`);
    return json as T;
  }

  async start(): Promise<string> {
    const health = await this.expectOk<{ model_version: string }>('GET', '/health');
    if (!this.adminToken) throw new Error("replay --url needs ADMIN_TOKEN (the server's) to run heal steps");
    return health.model_version;
  }

  async predict(records: readonly FeatureRecord[]): Promise<ServedRows> {
    const served: ServedRows = {
      requestIds: new Array(records.length),
      probabilities: new Float64Array(records.length),
      decisions: new Uint8Array(records.length),
      versions: new Array(records.length),
    };
    let next = 0;
    const worker = async () => {
      while (next < records.length) {
        const i = next++;
        const body = await this.expectOk<PredictAnswer>('POST', '/predict', records[i]);
        served.requestIds[i] = body.request_id;
        served.probabilities[i] = body.prediction_proba.yes;
        served.decisions[i] = body.prediction === 1 ? 1 : 0;
        served.versions[i] = body.model_version;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return served;
  }

  async sendOutcomes(requestIds: readonly string[], labels: Uint8Array): Promise<void> {
    for (let start = 0; start < requestIds.length; start += 10_000) {
      const items = requestIds.slice(start, start + 10_000).map((request_id, i) => ({
        request_id,
        actual: labels[start + i] === 1 ? this.labels.positive : this.labels.negative,
      }));
      const answer = await this.expectOk<Partial<FeedbackBatchAnswer> | null>('POST', '/feedback/batch', { items }, 'feedback');
      if (answer?.recorded !== items.length) {
        throw new Error(
          `POST /feedback/batch recorded ${answer?.recorded} of ${items.length} outcomes (unknown: ${answer?.unknown?.length ?? '?'}, duplicate: ${answer?.duplicate?.length ?? '?'}): is another client labelling these predictions, or is HISTORY_SIZE smaller than a chunk?`,
        );
      }
    }
  }

  async step(window: number): Promise<StepResult> {
    const drift = await this.expectOk<DriftResponse>('GET', `/monitoring/drift?window=${window}`);
    const status = await this.expectOk<{ status: string }>('GET', '/monitoring/status');
    const heal = await this.call('POST', '/monitoring/heal', undefined, 'admin');
    const outcome =
      heal.status === 409
        ? { action: 'busy', reason: 'a healing run was already in progress on the server', challenger: null, active: null, gate: null }
        : heal.status >= 200 && heal.status < 300
          ? (heal.json as HealingAnswer)
          : (() => {
              throw new Error(`POST /monitoring/heal answered ${heal.status}: ${errorMessage(heal.json)}`);
            })();
    const challenger = outcome.challenger
      ? await this.expectOk<VersionAnswer>('GET', `/models/${encodeURIComponent(outcome.challenger)}`)
      : null;
    return toStepResult(drift, status.status, outcome, challenger?.metadata.params ?? null);
  }

  async close(): Promise<void> {
    // Nothing to release: the server keeps running.
  }
}

/** A response body as JSON, or as the text it is when it is not JSON (an error page). */
function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** What an error answer says: Nest's `message` (one or many), or the body itself. */
function errorMessage(json: unknown): string {
  const message = (json as { message?: unknown } | null)?.message;
  if (Array.isArray(message)) return message.join('; ');
  return String(message ?? json);
}
