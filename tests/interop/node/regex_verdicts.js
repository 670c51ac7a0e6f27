// ECMA-262 with the u flag (what JSON Schema 2020-12 says patterns are): does pattern P find a match
// in string S? Usage: node regex_verdicts.js < PAIRS.json  (a JSON array of [P, S]) → a JSON array of booleans.
"use strict";
const pairs = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(pairs.map(([p, s]) => new RegExp(p, "u").test(s))));
