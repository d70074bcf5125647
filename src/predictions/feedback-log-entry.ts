/** One line of storage/logs/feedback.log: the outcome of a served prediction. */
export interface FeedbackLogEntry {
  request_id: string;
  actual: 'yes' | 'no';
  timestamp: string;
}
