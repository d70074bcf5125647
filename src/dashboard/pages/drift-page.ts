import { DriftResponse } from '../../monitoring/drift.service';
import { FeatureDrift } from '../../monitoring/drift/feature-drift';
import { renderDistribution } from '../charts/distribution-chart';
import { renderDriftBars, sortByDrift } from '../charts/drift-bars';
import { Comparison } from '../distributions';
import { SafeHtml, figure, html, percent, trusted } from '../html/html';

export interface DriftPageData {
  report: DriftResponse;
  /** The feature whose distribution is shown, and it beside the reference. */
  selected: { feature: string; comparison: Comparison } | null;
  /** P(positive) of the window against the validation scores. */
  scores: Comparison | null;
}

export const featureHref = (feature: string) => `/dashboard/drift?feature=${encodeURIComponent(feature)}`;

function testCell(f: FeatureDrift): string {
  return f.kind === 'numeric'
    ? `KS ${figure(f.ks_statistic, 3)}, p ${f.ks_p_value.toExponential(1)}`
    : `χ² ${figure(f.chi2_statistic, 1)}, p ${f.chi2_p_value.toExponential(1)}${f.unseen_share > 0 ? `, ${percent(f.unseen_share)} unseen` : ''}`;
}

function summary(r: DriftResponse): SafeHtml {
  const p = r.prediction;
  return html`<p data-verdict="${r.verdict}">
      Last ${r.window_size}
      predictions${
        r.window_start
          ? ` (${r.window_start.slice(0, 19).replace('T', ' ')} to ${(r.window_end ?? '').slice(0, 19).replace('T', ' ')} UTC)`
          : ''
      }
      against the training data of <strong>${r.reference_version}</strong>: <strong>${r.verdict.replace('_', ' ')}</strong>,
      ${r.n_drifted_features} of ${r.n_features} features drifted (dataset drift at ${percent(r.drift_share, 0)} of them, or when the
      predictions drift)${r.drifted_features.length > 0 ? html`: ${r.drifted_features.join(', ')}` : ''}.
    </p>
    ${
      p
        ? html`<p>
            Predictions: PSI ${figure(p.psi, 3)} against a threshold of
            ${figure(p.psi_threshold, 3)}${p.drifted ? html` <strong>(drifted)</strong>` : ''}; decided positive ${percent(p.positive_rate)}
            of the time, ${percent(p.reference_positive_rate)} on validation.
          </p>`
        : ''
    }`;
}

export function renderDrift(d: DriftPageData): SafeHtml {
  const r = d.report;
  if (r.verdict === 'insufficient_data') {
    return html`${summary(r)}
      <p class="notice">Drift is judged on at least ${r.min_window} predictions; ${r.window_size} so far.</p>`;
  }
  const sorted = sortByDrift(r.features);
  const bars = sorted.map((f) => ({
    feature: f.feature,
    kind: f.kind,
    psi: f.psi,
    threshold: f.psi_threshold,
    drifted: f.drifted,
    href: featureHref(f.feature),
    selected: f.feature === d.selected?.feature,
  }));
  const selected = d.selected;
  return html`${summary(r)} ${trusted(renderDriftBars(bars))}
    ${
      selected
        ? html`<h2 id="distribution">${selected.feature}: the last ${selected.comparison.n} predictions over the training rows</h2>
            ${trusted(
              renderDistribution({
                title: `${selected.feature} (${selected.comparison.kind === 'numeric' ? 'histogram' : 'categories'})`,
                kind: selected.comparison.kind,
                bins: selected.comparison.bins,
                reference: selected.comparison.reference,
                current: selected.comparison.current,
                referenceLabel: `training rows of ${r.reference_version}${selected.comparison.kind === 'numeric' ? ' (its sample)' : ''}`,
                currentLabel: `last ${selected.comparison.n} predictions`,
                yLabel: 'share of rows',
              }),
            )}`
        : ''
    }
    ${
      d.scores
        ? html`<h2>Predicted P(positive) against validation</h2>
            ${trusted(
              renderDistribution({
                title: 'P(positive): density over the validation deciles',
                kind: 'numeric',
                bins: d.scores.bins,
                reference: d.scores.reference,
                current: d.scores.current,
                referenceLabel: `validation rows of ${r.reference_version}`,
                currentLabel: `last ${d.scores.n} predictions`,
                yLabel: 'density',
              }),
            )}`
        : ''
    }
    <h2>Every feature</h2>
    <table data-table="features">
      <thead>
        <tr>
          <th>feature</th>
          <th>kind</th>
          <th class="num">PSI</th>
          <th class="num">threshold</th>
          <th class="num">critical value</th>
          <th>drifted</th>
          <th>test</th>
        </tr>
      </thead>
      <tbody>
        ${sorted.map(
          (f) =>
            html`<tr class="${f.drifted ? 'drifted' : ''}" data-feature="${f.feature}">
              <td><a href="${featureHref(f.feature)}">${f.feature}</a></td>
              <td>${f.kind}</td>
              <td class="num">${figure(f.psi, 3)}</td>
              <td class="num">${figure(f.psi_threshold, 3)}</td>
              <td class="num">${figure(f.psi_critical, 3)}</td>
              <td>${f.drifted ? 'drifted' : ''}</td>
              <td>${testCell(f)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <p class="muted">
      A feature drifts when its PSI exceeds both the floor (PSI_FLOOR) and the PSI sample size alone would reach 1 time in 100 (the critical
      value). The tests' p-values support, they do not decide.
    </p>`;
}
