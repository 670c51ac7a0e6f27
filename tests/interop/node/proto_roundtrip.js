// protobufjs, a second protobuf implementation: decode messages that Python encoded with
// proto/jincai/fiscal/v1/fiscal.proto, re-encode them, and report both the bytes and the values.
// Usage: node proto_roundtrip.js PROTO_FILE CASES.jsonl  (lines {"m": message name, "b": base64})
// Output lines: {"b": base64 of the re-encoded message, "v": the decoded values as JSON}.
"use strict";
const fs = require("fs");
const protobuf = require("protobufjs");

const [protoFile, casesPath] = process.argv.slice(2);
const root = new protobuf.Root().loadSync(protoFile, { keepCase: true }); // field names as in the proto
const out = [];
for (const line of fs.readFileSync(casesPath, "utf8").split("\n")) {
  if (!line) continue;
  const { m, b } = JSON.parse(line);
  const type = root.lookupType(`jincai.fiscal.v1.${m}`);
  const message = type.decode(Buffer.from(b, "base64"));
  const again = Buffer.from(type.encode(message).finish()).toString("base64");
  const values = type.toObject(message, { longs: String, defaults: false });
  out.push(JSON.stringify({ b: again, v: values }));
}
process.stdout.write(out.join("\n") + "\n");
