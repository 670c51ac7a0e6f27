// ajv (JSON Schema 2020-12, strict mode) + ajv-formats over jincai's published schemas, as a vendor
// would use them: the x-* keywords declared from the published annotation vocabulary, the jincai-*
// identifier formats implemented here from their standards (GB 32100, GB 11714, GB 11643).
// Usage: node json_schema_verdicts.js SCHEMA_DIR CASES.jsonl > VERDICTS.jsonl
// Each case line is {"e": entity, "r": record}; each verdict line is {"ok": bool, "fields": [...]}.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const [schemaDir, casesPath] = process.argv.slice(2);
const meta = JSON.parse(fs.readFileSync(path.join(schemaDir, "meta", "annotations.schema.json"), "utf8"));

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
ajv.addVocabulary(Object.keys(meta.properties));

const USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ORG_W = [3, 7, 9, 10, 5, 8, 4, 2];
const CITIZEN_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

function orgCheck(body) {
  const r = [...body].reduce((s, c, i) => s + ORG.indexOf(c) * ORG_W[i], 0) % 11;
  return r === 0 ? "0" : 11 - r === 10 ? "X" : String(11 - r);
}
function uscc(v) {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(v)) return false;
  const total = [...v.slice(0, 17)].reduce((s, c, i) => s + USCC.indexOf(c) * USCC_W[i], 0);
  return v[17] === USCC[(31 - (total % 31)) % 31] && v[16] === orgCheck(v.slice(8, 16));
}
function orgcode(v) {
  const m = /^([0-9A-Z]{8})-?([0-9X])$/.exec(v);
  return m !== null && (v.length === 9 || v[8] === "-") && m[2] === orgCheck(m[1]);
}
function citizenId(v) {
  if (!/^[0-9]{17}[0-9X]$/.test(v)) return false;
  const y = +v.slice(6, 10), mo = +v.slice(10, 12), d = +v.slice(12, 14);
  const birth = new Date(Date.UTC(y, mo - 1, d));
  if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== mo - 1 || birth.getUTCDate() !== d) return false;
  const now = new Date();
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  if (y < 1900 || birth.getTime() > today) return false;
  const total = [...v.slice(0, 17)].reduce((s, c, i) => s + Number(c) * CITIZEN_W[i], 0);
  return v[17] === "10X98765432"[total % 11];
}
ajv.addFormat("jincai-uscc", { type: "string", validate: uscc });
ajv.addFormat("jincai-orgcode", { type: "string", validate: orgcode });
ajv.addFormat("jincai-citizen-id", { type: "string", validate: citizenId });
ajv.addFormat("jincai-cnaps", { type: "string", validate: (v) => /^[0-9]{12}$/.test(v) });

const validators = {};
for (const name of fs.readdirSync(schemaDir)) {
  if (name.endsWith(".schema.json")) {
    const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, name), "utf8"));
    validators[schema["x-entity"]] = ajv.compile(schema); // throws in strict mode on anything undeclared
  }
}

function fieldsOf(errors) {
  const out = new Set();
  for (const e of errors) {
    if (e.instancePath) out.add(e.instancePath.split("/")[1].replace(/~1/g, "/").replace(/~0/g, "~"));
    else if (e.keyword === "required") out.add(e.params.missingProperty);
    else if (e.keyword === "additionalProperties") out.add(e.params.additionalProperty);
  }
  return [...out].sort();
}

const lines = fs.readFileSync(casesPath, "utf8").split("\n").filter((l) => l.length > 0);
const out = [];
for (const line of lines) {
  const { e, r } = JSON.parse(line);
  const validate = validators[e];
  const ok = validate(r);
  out.push(JSON.stringify({ ok, fields: ok ? [] : fieldsOf(validate.errors) }));
}
process.stdout.write(out.join("\n") + "\n");
