// avsc, a second Avro implementation: read Avro container files written by Python (fastavro,
// deflate codec) with the writer schema they carry. Usage: node avro_read.js FILE... → one JSON line
// per file: {"file": ..., "schema": the writer schema's name, "records": [...]}; bytes (decimals)
// are given as {"hex": ...}.
"use strict";
const avro = require("avsc");

function plain(value) {
  if (Buffer.isBuffer(value)) return { hex: value.toString("hex") };
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = plain(v);
  return out;
}

async function read(file) {
  return new Promise((resolve, reject) => {
    const records = [];
    let schema = null;
    avro.createFileDecoder(file)
      .on("metadata", (type) => { schema = type.name; })
      .on("data", (record) => records.push(plain(record)))
      .on("error", reject)
      .on("end", () => resolve({ file, schema, records }));
  });
}

(async () => {
  const lines = [];
  for (const file of process.argv.slice(2)) lines.push(JSON.stringify(await read(file)));
  process.stdout.write(lines.join("\n") + "\n");
})().catch((e) => { console.error(e); process.exit(1); });
