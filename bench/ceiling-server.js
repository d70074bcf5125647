'use strict';
/**
 * The ceiling for POST /predict: a bare node:http server doing the least work a prediction needs
 * (read the body, JSON.parse it, label-encode the 10 categorical fields with a lookup, standard-scale
 * the 9 numeric ones, a 19-term dot product and a sigmoid, answer a JSON object of the same shape as
 * the real /predict). No framework, no validation, no logging: what the hardware and Node give.
 *
 * Started by bench/run.js with fork(); listens on 127.0.0.1 on a free port and sends {port} over IPC.
 * Standalone: `node bench/ceiling-server.js [port]` prints the port.
 */
const http = require('node:http');
const { randomUUID } = require('node:crypto');

// Classes as a LabelEncoder learns them from data/bank-additional.csv (sorted; code = index).
const CATEGORIES = {
  job: [
    'admin.',
    'blue-collar',
    'entrepreneur',
    'housemaid',
    'management',
    'retired',
    'self-employed',
    'services',
    'student',
    'technician',
    'unemployed',
    'unknown',
  ],
  marital: ['divorced', 'married', 'single', 'unknown'],
  education: ['basic.4y', 'basic.6y', 'basic.9y', 'high.school', 'illiterate', 'professional.course', 'university.degree', 'unknown'],
  default: ['no', 'unknown', 'yes'],
  housing: ['no', 'unknown', 'yes'],
  loan: ['no', 'unknown', 'yes'],
  contact: ['cellular', 'telephone'],
  month: ['apr', 'aug', 'dec', 'jul', 'jun', 'mar', 'may', 'nov', 'oct', 'sep'],
  day_of_week: ['fri', 'mon', 'thu', 'tue', 'wed'],
  poutcome: ['failure', 'nonexistent', 'success'],
};
const LOOKUP = Object.fromEntries(Object.entries(CATEGORIES).map(([name, classes]) => [name, new Map(classes.map((c, i) => [c, i]))]));

// Fixed (made-up but plausible) model: feature order, scaler for the numeric ones, coefficients.
const FEATURES = [
  'age',
  'job',
  'marital',
  'education',
  'default',
  'housing',
  'loan',
  'contact',
  'month',
  'day_of_week',
  'campaign',
  'pdays',
  'previous',
  'poutcome',
  'emp_var_rate',
  'cons_price_idx',
  'cons_conf_idx',
  'euribor3m',
  'nr_employed',
];
const SCALER = {
  age: [40.1, 10.3],
  campaign: [2.5, 2.6],
  pdays: [960.4, 191.9],
  previous: [0.19, 0.54],
  emp_var_rate: [0.08, 1.56],
  cons_price_idx: [93.58, 0.58],
  cons_conf_idx: [-40.5, 4.6],
  euribor3m: [3.62, 1.73],
  nr_employed: [5166.5, 73.7],
};
const COEF = [0.02, 0.01, 0.08, 0.03, -0.25, -0.02, -0.01, -0.55, -0.04, 0.02, -0.12, -0.31, -0.05, 0.21, -0.62, 0.33, 0.09, -0.18, -0.41];
const INTERCEPT = -0.3;

const N = FEATURES.length;
const KIND = FEATURES.map((f) => (LOOKUP[f] ? 'cat' : 'num'));

function score(record) {
  let z = INTERCEPT;
  for (let i = 0; i < N; i++) {
    const name = FEATURES[i];
    const value = record[name];
    let x;
    if (KIND[i] === 'cat') {
      x = LOOKUP[name].get(value);
      if (x === undefined) return null;
    } else {
      if (typeof value !== 'number') return null;
      const [mean, scale] = SCALER[name];
      x = (value - mean) / scale;
    }
    z += COEF[i] * x;
  }
  return 1 / (1 + Math.exp(-z));
}

const round4 = (p) => Math.round(p * 1e4) / 1e4;

function send(res, status, payload) {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/predict') return send(res, 404, { statusCode: 404, message: 'not found' });
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let record;
    try {
      record = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { statusCode: 400, message: 'bad json' });
    }
    const yes = record && typeof record === 'object' ? score(record) : null;
    if (yes === null) return send(res, 400, { statusCode: 400, message: 'bad record' });
    const label = yes > 0.5 ? 'yes' : 'no';
    const pYes = round4(yes);
    const pNo = round4(1 - yes);
    send(res, 200, {
      prediction: label === 'yes' ? 1 : 0,
      prediction_label: label,
      prediction_proba: { no: pNo, yes: pYes },
      confidence: Math.max(pNo, pYes),
      timestamp: new Date().toISOString(),
      model_version: 'ceiling',
      request_id: randomUUID(),
    });
  });
});

server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const { port } = server.address();
  if (process.send) process.send({ port });
  else process.stdout.write(`ceiling listening on http://127.0.0.1:${port}/predict\n`);
});

// Die with the parent: when the IPC channel closes, nobody can stop us any more.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
