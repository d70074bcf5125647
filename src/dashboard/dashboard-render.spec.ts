import { ModelEvent } from '../model-registry/model-event';
import { renderDistribution } from './charts/distribution-chart';
import { renderDriftBars, sortByDrift } from './charts/drift-bars';
import { niceAxis, timeTicks } from './charts/scale';
import { renderTimeSeries } from './charts/time-series-chart';
import { categoricalComparison, numericComparison, scoreComparison } from './distributions';
import { escapeHtml, html, trusted } from './html/html';
import { PAGES, page } from './html/layout';
import { decisionsTable, gateSummary } from './pages/decisions-table';
import { describeSpec, lineage } from './pages/models-page';
import { renderReplayList } from './pages/replays-page';

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('html', () => {
  it('escapes every interpolated value, arrays item by item, and leaves SafeHtml as it is', () => {
    const name = `<script>alert("x")</script>&'`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
    const list = ['a<', html`<li>b</li>`];
    // prettier-ignore
    expect(html`<ul>${list}</ul>`.value).toBe('<ul>a&lt;<li>b</li></ul>');
    expect(html`${null}${undefined}${false}${0}`.value).toBe('0');
    expect(html`${trusted('<svg/>')}`.value).toBe('<svg/>');
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });

  it('a page links every page, marks the current one, and loads only its own script and stylesheet', () => {
    const text = page('Drift', '/dashboard/drift', html`<p>hi</p>`, '2024-01-01 00:00:00');
    for (const p of PAGES) expect(text).toContain(`href="${p.path}"`);
    expect(text).toMatch(/<a href="\/dashboard\/drift"\s*aria-current="page">Drift<\/a>/);
    expect(text.match(/<script[^>]*>/g)).toEqual(['<script src="/dashboard/assets/dashboard.js" defer>']);
    expect(text).toContain('<main id="content"');
  });
});

