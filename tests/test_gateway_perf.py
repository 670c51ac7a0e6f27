"""What the gateway's fast paths rely on (issue 10, benchmarks): they must give the same bytes as the
plain code they replaced, since the content digests in signed receipts are computed over them."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from jincai.gateway import client
from jincai.gateway.ingest import canonical_line, record_json
from jincai.proto_io import message_class
from jincai.standard import standard

TEXT = st.text(st.characters(blacklist_categories=("Cs",)))  # protobuf strings are valid UTF-8
VALUES = st.one_of(TEXT, st.integers(-(2**63), 2**63 - 1), st.booleans())


@settings(max_examples=500)
@given(st.dictionaries(TEXT, VALUES))
def test_canonical_line_is_the_bytes_of_json_dumps(rec):
    assert canonical_line(rec) == json.dumps(rec, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def test_message_fields_are_numbered_in_the_standards_field_order():
    # record_json takes ListFields' order (field numbers) as the canonical key order
    for entity in standard().entities.values():
        numbered = sorted(message_class(entity).DESCRIPTOR.fields, key=lambda fd: fd.number)
        assert [fd.name for fd in numbered] == entity.field_names, entity.id


@st.composite
def voucher(draw):
    """A payment voucher with any subset of its fields set, values of the field's kind."""
    out = {}
    for f in standard().entity("payment_voucher").fields:
        if not draw(st.booleans()):
            continue
        kind = f.element.type
        if kind == "money":
            out[f.name] = _yuan(draw(st.integers(-(10**15), 10**15)))
        elif kind == "decimal":
            out[f.name] = draw(st.from_regex(r"-?[0-9]{1,6}\.[0-9]{1,4}", fullmatch=True))
        elif kind == "integer":
            out[f.name] = draw(st.integers(-(2**31), 2**31 - 1))
        elif kind == "boolean":
            out[f.name] = draw(st.booleans())
        else:
            out[f.name] = draw(TEXT)
    return out


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


@settings(max_examples=300)
@given(voucher())
def test_record_json_gives_back_the_record_the_client_sent(rec):
    msg = client.to_message("payment_voucher", rec, "test")
    msg = type(msg).FromString(msg.SerializeToString())  # as the server receives it
    assert record_json("payment_voucher", msg) == rec
    assert list(record_json("payment_voucher", msg)) == [n for n in standard().entity("payment_voucher").field_names if n in rec]
