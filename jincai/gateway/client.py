"""The Python client: read a submission folder (``jincai sample`` or ``jincai translate`` output, or
files named ``<entity>.<jsonl|csv|avro|parquet>``), stream it to a gateway, return the receipt.

Files are read with the validator's own readers (``jincai.validation.inputs``), so the client sends
exactly what ``jincai validate`` would check. Records are converted to the ``jincai.fiscal.v1``
messages and sent in batches of ``batch_records`` (default 2,000); memory stays flat whatever the
size of the folder. The default idempotency key is derived from the files' bytes and the header, so
sending the same folder again returns the same receipt instead of a second submission.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable, Iterator

import grpc

from jincai.errors import JincaiError
from jincai.gateway import regions
from jincai.gateway.errors import details_of
from jincai.proto_gen.jincai.ingest.v1 import ingest_pb2 as pb
from jincai.proto_gen.jincai.ingest.v1 import ingest_pb2_grpc as pb_grpc
from jincai.proto_io import message_class
from jincai.standard import standard
from jincai.validation.inputs import FileProblem, InputFile, read_rows, resolve


def channel(target: str, ca_pem: bytes, cert_pem: bytes | None = None, key_pem: bytes | None = None, max_message: int = 64 << 20) -> grpc.Channel:
    creds = grpc.ssl_channel_credentials(root_certificates=ca_pem, private_key=key_pem, certificate_chain=cert_pem)
    return grpc.secure_channel(target, creds, options=[("grpc.max_send_message_length", max_message), ("grpc.max_receive_message_length", max_message)])


def stub(ch: grpc.Channel) -> pb_grpc.IngestServiceStub:
    return pb_grpc.IngestServiceStub(ch)


def bearer(token: str | None) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {token}")] if token else []


def to_message(entity: str, values: dict, where: str):
    """A record in JSON form → its fiscal message; a value the message cannot carry is an error."""
    ent = standard().entity(entity)
    msg = message_class(ent)()
    for f in ent.fields:
        v = values.get(f.name)
        if v is None:
            continue
        kind = f.element.type
        try:
            if kind == "money":
                d = Decimal(str(v))
                fen = d.scaleb(2)
                if fen != fen.to_integral_value():
                    raise ValueError("more than two decimals")
                getattr(msg, f.name).fen = int(fen)
            elif kind == "decimal":
                getattr(msg, f.name).value = str(v)
            else:
                setattr(msg, f.name, v)
        except (TypeError, ValueError, InvalidOperation) as exc:
            raise JincaiError(
                "submit-value",
                f"{f.name} 的值 {str(v)[:40]!r} 无法放入报文（{exc}）",
                f"the value {str(v)[:40]!r} of {f.name} does not fit the message ({exc})",
                f"{where}:{f.name}",
            ) from None
    return msg


@dataclass
class Prepared:
    files: list[InputFile]
    region: str
    year: int
    records_hint: int | None  # for a progress bar


def _keep(entity: str, values: dict, region: str | None, allowed: set[str]) -> bool:
    if region is None:
        return True
    code = values.get("mof_div_code")
    return code == region or (entity == "fiscal_region" and code in allowed)


def prepare(paths: list[str | Path], region: str | None, year: int | None) -> Prepared:
    """Resolve the files; find the region and year from the data when not given (one each)."""
    files = resolve([str(p) for p in paths])
    if region is None or year is None:
        seen_regions, seen_years = set(), set()
        for f in files:
            if f.entity == "fiscal_region":
                continue
            try:
                _, rows = read_rows(f)
                for row in rows:
                    if row.values:
                        seen_regions.add(row.values.get("mof_div_code"))
                        seen_years.add(row.values.get("fiscal_year"))
            except FileProblem:
                continue
        seen_regions.discard(None)
        seen_years.discard(None)
        if region is None:
            if len(seen_regions) != 1:
                raise JincaiError("submit-region", f"数据中有 {len(seen_regions)} 个区划，请用 --region 指定报送哪一个", f"the data holds {len(seen_regions)} regions; say which to submit with --region", " ".join(map(str, paths)))
            region = seen_regions.pop()
        if year is None:
            if len(seen_years) != 1:
                raise JincaiError("submit-year", "数据中的预算年度不唯一，请用 --year 指定", "the data holds more than one fiscal year; give --year", " ".join(map(str, paths)))
            year = int(seen_years.pop())
    hint = 0
    for f in files:
        if f.format in ("jsonl", "csv"):
            with open(f.path, "rb") as fh:
                hint += sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return Prepared(files, region, int(year), hint or None)


def default_key(prep: Prepared, period: str) -> str:
    h = hashlib.sha256(f"{prep.region}|{prep.year}|{period}".encode())
    for f in sorted(prep.files, key=lambda f: f.name):
        h.update(f"\n{f.entity}|{Path(f.name).name}|".encode())
        with open(f.path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return "auto-" + h.hexdigest()[:40]


def requests(prep: Prepared, header: pb.SubmissionHeader, batch_records: int = 2000, progress: Callable[[int], None] | None = None) -> Iterator[pb.SubmitRequest]:
    """header, batches, end — the records of the region only (fiscal_region: also its ancestors)."""
    yield pb.SubmitRequest(header=header)
    allowed = {prep.region, *regions.ancestors(prep.region)}
    counts: dict[str, int] = {}
    batch, n = pb.RecordBatch(), 0
    for f in prep.files:
        try:
            _, rows = read_rows(f)
            for row in rows:
                if row.values is None:
                    raise JincaiError("submit-unreadable", f"第 {row.row} 行不是记录（{row.bad}）", f"row {row.row} is not a record ({row.bad})", f"{f.name}:{row.row}")
                if not _keep(f.entity, row.values, prep.region, allowed):
                    continue
                getattr(batch, f.entity).append(to_message(f.entity, row.values, f"{f.name}:{row.row}"))
                counts[f.entity] = counts.get(f.entity, 0) + 1
                n += 1
                if n >= batch_records:
                    yield pb.SubmitRequest(batch=batch)
                    if progress:
                        progress(n)
                    batch, n = pb.RecordBatch(), 0
        except FileProblem as exc:
            raise JincaiError("submit-unreadable", f"无法读取：{exc.value}", f"cannot read: {exc.value}", f.name) from None
    if n:
        yield pb.SubmitRequest(batch=batch)
        if progress:
            progress(n)
    yield pb.SubmitRequest(end=pb.SubmissionEnd(record_counts=counts))


def header(prep: Prepared, period: str, key: str, product_name: str = "jincai submit", product_version: str = "") -> pb.SubmissionHeader:
    import jincai

    return pb.SubmissionHeader(
        mof_div_code=prep.region, fiscal_year=prep.year, period=period, standard_version=standard().version, idempotency_key=key,
        product_name=product_name, product_version=product_version or jincai.__version__,
    )  # fmt: skip


def receipt_json(receipt: pb.Receipt) -> dict:
    """The receipt as the file ``jincai gateway verify-receipt`` checks."""
    import base64

    from jincai.gateway.receipts import receipt_file

    return receipt_file(receipt.payload.decode("utf-8"), base64.b64encode(receipt.signature).decode(), receipt.key_id)


def rejected_receipt(exc: grpc.RpcError) -> pb.Receipt | None:
    """The signed receipt a rejected submission's error carries, if any."""
    for a in details_of(exc)["extra"]:
        if a.Is(pb.Receipt.DESCRIPTOR):
            r = pb.Receipt()
            a.Unpack(r)
            return r
    return None


def content(receipt: pb.Receipt) -> dict:
    return json.loads(receipt.payload)