describe('chart scales', () => {
  it('round out a range to whole round steps, including the bounds asked for', () => {
    expect(niceAxis([0.12, 0.34], { include: [0] })).toEqual({ lo: 0, hi: 0.4, ticks: [0, 0.1, 0.2, 0.3, 0.4], decimals: 1 });
    expect(niceAxis([0.7441, 0.8012])).toEqual({ lo: 0.74, hi: 0.82, ticks: [0.74, 0.76, 0.78, 0.8, 0.82], decimals: 2 });
    expect(niceAxis([3, 7])).toMatchObject({ lo: 3, hi: 7, ticks: [3, 4, 5, 6, 7] });
    expect(niceAxis([null, NaN])).toMatchObject({ lo: 0, hi: 1 });
    expect(niceAxis([0.5, 0.5]).lo).toBeLessThan(0.5);
    expect(niceAxis([2], { fixed: [0, 1] }).ticks).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('tick a time axis at round UTC steps, labelled by what changes', () => {
    const t0 = Date.parse('2024-01-01T10:00:03Z');
    expect(timeTicks(t0, t0 + 20_000).map((t) => t.label)).toEqual(['10:00:05', '10:00:10', '10:00:15', '10:00:20']);
    expect(timeTicks(t0, t0 + 3 * 3_600_000).map((t) => t.label)).toEqual(['10:30', '11:00', '11:30', '12:00', '12:30', '13:00']);
    expect(timeTicks(t0, t0 + 10 * 86_400_000).map((t) => t.label)).toEqual([
      '2024-01-02',
      '2024-01-04',
      '2024-01-06',
      '2024-01-08',
      '2024-01-10',
    ]);
  });
});

describe('distributions', () => {
  it('a whole-number feature with few values: one bin per value, shares of rows on both sides', () => {
    const c = numericComparison([0, 0, 1, 2], [1, 1, 3]);
    expect(c.bins.map((b) => b.label)).toEqual(['0', '1', '2', '3']);
    expect(c.reference).toEqual([0.5, 0.25, 0.25, 0]);
    expect(c.current).toEqual([0, 2 / 3, 0, 1 / 3]);
    expect(c.n).toBe(3);
  });

  it('a continuous feature: at most 20 bins of a round width over both ranges; every value in one bin', () => {
    const reference = Array.from({ length: 500 }, (_, i) => 1 + i / 100); // 1 .. 5.99
    const current = [0.5, 7.25, 7.3];
    const c = numericComparison(reference, current);
    expect(c.bins.length).toBeLessThanOrEqual(20);
    expect(c.bins[0].from).toBeLessThanOrEqual(0.5);
    expect(c.bins[c.bins.length - 1].to).toBeGreaterThan(7.3);
    expect(sum(c.reference)).toBeCloseTo(1, 12);
    expect(sum(c.current)).toBeCloseTo(1, 12);
    const width = c.bins[0].to! - c.bins[0].from!;
    expect([0.25, 0.5]).toContain(width);
  });

  it('categories in the reference order, then the window values training never saw', () => {
    const c = categoricalComparison({ categories: ['a', 'b'], proportions: [0.75, 0.25] }, ['b', 'z', 'b', 'z', 'y']);
    expect(c.bins.map((b) => b.label)).toEqual(['a', 'b', 'z (unseen)', 'y (unseen)']);
    expect(c.reference).toEqual([0.75, 0.25, 0, 0]);
    expect(c.current).toEqual([0, 0.4, 0.4, 0.2]);
  });

  it('scores as densities over the validation deciles, binned as drift bins them (bisect right)', () => {
    const c = scoreComparison({ edges: [0.2, 0.5], proportions: [0.2, 0.3, 0.5] }, [0.1, 0.2, 0.6, 0.9]);
    expect(c.bins.map((b) => [b.from, b.to])).toEqual([
      [0, 0.2],
      [0.2, 0.5],
      [0.5, 1],
    ]);
    [1, 1, 1].forEach((d, k) => expect(c.reference[k]).toBeCloseTo(d, 12));
    // 0.2 falls in the second bin (an edge belongs to the bin it starts), as in the drift report.
    [0.25 / 0.2, 0.25 / 0.3, 0.5 / 0.5].forEach((d, k) => expect(c.current[k]).toBeCloseTo(d, 12));
  });
});

describe('charts', () => {
  const features = [
    { feature: 'age', psi: 0.05, psi_threshold: 0.1 },
    { feature: 'euribor3m', psi: 3, psi_threshold: 0.1 },
    { feature: 'job', psi: 0.3, psi_threshold: 0.12 },
  ];

  it('drift bars: most drifted first; a row per feature with its link, its bar and its threshold tick', () => {
    expect(sortByDrift(features).map((f) => f.feature)).toEqual(['euribor3m', 'job', 'age']);
    const svg = renderDriftBars(
      sortByDrift(features).map((f) => ({
        ...f,
        kind: 'numeric',
        threshold: f.psi_threshold,
        drifted: f.psi > f.psi_threshold,
        href: `/x?f=${f.feature}&y`,
      })),
    );
    expect(svg.match(/<g data-feature="[^"]+" data-drifted="(true|false)">/g)).toEqual([
      '<g data-feature="euribor3m" data-drifted="true">',
      '<g data-feature="job" data-drifted="true">',
      '<g data-feature="age" data-drifted="false">',
    ]);
    expect(svg).toContain('href="/x?f=age&amp;y"');
    expect(svg).toContain('3.000 / 0.100 drifted');
  });

  it('distribution: a histogram is current bars under a reference outline; categories get a bar each', () => {
    const numeric = renderDistribution({
      title: 'age <x>',
      kind: 'numeric',
      bins: [
        { label: '0 to 1', from: 0, to: 1 },
        { label: '1 to 2', from: 1, to: 2 },
      ],
      reference: [0.5, 0.5],
      current: [0.2, 0.8],
      referenceLabel: 'training',
      currentLabel: 'window',
      yLabel: 'share',
    });
    expect(numeric).toContain('age &lt;x&gt;');
    expect(numeric.match(/<rect [^>]*fill-opacity="0.7"><title>/g)).toHaveLength(2);
    expect(numeric).toMatch(/<g data-series="reference"><polyline /);
    const categorical = renderDistribution({
      title: 'job',
      kind: 'categorical',
      bins: [{ label: 'admin.' }, { label: 'blue-collar' }],
      reference: [0.6, 0.4],
      current: [0.1, 0.9],
      referenceLabel: 'training',
      currentLabel: 'window',
      yLabel: 'share',
    });
    expect(categorical.match(/<title>/g)).toHaveLength(4);
    expect(categorical).toContain('>blue-collar</text>');
  });

  it('over time: a line breaks where the service was down or a value is missing; markers carry their kind and version', () => {
    const t = (s: number) => Date.parse('2024-01-01T00:00:00Z') + s * 1000;
    const svg = renderTimeSeries(
      [
        {
          title: 'ROC-AUC',
          series: [
            {
              name: 'live',
              color: '#000',
              points: [
                { t: t(0), v: 0.8 },
                { t: t(60), v: 0.7 },
                { t: t(120), v: null },
                { t: t(180), v: 0.6 },
                { t: t(240), v: 0.65 },
                { t: t(2000), v: 0.7 }, // after a gap: alone
              ],
            },
          ],
        },
      ],
      [{ t: t(100), kind: 'promotion', tag: 'v2', color: '#00f' }],
      [t(0), t(2000)],
      180_000 / 1.5,
    );
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(1);
    expect(svg).toContain('data-marker="promotion v2"');
    expect(svg).toContain('>v2</text>');
  });
});

describe('pages', () => {
  const event = (over: Partial<ModelEvent>): ModelEvent => ({
    time: '2024-01-01T10:00:00.000Z',
    type: 'promoted',
    actor: 'auto',
    reason: 'r',
    ...over,
  });

  it('decisions: newest first as given, versions and reasons escaped, the gate scores of each model', () => {
    const table = decisionsTable(
      [
        event({
          from_version: 'v1',
          to_version: 'v2',
          reason: 'won <big>',
          gate: {
            verdict: 'promote',
            n: 100,
            positives: 20,
            champion: { brier: 0.2, log_loss: 0.6, roc_auc: 0.7 },
            challenger: { brier: 0.1, log_loss: 0.4, roc_auc: 0.8 },
            loss: { score: 'brier', gain: 0.1, interval: { lower: 0.05, upper: 0.15 } },
            roc_auc: { difference: 0.1, p_value: 0.01 },
          },
        }),
        event({ type: 'heal_skipped', reason: 'healthy' }),
      ],
      true,
    ).value;
    expect(table).toContain('v1 → v2');
    expect(table).toContain('won &lt;big&gt;');
    expect(table).toMatch(
      /<td>champion<\/td>\s*<td class="num">0\.2000<\/td>\s*<td class="num">0\.6000<\/td>\s*<td class="num">0\.7000<\/td>/,
    );
    expect(table).toContain('brier gain 0.1000 [0.0500, 0.1500]');
    expect(gateSummary({ current: { brier: 0.3 }, previous: { brier: 0.2 } }).value).toMatch(/<td>previous<\/td>[\s\S]*<td>current<\/td>/);
    expect(decisionsTable([], false).value).toContain('no decision yet');
  });

  it('models: the lineage of a version and its spec in words', () => {
    const v = (version: string, parent: string | null) => ({
      version,
      status: 'archived' as const,
      metadata: { parent_version: parent } as never,
    });
    expect(lineage('v4', [v('v1', null), v('v2', 'v1'), v('v3', 'v1'), v('v4', 'v2')])).toEqual(['v1', 'v2', 'v4']);
    expect(describeSpec({ encoding: 'one_hot', class_weight: 'none', C: 0.5, calibration: 'platt', features: ['a', 'b'] })).toBe(
      'one_hot, none weights, C 0.5, calibration platt; 2 features',
    );
    expect(describeSpec(undefined)).toBe('original (before specs were recorded)');
  });

  it('replays: a report from another version lacks parts: the list shows what it has', () => {
    const list = renderReplayList(
      [
        { name: 'replay-1', report: { generated_at: '2024-01-01T00:00:00Z' }, hasChart: false, problem: null },
        { name: 'replay-<2>', report: null, hasChart: true, problem: 'no report.json' },
      ],
      '/s/reports',
    ).value;
    expect(list).toContain('href="/dashboard/replays/replay-1"');
    expect(list).toContain('replay-&lt;2&gt;');
    expect(list).toContain('no report.json');
    expect(renderReplayList([], '/s/reports').value).toContain('node dist/cli replay');
  });
});
