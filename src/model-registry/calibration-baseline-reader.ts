import { ShapeError, readInteger, readNumber, readObject } from '../common/json-shape';
import { EXPECTED_FIGURES, ExpectedFigures, ValidationCalibration } from '../training/calibration-baseline';

/** A share, a rate or a Brier score: a finite number in [0, 1]. */
function readUnitInterval(value: unknown, at: string): number {
  const x = readNumber(value, at);
  if (x < 0 || x > 1) throw new ShapeError(`${at} must be between 0 and 1`);
  return x;
}

function readNonNegative(value: unknown, at: string): number {
  const x = readNumber(value, at);
  if (x < 0) throw new ShapeError(`${at} must be >= 0`);
  return x;
}

const PROPORTIONS = ['brier', 'ece', 'accuracy', 'predicted_positive_rate', 'mean_predicted', 'base_rate'] as const;

function readExpected(value: unknown, at: string): ExpectedFigures {
  const doc = readObject(value, at);
  const out = {} as Record<keyof ExpectedFigures, number | null>;
  for (const name of EXPECTED_FIGURES) {
    const where = `${at}.${name}`;
    if (name === 'log_loss') out[name] = readNonNegative(doc[name], where);
    // Null when every P(yes) was 0 or every one was 1 (no expected positives or negatives).
    else if (name === 'roc_auc' && doc[name] === null) out[name] = null;
    else out[name] = readUnitInterval(doc[name], where);
  }
  return out as ExpectedFigures;
}

/** metrics.json `validation_calibration`: every field checked, so a damaged file is named at load. */
export function readValidationCalibration(value: unknown, at = 'validation_calibration'): ValidationCalibration {
  const doc = readObject(value, at);
  const n = readInteger(doc.n, `${at}.n`, 2);
  const bins = readInteger(doc.bins, `${at}.bins`, 1);
  const shares = {} as Record<(typeof PROPORTIONS)[number], number>;
  for (const name of PROPORTIONS) shares[name] = readUnitInterval(doc[name], `${at}.${name}`);
  return {
    n,
    bins,
    ...shares,
    log_loss: readNonNegative(doc.log_loss, `${at}.log_loss`),
    expected: readExpected(doc.expected, `${at}.expected`),
  };
}
