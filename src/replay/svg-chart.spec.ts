import { Marker, Panel, renderChart } from './svg-chart';

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
    expect(root.width).toBe('960');
    expect(root.height).toBe('520'); // 40 + 2 * 230 + 20
    expect(root.viewBox).toBe('0 0 960 520');
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
    // plot width 960 - 60 - 170 = 730; x(i) = 60 + (i + 0.5) / 4 * 730 -> 151.25, 333.75, 516.25, 698.75
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

  it('labels five y ticks from a fixed range', () => {
    const ticks = [...panelGroup(svg, 'AUC').matchAll(/<text[^>]*text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks).toEqual(['0.000', '0.250', '0.500', '0.750', '1.000']);
  });

  it('derives the y range from the data with 10% padding, or +-0.05 for a flat line', () => {
    // values 0.2..0.6: pad 0.04 -> [0.16, 0.64]; ticks every 0.12
    const derived = renderChart('t', 2, [{ title: 'p', series: [{ name: 's', color: 'red', values: [0.2, 0.6] }] }], []);
    const ticks = [...derived.matchAll(/<text[^>]*text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks).toEqual(['0.160', '0.280', '0.400', '0.520', '0.640']);
    const flat = renderChart('t', 2, [{ title: 'p', series: [{ name: 's', color: 'red', values: [0.5, 0.5] }] }], []);
    const flatTicks = [...flat.matchAll(/<text[^>]*text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(flatTicks).toEqual(['0.450', '0.475', '0.500', '0.525', '0.550']);
    // all null: [0, 1]
    const none = renderChart('t', 2, [{ title: 'p', series: [{ name: 's', color: 'red', values: [null, null] }] }], []);
    expect([...none.matchAll(/<text[^>]*text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1])).toEqual([
      '0.000',
      '0.250',
      '0.500',
      '0.750',
      '1.000',
    ]);
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
