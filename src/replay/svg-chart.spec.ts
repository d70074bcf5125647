import { Marker, Panel, niceStep, renderChart, yAxis } from './svg-chart';

/**
 * A tiny well-formedness check (no DOMParser in node): one root element, every tag closed in
 * order, attributes quoted, no raw `<` in text or attributes, and every `&` starts an entity.
 * Returns the problems found (empty when the document is well formed).
 */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w.:-]*)((?:\s+[A-Za-z_:][\w.:-]*="[^"]*")*)\s*(\/?)>/g;
  const badAmpersand = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  const stack: string[] = [];
  let roots = 0;
  let last = 0;
  const checkText = (text: string, where: string) => {
    if (text.includes('<') || text.includes('>')) problems.push(`raw < or > in ${where}: ${JSON.stringify(text.slice(0, 40))}`);
    if (badAmpersand.test(text)) problems.push(`bare & in ${where}: ${JSON.stringify(text.slice(0, 40))}`);
  };
  for (const m of xml.matchAll(tag)) {
    const [whole, closing, name, attributes, selfClosing] = m;
    const text = xml.slice(last, m.index);
    if (stack.length === 0 && text.trim() !== '') problems.push(`text outside the root: ${JSON.stringify(text.slice(0, 40))}`);
    checkText(text, `text before <${closing}${name}>`);
    last = m.index! + whole.length;
    const names = [...attributes.matchAll(/([A-Za-z_:][\w.:-]*)="([^"]*)"/g)].map(([, n, v]) => {
      checkText(v, `attribute ${n} of <${name}>`);
      return n;
    });
    if (new Set(names).size !== names.length) problems.push(`duplicate attribute in <${name}>`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else {
      if (stack.length === 0) roots++;
      if (!selfClosing) stack.push(name);
    }
  }
  const rest = xml.slice(last);
  if (rest.trim() !== '') problems.push(`trailing text or a broken tag: ${JSON.stringify(rest.slice(0, 40))}`);
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  // anything that looked like a tag but did not match the tag pattern
  const tagLike = xml.match(/</g)?.length ?? 0;
  const matched = [...xml.matchAll(tag)].length;
  if (tagLike !== matched) problems.push(`${tagLike - matched} malformed tag(s)`);
  return problems;
}

