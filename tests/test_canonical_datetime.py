"""C03: one canonical text for a datetime, whatever artifact it travels through (issue 8 item 4).

Any valid datetime text (``Z`` or ``+00:00``, a fraction of 1–6 digits with or without trailing
zeros, any offset within ±23:59) → the pydantic model → JSON / Avro / protobuf / the adapters'
JSON Lines writer → back must give the canonical text, byte for byte: the fraction without trailing
zeros (left out when zero) and ``Z`` for a zero offset. The expected text is computed here from the
input string alone, not with ``jincai.canonical.datetime_text``.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jincai import avro_io, proto_io
from jincai.adapters.engine import compile_dumps
from jincai.canonical import datetime_text, dumps_record, record_to_json
from jincai.models import model_for
from jincai.standard import standard
from jincai.strategies import valid_record

ENTITY = "payment_voucher"
FIELD = "update_time"


@st.composite
def datetime_texts(draw) -> tuple[str, str]:
    """(a valid C03 text, its canonical text)."""
    day = draw(st.dates(min_value=date(1, 1, 2), max_value=date(9999, 12, 30)))
    h, m, s = draw(st.integers(0, 23)), draw(st.integers(0, 59)), draw(st.integers(0, 59))
    digits = draw(st.integers(0, 6))
    fraction = draw(st.text(alphabet="0123456789", min_size=digits, max_size=digits)) if digits else ""
    if draw(st.booleans()):
        fraction = fraction[:-2] + "00" if len(fraction) >= 2 else fraction + ("0" if fraction else "")  # trailing zeros
    offset_minutes = draw(st.one_of(st.just(0), st.integers(-(23 * 60 + 59), 23 * 60 + 59)))
    if offset_minutes == 0:
        offset = draw(st.sampled_from(["Z", "+00:00"]))
    else:
        sign = "-" if offset_minutes < 0 else "+"
        offset = f"{sign}{abs(offset_minutes) // 60:02d}:{abs(offset_minutes) % 60:02d}"
    head = f"{day.isoformat()}T{h:02d}:{m:02d}:{s:02d}"
    text = head + (f".{fraction}" if fraction else "") + offset
    kept = fraction.rstrip("0")
    canonical = head + (f".{kept}" if kept else "") + ("Z" if offset in ("Z", "+00:00") else offset)
    return text, canonical


@pytest.fixture(scope="module")
def avro_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dt") / "pv.avro"


@given(pair=datetime_texts(), data=st.data())
def test_issue8_04_every_round_trip_gives_the_canonical_datetime_text(pair: tuple[str, str], data, avro_path: Path) -> None:
    text, canonical = pair
    entity = standard().entity(ENTITY)
    model = model_for(ENTITY)
    base = record_to_json(entity, data.draw(valid_record(entity)))
    obj = {**base, FIELD: text}

    m = model.model_validate_json(json.dumps(obj, ensure_ascii=False))
    assert json.loads(m.model_dump_json())[FIELD] == canonical
    assert m.model_dump(mode="json")[FIELD] == canonical
    assert model.model_validate(obj).model_dump(mode="json")[FIELD] == canonical
    record = m.canonical()
    assert record_to_json(entity, record)[FIELD] == canonical
    assert json.loads(dumps_record(entity, record))[FIELD] == canonical
    assert json.loads(compile_dumps(entity)(record))[FIELD] == canonical  # the adapters' writer

    assert avro_io.to_datum(entity, record)[FIELD] == canonical  # the text stored in Avro
    avro_io.write_avro(avro_path, entity, [record])
    (back,) = avro_io.read_avro(avro_path).records
    assert record_to_json(entity, back)[FIELD] == canonical

    message = proto_io.to_message(entity, record)
    assert getattr(message, FIELD) == canonical  # the text on the wire
    parsed = proto_io.message_class(entity).FromString(message.SerializeToString())
    assert record_to_json(entity, proto_io.from_message(entity, parsed))[FIELD] == canonical

    assert model.model_validate_json(json.dumps({**obj, FIELD: canonical})).model_dump(mode="json")[FIELD] == canonical


@pytest.mark.parametrize(
    "value,text",
    [
        (datetime(2024, 5, 4, 10, 22, 33, tzinfo=timezone.utc), "2024-05-04T10:22:33Z"),
        (datetime(2024, 5, 4, 10, 22, 33, 100000, tzinfo=timezone(timedelta(hours=8))), "2024-05-04T10:22:33.1+08:00"),
        (datetime(2024, 5, 4, 10, 22, 33, 120, tzinfo=timezone(timedelta(minutes=-30))), "2024-05-04T10:22:33.00012-00:30"),
        (datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=-9, minutes=-30))), "0001-01-01T00:00:00-09:30"),
    ],
)
def test_datetime_text_examples(value: datetime, text: str) -> None:
    assert datetime_text(value) == text


@pytest.mark.parametrize("value", [datetime(2024, 5, 4), datetime(2024, 5, 4, tzinfo=timezone(timedelta(seconds=30)))])
def test_datetime_text_refuses_what_c03_cannot_say(value: datetime) -> None:
    with pytest.raises(ValueError):
        datetime_text(value)
