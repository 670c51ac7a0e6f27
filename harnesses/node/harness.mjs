// jincai conformance suite — a second harness, in Node.js: a "validator" product that checks each
// JSON Lines record against the published JSON Schema of its entity (schemas/json/, ajv 2020-12 +
// ajv-formats, the jincai-* identifier formats the schemas require) and maps ajv's errors to the
// catalogue's rule ids. It speaks the harness protocol (one JSON object per line on stdin/stdout).
// What a JSON Schema cannot express — code lists by year, record rules, cross-record and
// cross-entity rules, money minimums — it does not report: the suite says so, case by case.
import { createInterface } from "node:readline";
import { readFileSync } from "node:fs";
import { basename, extname, join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const here = dirname(fileURLToPath(import.meta.url));
const SCHEMAS = process.env.JINCAI_SCHEMAS_DIR || join(here, "..", "..", "schemas", "json");

// ---- identifier formats (GB 32100, GB 11714, GB 11643), as the schemas' $comment requires ----
const USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function usccOk(s) {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(s)) return false;
  let t = 0;
  for (let i = 0; i < 17; i++) t += USCC.indexOf(s[i]) * USCC_W[i];
  return USCC[(31 - (t % 31)) % 31] === s[17];
}
function orgOk(s) {
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(s)) return false;
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  let t = 0;
  for (let i = 0; i < 8; i++) t += (/[0-9]/.test(s[i]) ? Number(s[i]) : s.charCodeAt(i) - 55) * w[i];
  const c = 11 - (t % 11);
  return (c === 10 ? "X" : c === 11 ? "0" : String(c)) === s[8];
}
function citizenOk(s) {
  if (!/^[0-9]{17}[0-9X]$/.test(s)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let t = 0;
  for (let i = 0; i < 17; i++) t += Number(s[i]) * w[i];
  const c = (12 - (t % 11)) % 11;
  const [y, m, d] = [Number(s.slice(6, 10)), Number(s.slice(10, 12)), Number(s.slice(12, 14))];
  const born = new Date(Date.UTC(y, m - 1, d));
  const realDate = born.getUTCFullYear() === y && born.getUTCMonth() === m - 1 && born.getUTCDate() === d;
  return realDate && (c === 10 ? "X" : String(c)) === s[17];
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addFormat("jincai-uscc", usccOk);
ajv.addFormat("jincai-orgcode", orgOk);
ajv.addFormat("jincai-citizen-id", citizenOk);
ajv.addFormat("jincai-cnaps", /^[0-9]{12}$/);

const compiled = new Map();
function schemaFor(entity) {
  if (!compiled.has(entity)) {
    const schema = JSON.parse(readFileSync(join(SCHEMAS, `${entity}.schema.json`), "utf8"));
    compiled.set(entity, { validate: ajv.compile(schema), schema });
  }
  return compiled.get(entity);
}

// ---- ajv errors → the catalogue's rule ids, first failing check per field (the catalogue's order) ----
const FORMAT_RULE = { money: "field.money-format", decimal: "field.decimal-format", date: "field.date", datetime: "field.datetime" };
const IDENT_RULE = { "jincai-uscc": "ident.uscc", "jincai-orgcode": "ident.orgcode", "jincai-citizen-id": "ident.citizen-id" };
const FULLWIDTH = /[\uff10-\uff19]/;
function ruleOf(err, prop, value) {
  const xt = prop?.["x-type"];
  if (typeof value === "string" && xt !== "text" && FULLWIDTH.test(value)) return ["field.fullwidth-digit", 2]; // C07
  switch (err.keyword) {
    case "required": return ["field.required", 0];
    case "type":
      if (value === null) return ["field.required", 0]; // null is not a value (C06)
      return [xt === "integer" ? "field.integer-type" : xt === "boolean" ? "field.boolean-type" : FORMAT_RULE[xt] || "field.string-type", 1];
    case "minLength": return ["field.empty-string", 3];
    case "maxLength": return ["field.max-length", 4];
    case "format":
      if (IDENT_RULE[err.params.format]) return [IDENT_RULE[err.params.format], 7];
      return [FORMAT_RULE[xt] || "field.pattern", 5];
    case "pattern": return [FORMAT_RULE[xt] || (xt === "text" ? "field.control-char" : "field.pattern"), 5];
    case "not": return ["field.control-char", 5];
    case "minimum": case "maximum": return ["field.range", 6];
    default: return ["field.pattern", 5];
  }
}

function validateFile(path) {
  const name = basename(path);
  const entity = basename(name, extname(name));
  const { validate, schema } = schemaFor(entity);
  const lines = readFileSync(path, "utf8").split("\n");
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  const issues = [];
  const unknown = new Map(); // field → [first row, count]
  const seen = new Set();
  const missing = new Map(); // required field → rows where it is absent
  let records = 0;
  lines.forEach((line, i) => {
    const row = i + 1;
    let rec;
    try { rec = JSON.parse(line); } catch { issues.push({ rule: "struct.json-syntax", file: name, row, field: null }); return; }
    if (rec === null || typeof rec !== "object" || Array.isArray(rec)) { issues.push({ rule: "struct.not-object", file: name, row, field: null }); return; }
    records += 1;
    Object.keys(rec).forEach((k) => seen.add(k));
    if (validate(rec)) return;
    const best = new Map(); // field → [rule, rank]
    for (const err of validate.errors) {
      if (err.keyword === "additionalProperties") {
        const f = err.params.additionalProperty;
        const u = unknown.get(f) || [row, 0];
        unknown.set(f, [u[0], u[1] + 1]);
        continue;
      }
      const field = err.keyword === "required" ? err.params.missingProperty : err.instancePath.split("/")[1];
      if (err.keyword === "required") missing.set(field, [...(missing.get(field) || []), row]);
      const [rule, rank] = ruleOf(err, schema.properties?.[field], err.keyword === "required" ? undefined : rec[field]);
      const b = best.get(field);
      if (!b || rank < b[1]) best.set(field, [rule, rank]);
    }
    for (const [field, [rule]] of best) issues.push({ rule, file: name, row, field, value: null });
  });
  // a required field absent from every record is a missing column, reported once
  for (const [field, rows] of missing) {
    if (!seen.has(field) && rows.length === records) {
      for (let j = issues.length - 1; j >= 0; j--) if (issues[j].field === field && issues[j].rule === "field.required") issues.splice(j, 1);
      issues.push({ rule: "struct.missing-column", file: name, row: null, field });
    }
  }
  for (const [field, [row]] of unknown) issues.push({ rule: "struct.unknown-column", file: name, row, field });
  if (lines.length === 0) issues.push({ rule: "struct.empty-file", file: name, row: null, field: null });
  return issues;
}

const WARNINGS = new Set(["struct.empty-file"]);

function handle(msg) {
  switch (msg.op) {
    case "describe":
      return {
        protocol: "jincai-conformance-harness/1",
        product: { vendor: "金财项目示例 jincai example", name: "Node.js JSON Schema 校验示例 Node.js JSON Schema validator example", version: "1.0.0" },
        profiles: ["validator"],
        features: [],
      };
    case "validate": {
      const issues = [];
      for (const f of msg.files) {
        if (extname(f) !== ".jsonl") throw { code: "unsupported-format", zh: `只支持 JSON Lines：${basename(f)}`, en: `JSON Lines only: ${basename(f)}` };
        issues.push(...validateFile(f));
      }
      return { passed: !issues.some((i) => !WARNINGS.has(i.rule)), issues: issues.map((i) => ({ ...i, severity: WARNINGS.has(i.rule) ? "warning" : "error" })) };
    }
    default:
      throw { code: "unknown-operation", zh: `不支持的操作 ${msg.op}`, en: `unsupported operation ${msg.op}` };
  }
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  let msg;
  try { msg = JSON.parse(line); } catch { process.stdout.write(JSON.stringify({ id: null, ok: false, error: { code: "bad-json", message_zh: "请求不是 JSON", message_en: "the request is not JSON" } }) + "\n"); continue; }
  if (msg.op === "shutdown") { process.stdout.write(JSON.stringify({ id: msg.id, ok: true }) + "\n"); break; }
  let out;
  try { out = { id: msg.id, ok: true, ...handle(msg) }; }
  catch (e) { out = { id: msg.id, ok: false, error: { code: e.code || "internal-error", message_zh: e.zh || String(e), message_en: e.en || String(e), location: "" } }; }
  process.stdout.write(JSON.stringify(out) + "\n");
}
