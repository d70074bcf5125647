/** One line of storage/logs/feedback.log: the outcome of a served prediction. */
export interface FeedbackLogEntry {
  request_id: string;
  /** One of the target's labels. */
  actual: string;
  timestamp: string;
  /** False for anonymous HTTP feedback (and for lines written before the source was recorded). */
  trusted?: boolean;
}