/** The elements `<name ...>` of an SVG, with their attributes. */
function elements(svg: string, name: string): Array<Record<string, string>> {
  return [...svg.matchAll(new RegExp(`<${name}((?:\\s+[\\w:-]+="[^"]*")*)\\s*/?>`, 'g'))].map(([, attributes]) =>
    Object.fromEntries([...attributes.matchAll(/([\w:-]+)="([^"]*)"/g)].map(([, n, v]) => [n, v])),
  );
}

/** The inner markup of the first `<g data-series="name">`. */
function seriesGroup(svg: string, name: string): string {
  const start = svg.indexOf(`<g data-series="${name}"`);
  if (start === -1) throw new Error(`no series ${name}`);
  return svg.slice(start, svg.indexOf('</g>', start));
}

/** The inner markup of the `<g data-panel="title">`, up to the matching close. */
function panelGroup(svg: string, title: string): string {
  const start = svg.indexOf(`<g data-panel="${title}">`);
  if (start === -1) throw new Error(`no panel ${title}`);
  let depth = 0;
  for (const m of svg.slice(start).matchAll(/<g[\s>]|<\/g>/g)) {
    depth += m[0] === '</g>' ? -1 : 1;
    if (depth === 0) return svg.slice(start, start + m.index! + m[0].length);
  }
  throw new Error('unbalanced panel');
}

const LINE_PANEL: Panel = {
  title: 'AUC',
  yRange: [0, 1],
  series: [
    { name: 'healed', color: '#1b7837', values: [0.5, 1, null, 0] },
    { name: 'static', color: '#777777', values: [0.25, 0.75, 0.5, 0.5], dashed: true },
  ],
};
const BAR_PANEL: Panel = {
  title: 'Share',
  kind: 'bars',
  yRange: [0, 1],
  series: [{ name: 'share', color: '#9e9ac8', values: [0.5, null, 1, 0] }],
};
const MARKERS: Marker[] = [
  { index: 1, label: 'promotion v2', color: '#2166ac' },
  { index: 2, label: 'rollback v1', color: '#b2182b' },
  { index: 3, label: 'promotion v3', color: '#2166ac' },
];

describe('the well-formedness check itself', () => {
  it('accepts a small well-formed document and catches broken ones', () => {
    expect(xmlProblems('<svg a="1"><g><text>x &amp; y</text></g><rect/></svg>\n')).toEqual([]);
    expect(xmlProblems('<svg><g></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><g></g>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>a & b</text></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>a < b</text></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><g a="x"y"/></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg/><svg/>')).not.toEqual([]);
  });
});

describe('renderChart', () => {
  const svg = renderChart('Replay', 4, [LINE_PANEL, BAR_PANEL], MARKERS);

  it('is a well-formed SVG document ending in a newline', () => {
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>\n')).toBe(true);
  });

  it('sizes the canvas by the number of panels: 40 + panels * (180 + 50) + 20', () => {
    const [root] = elements(svg, 'svg');
    expect(root.width).toBe('1000');
    expect(root.height).toBe('520'); // 40 + 2 * 230 + 20
    expect(root.viewBox).toBe('0 0 1000 520');
    const [one] = elements(renderChart('t', 1, [LINE_PANEL], []), 'svg');
    expect(one.height).toBe('290');
  });

  it('has one group per panel and one data-series group per series', () => {
    expect(
      elements(svg, 'g')
        .filter((g) => 'data-panel' in g)
        .map((g) => g['data-panel']),
    ).toEqual(['AUC', 'Share']);
    expect(
      elements(svg, 'g')
        .filter((g) => 'data-series' in g)
        .map((g) => g['data-series']),
    ).toEqual(['healed', 'static', 'share']);
    expect(panelGroup(svg, 'AUC')).toContain('data-series="healed"');
    expect(panelGroup(svg, 'AUC')).toContain('data-series="static"');
    expect(panelGroup(svg, 'Share')).toContain('data-series="share"');
    expect(panelGroup(svg, 'Share')).not.toContain('data-series="healed"');
  });

  it('places points at the middle of each chunk slot and scales y into the panel (hand-computed)', () => {
    // plot width 1000 - 60 - 210 = 730; x(i) = 60 + (i + 0.5) / 4 * 730 -> 151.25, 333.75, 516.25, 698.75
    // first panel top = 40 + 20 = 60, height 180, range [0, 1]: y(v) = 240 - 180 v -> y(0.5) = 150, y(1) = 60, y(0) = 240
    const healed = seriesGroup(svg, 'healed');
    expect(elements(healed, 'polyline').map((p) => p.points)).toEqual(['151.25,150 333.75,60', '698.75,240']);
    // static: 0.25 -> 195, 0.75 -> 105, 0.5 -> 150
    expect(elements(seriesGroup(svg, 'static'), 'polyline').map((p) => p.points)).toEqual(['151.25,195 333.75,105 516.25,150 698.75,150']);
  });

  it('splits a line at null values and draws a circle per point', () => {
    const healed = seriesGroup(svg, 'healed');
    expect(elements(healed, 'polyline')).toHaveLength(2);
    expect(elements(healed, 'circle').map((c) => [c.cx, c.cy])).toEqual([
      ['151.25', '150'],
      ['333.75', '60'],
      ['698.75', '240'],
    ]);
    const gaps = renderChart(
      't',
      6,
      [{ title: 'p', yRange: [0, 1], series: [{ name: 's', color: 'red', values: [null, 0.1, null, null, 0.2, 0.3] }] }],
      [],
    );
    expect(elements(seriesGroup(gaps, 's'), 'polyline').map((p) => p.points.split(' ').length)).toEqual([1, 2]);
    expect(xmlProblems(gaps)).toEqual([]);
  });

  it('keeps an empty group for a series with no values', () => {
    const empty = renderChart('t', 3, [{ title: 'p', series: [{ name: 'none', color: 'red', values: [null, null, null] }] }], []);
    expect(xmlProblems(empty)).toEqual([]);
    expect(elements(seriesGroup(empty, 'none'), 'polyline')).toEqual([]);
  });

  it('dashes only the dashed series', () => {
    expect(elements(seriesGroup(svg, 'static'), 'polyline')[0]['stroke-dasharray']).toBe('6 3');
    expect(elements(seriesGroup(svg, 'healed'), 'polyline')[0]['stroke-dasharray']).toBeUndefined();
  });

  it('draws bars from the bottom of the panel, skipping nulls (hand-computed)', () => {
    // bar width = 730 / 4 * 0.6 = 109.5; second panel top = 40 + 230 + 20 = 290, bottom 470
    // v = 0.5: x = 151.25 - 54.75 = 96.5, y = 470 - 90 = 380, height 90; v = 1: x = 461.5, y = 290, height 180
    const rects = elements(seriesGroup(svg, 'share'), 'rect');
    expect(rects).toEqual([
      { x: '96.5', y: '380', width: '109.5', height: '90' },
      { x: '461.5', y: '290', width: '109.5', height: '180' },
      { x: '644', y: '470', width: '109.5', height: '0' },
    ]);
  });

  it('draws every marker in every panel at its chunk', () => {
    const lines = elements(svg, 'line').filter((l) => 'data-marker' in l);
    expect(lines).toHaveLength(MARKERS.length * 2);
    for (const title of ['AUC', 'Share']) {
      const inPanel = elements(panelGroup(svg, title), 'line').filter((l) => 'data-marker' in l);
      expect(inPanel.map((l) => [l['data-marker'], l.x1, l.stroke])).toEqual([
        ['promotion v2', '333.75', '#2166ac'],
        ['rollback v1', '516.25', '#b2182b'],
        ['promotion v3', '698.75', '#2166ac'],
      ]);
    }
    const auc = elements(panelGroup(svg, 'AUC'), 'line').filter((l) => 'data-marker' in l);
    expect(auc.every((l) => l.y1 === '60' && l.y2 === '240')).toBe(true);
  });

  it('has a legend entry per kind of marker (first word of the label), once each', () => {
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts.filter((t) => t === 'promotion')).toHaveLength(1);
    expect(texts.filter((t) => t === 'rollback')).toHaveLength(1);
  });

  it('labels the chunks 1..count on the x axis', () => {
    const texts = [...svg.matchAll(/<text[^>]*text-anchor="middle">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toEqual(['1', '2', '3', '4', 'chunk']);
  });

  it('labels five y ticks from a fixed range, in quarters', () => {
    const ticks = [...panelGroup(svg, 'AUC').matchAll(/<text[^>]*text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks).toEqual(['0.00', '0.25', '0.50', '0.75', '1.00']);
  });

  const tickLabels = (panel: Panel) =>
    [...renderChart('t', 2, [panel], []).matchAll(/<text[^>]*text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1]);

  it('derives a round y range from the data: 5% padding, about five intervals of a round step, whole steps', () => {
    // 0.2..0.6: pad 0.02 -> 0.44 / 5 = 0.088 -> step 0.1; 0.18 and 0.62 rounded out -> 0.1..0.7
    expect(tickLabels({ title: 'p', series: [{ name: 's', color: 'red', values: [0.2, 0.6] }] })).toEqual([
      '0.1',
      '0.2',
      '0.3',
      '0.4',
      '0.5',
      '0.6',
      '0.7',
    ]);
    // a flat line at 0.5: pad 0.05 -> 0.1 / 5 = 0.02 -> step 0.02; 0.45..0.55 rounded out -> 0.44..0.56
    expect(tickLabels({ title: 'p', series: [{ name: 's', color: 'red', values: [0.5, 0.5] }] })).toEqual([
      '0.44',
      '0.46',
      '0.48',
      '0.50',
      '0.52',
      '0.54',
      '0.56',
    ]);
    // all null: [0, 1] in quarters
    expect(tickLabels({ title: 'p', series: [{ name: 's', color: 'red', values: [null, null] }] })).toEqual([
      '0.00',
      '0.25',
      '0.50',
      '0.75',
      '1.00',
    ]);
  });

  it('starts the axis at yMin when asked (a Brier score from 0), and includes the reference lines', () => {
    // 0.03..0.46 from 0: pad 0.0215 -> 0.503 / 5 = 0.1006 -> step 0.2; 0..0.4815 rounded out -> 0..0.6
    const brier = yAxis({ title: 'b', yMin: 0, series: [{ name: 's', color: 'red', values: [0.03, 0.46] }] });
    expect(brier).toEqual({ lo: 0, hi: 0.6, ticks: [0, 0.2, 0.4, 0.6], decimals: 1 });
    // 0.6..0.9 and the 0.5 line: 0.5..0.9, pad 0.02 -> 0.44 / 5 -> step 0.1 -> 0.4..1.0
    const auc = yAxis({
      title: 'a',
      references: [{ value: 0.5, label: 'chance' }],
      series: [{ name: 's', color: 'red', values: [0.6, 0.9] }],
    });
    expect(auc.lo).toBe(0.4);
    expect(auc.hi).toBe(1);
    expect(auc.ticks).toEqual([0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  });

  it('picks round steps: 1, 2, 2.5 or 5 times a power of ten, with the decimals they need', () => {
    expect(niceStep(0.088)).toEqual({ step: 0.1, decimals: 1 });
    expect(niceStep(0.1)).toEqual({ step: 0.1, decimals: 1 });
    expect(niceStep(0.13)).toEqual({ step: 0.2, decimals: 1 });
    expect(niceStep(0.25)).toEqual({ step: 0.25, decimals: 2 });
    expect(niceStep(0.3)).toEqual({ step: 0.5, decimals: 1 });
    expect(niceStep(0.011)).toEqual({ step: 0.02, decimals: 2 });
    expect(niceStep(7)).toEqual({ step: 10, decimals: 0 });
  });

  it('draws a reference line across the panel, dashed, with its label', () => {
    const out = renderChart('t', 2, [{ title: 'p', yRange: [0, 1], references: [{ value: 0.5, label: 'chance (0.5)' }], series: [] }], []);
    // y(0.5) = 60 + 180 - 90 = 150
    expect(elements(out, 'line').filter((l) => 'data-reference' in l)).toEqual([
      { 'data-reference': 'chance (0.5)', x1: '60', x2: '790', y1: '150', y2: '150', stroke: '#555', 'stroke-dasharray': '2 4' },
    ]);
    expect(out).toContain('>chance (0.5)</text>');
    expect(xmlProblems(out)).toEqual([]);
  });

  it('draws a line series in a bar panel as a line (a base rate over the drift bars)', () => {
    const out = renderChart(
      't',
      2,
      [
        {
          title: 'p',
          kind: 'bars',
          yRange: [0, 1],
          series: [BAR_PANEL.series[0], { name: 'rate', color: 'black', kind: 'lines', values: [0.1, 0.5] }],
        },
      ],
      [],
    );
    expect(elements(seriesGroup(out, 'rate'), 'polyline')).toHaveLength(1);
    expect(elements(seriesGroup(out, 'rate'), 'rect')).toHaveLength(0);
    expect(elements(seriesGroup(out, 'share'), 'rect').length).toBeGreaterThan(0);
  });

  it('gives each line its own dash and width', () => {
    const out = renderChart(
      't',
      2,
      [{ title: 'p', series: [{ name: 'a', color: 'red', values: [0.1, 0.2], dashed: '2 3', width: 3 }] }],
      [],
    );
    expect(elements(seriesGroup(out, 'a'), 'polyline')[0]).toMatchObject({ 'stroke-dasharray': '2 3', 'stroke-width': '3' });
    // and its legend draws it the same way
    const legend = elements(out, 'line').filter((l) => l.x1 === '796');
    expect(legend).toEqual([{ x1: '796', x2: '818', y1: '67', y2: '67', stroke: 'red', 'stroke-width': '3', 'stroke-dasharray': '2 3' }]);
  });

  it('tags markers at the top of the first panel only, and draws minor markers dotted and thin', () => {
    const out = renderChart(
      't',
      2,
      [LINE_PANEL, BAR_PANEL],
      [
        { index: 0, label: 'promotion v2', color: 'blue', tag: 'v2' },
        { index: 1, label: 'rejected v3', color: 'grey', minor: true },
      ],
    );
    expect(elements(out, 'text').filter((t) => 'data-tag' in t)).toEqual([
      // two chunks: x(0) = 60 + 0.25 * 730 = 242.5; first panel top 60, tag at 60 + 11
      { 'data-tag': 'promotion v2', x: '242.5', y: '71', 'text-anchor': 'middle', 'font-size': '10', fill: 'blue' },
    ]);
    expect(out).toContain('fill="blue">v2</text>');
    const rejected = elements(out, 'line').filter((l) => l['data-marker'] === 'rejected v3');
    expect(rejected).toHaveLength(2);
    expect(rejected[0]).toMatchObject({ 'stroke-dasharray': '1 3', 'stroke-width': '1' });
    expect(xmlProblems(out)).toEqual([]);
  });

  it('writes the given labels under the chunks, several lines each, and grows to fit them', () => {
    const out = renderChart('t', 2, [LINE_PANEL], [], {
      labels: [
        ['1', "May '08"],
        ['2', "Jun '08"],
      ],
      title: 'chunk & month',
    });
    const texts = [...out.matchAll(/<text[^>]*text-anchor="middle">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toEqual(['1', "May '08", '2', "Jun '08", 'chunk &amp; month']);
    // one panel: 40 + 230 + 20, plus one more label line of 13
    expect(elements(out, 'svg')[0].height).toBe('303');
    expect(xmlProblems(out)).toEqual([]);
  });

  it('escapes the title, panel titles, series names and marker labels in text and attributes', () => {
    const nasty = `<&>"`;
    const out = renderChart(
      `Title ${nasty}`,
      2,
      [{ title: `Panel ${nasty}`, series: [{ name: `Series ${nasty}`, color: 'red', values: [0.1, 0.2] }] }],
      [{ index: 0, label: `${nasty} marker`, color: 'blue' }],
    );
    expect(xmlProblems(out)).toEqual([]);
    expect(out).toContain('<title>Title &lt;&amp;&gt;&quot;</title>');
    expect(out).toContain('>Title &lt;&amp;&gt;&quot;</text>');
    expect(out).toContain('data-panel="Panel &lt;&amp;&gt;&quot;"');
    expect(out).toContain('>Panel &lt;&amp;&gt;&quot;</text>');
    expect(out).toContain('data-series="Series &lt;&amp;&gt;&quot;"');
    expect(out).toContain('>Series &lt;&amp;&gt;&quot;</text>');
    expect(out).toContain('data-marker="&lt;&amp;&gt;&quot; marker"');
    expect(out).toContain('>&lt;&amp;&gt;&quot;</text>'); // the marker legend (first word)
    expect(out).not.toContain(nasty);
  });

  it('renders with no panels, no chunks and no markers and stays well formed', () => {
    const out = renderChart('empty', 0, [], []);
    expect(xmlProblems(out)).toEqual([]);
    expect(elements(out, 'svg')[0].height).toBe('60');
    const oneChunk = renderChart('one', 1, [LINE_PANEL], MARKERS.slice(0, 1));
    expect(xmlProblems(oneChunk)).toEqual([]);
  });
});
