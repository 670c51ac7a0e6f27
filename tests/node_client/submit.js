// A Node.js client of the jincai ingestion gateway: streams a submission folder
// (<entity>.jsonl files) to IngestService.Submit with @grpc/grpc-js and prints the signed receipt
// as the JSON receipt file `jincai gateway verify-receipt` checks.
//
// node submit.js --target HOST:PORT --ca CA.pem --token TOKEN --proto PROTO_ROOT --folder DIR
//                --region CODE --year YYYY --period P --key IDEMPOTENCY_KEY
//                [--product-name N --product-version V]
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

// "-1234.50" -> "-123450" (integer fen as a decimal string; exact, no floating point)
function fen(text) {
  const m = /^(-?)([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(String(text));
  if (!m) throw new Error(`money value ${text} is not yuan with at most two decimals`);
  const cents = (m[3] || '').padEnd(2, '0');
  const value = BigInt(m[2]) * 100n + BigInt(cents || '0');
  return (m[1] === '-' ? -value : value).toString();
}

function main() {
  const a = args();
  const def = protoLoader.loadSync('jincai/ingest/v1/ingest.proto', {
    includeDirs: [a.proto], keepCase: true, longs: String, enums: String, defaults: false, oneofs: true,
  });
  const api = grpc.loadPackageDefinition(def).jincai.ingest.v1;
  // which fields of each entity's message are Money / Decimal, from the proto itself
  const batchType = def['jincai.ingest.v1.RecordBatch'].type;
  const entities = {};
  for (const f of batchType.field) {
    const pascal = f.name.split('_').map((p) => p[0].toUpperCase() + p.slice(1)).join('');
    const msg = def[`jincai.fiscal.v1.${pascal}`].type;
    entities[f.name] = msg.field.map((x) => ({ name: x.name, kind: /Money$/.test(x.typeName || '') ? 'money' : /Decimal$/.test(x.typeName || '') ? 'decimal' : 'scalar' }));
  }
  const creds = grpc.credentials.createSsl(fs.readFileSync(a.ca));
  const client = new api.IngestService(a.target, creds, { 'grpc.max_send_message_length': 64 << 20 });
  const meta = new grpc.Metadata();
  meta.add('authorization', `Bearer ${a.token}`);
  const call = client.Submit(meta, (err, resp) => {
    if (err) {
      console.error(JSON.stringify({ code: err.code, details: err.details }));
      process.exit(1);
    }
    const r = resp.receipt;
    process.stdout.write(JSON.stringify({ format: 'jincai-receipt/1', payload: Buffer.from(r.payload).toString('utf8'), signature: Buffer.from(r.signature).toString('base64'), key_id: r.key_id }) + '\n');
  });
  const write = (msg) => new Promise((resolve) => (call.write(msg) ? resolve() : call.once('drain', resolve)));
  (async () => {
    await write({ header: {
      mof_div_code: a.region, fiscal_year: Number(a.year), period: a.period, standard_version: '1.0.0',
      idempotency_key: a.key, product_name: a['product-name'] || 'jincai node client', product_version: a['product-version'] || '1.0.0',
    } });
    const counts = {};
    const files = fs.readdirSync(a.folder).filter((n) => n.endsWith('.jsonl') && entities[n.split('.')[0]]).sort();
    for (const name of files) {
      const entity = name.split('.')[0];
      let batch = [];
      const lines = readline.createInterface({ input: fs.createReadStream(path.join(a.folder, name)), crlfDelay: Infinity });
      for await (const line of lines) {
        if (!line) continue;
        const rec = JSON.parse(line);
        const msg = {};
        for (const f of entities[entity]) {
          const v = rec[f.name];
          if (v === undefined || v === null) continue;
          msg[f.name] = f.kind === 'money' ? { fen: fen(v) } : f.kind === 'decimal' ? { value: String(v) } : v;
        }
        batch.push(msg);
        counts[entity] = (counts[entity] || 0) + 1;
        if (batch.length >= 2000) {
          await write({ batch: { [entity]: batch } });
          batch = [];
        }
      }
      if (batch.length) await write({ batch: { [entity]: batch } });
    }
    await write({ end: { record_counts: counts } });
    call.end();
  })().catch((e) => {
    console.error(String(e));
    process.exit(2);
  });
}

main();
