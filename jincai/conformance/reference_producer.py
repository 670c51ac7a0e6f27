"""jincai's own answer to a producer scenario: export the scenario's records as a submission.

jincai is not a budget or treasury product, so its "export" is the scenario's records written the
way the standard says an export is written: one JSON Lines file per entity (fields in the entity's
order, nulls left out, compact UTF-8), and ``submission_envelope.jsonl`` with one envelope per
entity file (record count, content checksum over those very lines, the product's identity and, when
it holds one, its certificate number). What a vendor's product adds — keying the data in and
generating its own identifiers — has no counterpart here; the checks on the export are the same.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from jincai.conformance.suite import read_yaml
from jincai.errors import JincaiError
from jincai.standard import standard


def canonical_line(entity: str, obj: dict[str, Any]) -> str:
    """A record as exports write it and envelopes hash it: the entity's field order, nulls left out,
    compact JSON, values as they are (no re-typing)."""
    import json

    ent = standard().entity(entity)
    return json.dumps({f: obj[f] for f in ent.field_names if obj.get(f) is not None}, ensure_ascii=False, separators=(",", ":"))


def scenario_records(scenario: dict[str, Any], where: str) -> dict[str, list[dict[str, Any]]]:
    std = standard()
    out: dict[str, list[dict[str, Any]]] = {}
    for section in ("master_data", "transactions"):
        for entity, records in (scenario.get(section) or {}).items():
            if entity not in std.entities or entity == "submission_envelope" or not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
                raise JincaiError("conformance-scenario-invalid", f"场景中的 {section}.{entity} 不是某个实体的记录列表", f"{section}.{entity} of the scenario is not a list of an entity's records", where)
            out.setdefault(entity, []).extend(records)
    return out


def produce(scenario_path: Path, out: Path, product: dict[str, str], cert_no: str | None = None, *, line=canonical_line) -> list[str]:
    """Write the submission for ``scenario_path`` into ``out``; returns the files written."""
    scenario = read_yaml(scenario_path)
    if not isinstance(scenario, dict) or not isinstance(scenario.get("submission"), dict):
        raise JincaiError("conformance-scenario-invalid", "场景文件缺少 submission", "the scenario lacks `submission`", str(scenario_path))
    records = scenario_records(scenario, str(scenario_path))
    out.mkdir(parents=True, exist_ok=True)
    std = standard()
    envelopes = []
    written = []
    region = next((r.get("mof_div_code") for rs in records.values() for r in rs if r.get("fiscal_year")), None)
    year = next((r.get("fiscal_year") for rs in records.values() for r in rs if r.get("fiscal_year")), None)
    for entity in sorted(records):
        text = "".join(line(entity, r) + "\n" for r in records[entity])
        (out / f"{entity}.jsonl").write_text(text, encoding="utf-8", newline="\n")
        written.append(f"{entity}.jsonl")
        env = {
            "submission_id": scenario["submission"]["submission_id"], "mof_div_code": region, "fiscal_year": year,
            "product_name": product["name"], "product_version": product["version"], "standard_version": std.version,
            "entity_name": entity, "record_count": len(records[entity]),
            "content_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "create_time": scenario["submission"]["create_time"],
        }
        if cert_no:
            env.update(cert_no=cert_no, vendor_name=product["vendor"])
        envelopes.append(env)
    (out / "submission_envelope.jsonl").write_text("".join(canonical_line("submission_envelope", e) + "\n" for e in envelopes), encoding="utf-8", newline="\n")
    return [*written, "submission_envelope.jsonl"]
