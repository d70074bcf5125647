/** One line of storage/logs/feedback.log: the outcome of a served prediction. */
export interface FeedbackLogEntry {
  request_id: string;
  actual: 'yes' | 'no';
  timestamp: string;
  /** False for anonymous HTTP feedback (and for lines written before the source was recorded). */
  trusted?: boolean;
}
