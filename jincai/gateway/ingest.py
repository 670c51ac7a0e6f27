"""Ingestion: a submission stream → spooled files → validation → one commit → a signed receipt.

1. The header is checked (region, year, period, standard version, idempotency key) and the caller
   must be allowed to write for that region; a region has at most ``gateway_region_submissions``
   submissions in progress.
2. Batches are turned into canonical JSON Lines, one file per entity, in a spool folder on disk (a
   county's month never has to be in memory), hashed as they arrive. Every record must be the
   header's region (``fiscal_region`` rows may also describe its ancestors); one that is not stops
   the submission with ``record-region``, nothing stored. Records and bytes are limited.
3. The end message must repeat the counts received; a stream that stops before it (a client that
   went away) stores nothing.
4. The idempotency key is looked up: the same key with the same content digest answers the stored
   receipt again; with another digest it is an error.
5. ``jincai.validation.validate`` checks the spool folder against the fiscal year (the same rule
   catalogue and code lists as ``jincai validate``). No fatal or error issue → accepted: the typed
   records go into ``rec_<entity>`` as a new version; otherwise rejected: the records are kept in
   quarantine with the report.
6. One transaction writes everything and the signed receipt; only then is the receipt returned.

Content digest: per entity, SHA-256 of its canonical JSON Lines (UTF-8, one record per line in the
order sent, each ending with ``\\n`` — the same digest as a ``submission_envelope.content_sha256``);
for the submission, SHA-256 of the lines ``<entity> <sha256> <records>\\n`` in entity order.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import secrets
import shutil
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator

import orjson

from jincai import limits
from jincai.errors import JincaiError
from jincai.gateway import auth, regions
from jincai.gateway.errors import GatewayError, from_limit
from jincai.gateway.receipts import FORMAT, Signer
from jincai.gateway.store import Conflict, EntityResult, NewSubmission, Store
from jincai.gateway.store.migrations import quote
from jincai.standard import standard

#: what the gateway's request parser gives for bytes that are not the expected message
MALFORMED = object()

PERIOD = re.compile(r"(?P<year>[0-9]{4})(-(0[1-9]|1[0-2])(-D[123])?)?")
KEY = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
REGION = re.compile(r"[0-9]{9}")


_PLAIN, _MONEY, _DECIMAL = 0, 1, 2


def _wire_fields(entity: str, descriptor) -> dict:
    """Field descriptor → (name, how its value becomes JSON), for one entity's message type."""
    kinds = {f.name: f.element.type for f in standard().entity(entity).fields}
    how = {"money": _MONEY, "decimal": _DECIMAL}
    return {fd: (fd.name, how.get(kinds[fd.name], _PLAIN)) for fd in descriptor.fields}


_WIRE: dict[str, dict] = {}


def record_json(entity: str, msg) -> dict:
    """A fiscal message → the JSON form of its record, values as sent (the validator judges them):
    money as yuan text with two decimals from its fen, other decimals as their text.

    ``ListFields`` (one call into protobuf's C code) gives the fields that are set, in field-number
    order, which is the standard's field order (tests/test_gateway_perf.py checks both); a
    ``HasField``/``getattr`` pair per field of the standard took twice as long."""
    wire = _WIRE.get(entity) or _WIRE.setdefault(entity, _wire_fields(entity, msg.DESCRIPTOR))
    out = {}
    for fd, value in msg.ListFields():
        name, how = wire[fd]
        if how == _MONEY:
            value = format(Decimal(value.fen).scaleb(-2), "f")
        elif how == _DECIMAL:
            value = value.value
        out[name] = value
    return out


def canonical_line(rec: dict) -> bytes:
    """One canonical JSON Lines record without its newline: UTF-8, no spaces, keys in order — the
    bytes of ``json.dumps(rec, ensure_ascii=False, separators=(",", ":"))``, by orjson (50× faster;
    tests/test_gateway_perf.py holds them equal)."""
    return orjson.dumps(rec)


def money_fields(entity: str) -> list[str]:
    return [f.name for f in standard().entity(entity).fields if f.element.type == "money"]


def money_totals(con, entities: list[str]) -> dict[str, dict[str, str]]:
    """Entity → money field → yuan total of its validated records, in one query over the entity
    views (a query per entity cost ~5 ms each under load, 21 of them per county submission)."""
    views = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    parts = []
    for entity in entities:
        money = money_fields(entity)
        if money and entity in views:
            sums = ", ".join(f"CAST(coalesce(sum({quote(m)}), 0) AS DECIMAL(38,2))::VARCHAR" for m in money)
            parts.append(f"SELECT '{entity}' AS entity, [{sums}] AS sums FROM {entity}")
    if not parts:
        return {}
    return {entity: dict(zip(money_fields(entity), sums)) for entity, sums in con.execute(" UNION ALL ".join(parts)).fetchall()}


@dataclass
class Header:
    region: str
    year: int
    period: str
    key: str
    product_name: str
    product_version: str


def check_header(h) -> Header:
    """The header's fields, or ``header-invalid`` / ``standard-version-unsupported`` naming the field."""

    def bad(name: str, zh: str, en: str) -> GatewayError:
        return GatewayError("header-invalid", f"信封字段 {name} 无效：{zh}", f"header field {name} is invalid: {en}", f"header.{name}")

    if not REGION.fullmatch(h.mof_div_code) or not regions.known(h.mof_div_code):
        raise bad("mof_div_code", f"{h.mof_div_code!r} 不是财政区划代码", f"{h.mof_div_code!r} is not a fiscal region code")
    first = standard().first_fiscal_year
    if not first <= h.fiscal_year <= 2099:
        raise bad("fiscal_year", f"{h.fiscal_year} 不在 {first}–2099 之间", f"{h.fiscal_year} is not within {first}-2099")
    m = PERIOD.fullmatch(h.period)
    if not m or int(m["year"]) != h.fiscal_year:
        raise bad("period", f"{h.period!r} 应为 YYYY、YYYY-MM 或 YYYY-MM-Dn，且年份同 fiscal_year", f"{h.period!r} must be YYYY, YYYY-MM or YYYY-MM-Dn in the fiscal year")
    if not KEY.fullmatch(h.idempotency_key):
        raise bad("idempotency_key", "须为 1–128 个字母、数字或 . _ : -", "must be 1-128 letters, digits or . _ : -")
    if not accepts_version(h.standard_version):
        ours = standard().version
        raise GatewayError(
            "standard-version-unsupported",
            f"标准版本 {h.standard_version!r} 不被接受；网关使用 {ours}，接受 {ours.split('.')[0]}.x 中不高于它的版本",
            f"standard version {h.standard_version!r} is not accepted; the gateway uses {ours} and accepts {ours.split('.')[0]}.x up to it",
            "header.standard_version",
            {"supported": ours},
        )
    return Header(h.mof_div_code, h.fiscal_year, h.period, h.idempotency_key, h.product_name[:200], h.product_version[:100])


def accepts_version(declared: str) -> bool:
    """Whether data following standard ``declared`` can be taken by a gateway on this standard: the
    same major version and not newer (the changelog's policy: a minor release keeps every record valid
    under an earlier one valid; a newer minor may carry fields this gateway does not know)."""
    m = re.fullmatch(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)", declared)
    if not m:
        return False
    ours = tuple(int(x) for x in standard().version.split("."))
    theirs = tuple(int(x) for x in m.groups())
    return theirs[0] == ours[0] and theirs <= ours


class Spool:
    """One submission's records on disk, one canonical JSON Lines file per entity."""

    def __init__(self, root: Path, region: str) -> None:
        self.dir = root / uuid.uuid4().hex
        self.dir.mkdir(parents=True)
        self.region = region
        self._regional_ok = {region, *regions.ancestors(region)}
        self._files: dict = {}
        self._hashes: dict[str, "hashlib._Hash"] = {}
        self.counts: Counter[str] = Counter()
        self.bytes = 0

    @property
    def records(self) -> int:
        return sum(self.counts.values())

    def add(self, batch) -> None:
        for fd, msgs in batch.ListFields():
            entity = fd.name
            start = self.counts[entity]
            limits.check("gateway_submission_records", self.records + len(msgs), f"{entity}[{start + len(msgs)}]")
            lines = []
            for i, msg in enumerate(msgs, start + 1):
                rec = record_json(entity, msg)
                region = rec.get("mof_div_code")
                if region is not None and region != self.region and not (entity == "fiscal_region" and region in self._regional_ok):
                    raise GatewayError(
                        "record-region",
                        f"{entity} 第 {i} 条记录属于区划 {region}，报送区划是 {self.region}",
                        f"{entity} record {i} belongs to region {region}; the submission is for {self.region}",
                        f"{entity}[{i}].mof_div_code",
                        {"entity": entity, "record": str(i), "record_region": region},
                    )
                lines.append(canonical_line(rec))
            data = b"\n".join(lines) + b"\n"
            self.bytes += len(data)
            limits.check("gateway_submission_bytes", self.bytes, f"{entity}[{start + len(msgs)}]")
            if entity not in self._files:
                self._files[entity] = open(self.dir / f"{entity}.jsonl", "wb")
                self._hashes[entity] = hashlib.sha256()
            self._files[entity].write(data)
            self._hashes[entity].update(data)
            self.counts[entity] += len(msgs)

    def finish(self) -> tuple[str, dict[str, str]]:
        """(submission digest, entity → digest); closes the files."""
        for fh in self._files.values():
            fh.close()
        per = {e: h.hexdigest() for e, h in sorted(self._hashes.items())}
        text = "".join(f"{e} {d} {self.counts[e]}\n" for e, d in per.items())
        return hashlib.sha256(text.encode("utf-8")).hexdigest(), per

    def path(self, entity: str) -> Path:
        return self.dir / f"{entity}.jsonl"

    def remove(self) -> None:
        for fh in self._files.values():
            fh.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class ValidatedRecords:
    """The typed records of a validated spool, as the store loads them (``store.RecordSource``)."""

    def __init__(self, con, spool: Spool, submission_id: str) -> None:
        self.con, self.spool, self.sid = con, spool, submission_id

    def _select(self, entity: str) -> str:
        cols = ", ".join(quote(f) for f in standard().entity(entity).field_names)
        return f"SELECT '{self.sid}' AS _submission_id, _row, {cols} FROM {entity} ORDER BY _row"

    def arrow(self, entity: str):
        # a cursor per entity: a reader still open on the connection would block the next query
        return self.con.cursor().sql(self._select(entity)).to_arrow_reader(65536)

    def csv(self, entity: str) -> Path:
        path = self.spool.dir / f"{entity}.copy.csv"
        self.con.execute(f"COPY ({self._select(entity)}) TO '{path}' (FORMAT csv, HEADER false)")
        return path

    def quarantine(self, entity: str) -> bytes:
        # compressed straight from the spool file: only the (≈10× smaller) result is held in memory
        buf = io.BytesIO()
        with open(self.spool.path(entity), "rb") as src, gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=6, mtime=0) as gz:
            shutil.copyfileobj(src, gz, 1 << 20)
        return buf.getvalue()


@dataclass
class Outcome:
    row: dict  # the stored gw_submission row
    replayed: bool


def _cancelled(still_wanted: Callable[[], bool], grace: float = 0.5) -> bool:
    """Did the stream end because the client cancelled?

    A client's cancel (HTTP/2 RST_STREAM) completes the server's pending read with "no message",
    which grpc's request iterator reports as a normal end of stream; the cancel itself is
    reported by a second event that may come a moment later. Only on this error path do we wait
    for it, briefly, so the audit says "client-cancelled" instead of "stream-incomplete"."""
    deadline = time.monotonic() + grace
    while still_wanted():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True


class Ingestor:
    def __init__(self, store: Store, signer: Signer, spool_root: Path, max_issues: int = 1000, validation_threads: int = 2) -> None:
        self.store, self.signer, self.spool_root = store, signer, spool_root
        self.max_issues, self.validation_threads = max_issues, validation_threads
        self._active: Counter[str] = Counter()
        self._lock = threading.Lock()

    def submit(self, principal: auth.Principal, requests: Iterator, still_wanted: Callable[[], bool], on_header: Callable[[Header], None] = lambda h: None) -> Outcome:
        received_at = datetime.now(timezone.utc)
        first = next(requests, None)
        if first is MALFORMED:
            raise GatewayError("message-malformed", location="message 1")
        if first is None or first.WhichOneof("part") != "header":
            raise GatewayError("header-missing", location="message 1")
        header = check_header(first.header)
        on_header(header)
        if not auth.may_write(principal, header.region):
            code = "permission-role" if principal.role != "submitter" else "permission-region"
            raise GatewayError(
                code,
                f"{principal.role}@{principal.region} 不能为区划 {header.region} 报送",
                f"{principal.role}@{principal.region} may not submit for region {header.region}",
                "header.mof_div_code",
            )
        with self._slot(header.region):
            spool = Spool(self.spool_root, header.region)
            try:
                return self._receive(principal, header, requests, spool, still_wanted, received_at)
            finally:
                spool.remove()

    def _slot(self, region: str):
        ingestor = self

        class Slot:
            def __enter__(self) -> None:
                with ingestor._lock:
                    cap = limits.limit("gateway_region_submissions")
                    if ingestor._active[region] >= cap:
                        raise from_limit(limits.exceeded("gateway_region_submissions", ingestor._active[region] + 1, region))
                    ingestor._active[region] += 1

            def __exit__(self, *exc) -> None:
                with ingestor._lock:
                    ingestor._active[region] -= 1

        return Slot()

    def _receive(self, principal, header: Header, requests: Iterator, spool: Spool, still_wanted, received_at) -> Outcome:
        ended = None
        n = 1
        try:
            for req in requests:
                n += 1
                if req is MALFORMED:
                    raise GatewayError("message-malformed", location=f"message {n}")
                part = req.WhichOneof("part")
                if ended is not None or part != "batch" and part != "end":
                    raise GatewayError("stream-out-of-order", location=f"message {n}", metadata={"got": str(part)})
                if part == "batch":
                    spool.add(req.batch)
                else:
                    ended = dict(req.end.record_counts)
        except JincaiError as exc:
            raise from_limit(exc) from None
        if ended is None:
            if _cancelled(still_wanted):
                raise GatewayError("client-cancelled", location=f"message {n}")
            raise GatewayError("stream-incomplete", location=f"message {n}")
        sent = {k: v for k, v in ended.items() if v}
        if sent != dict(spool.counts):
            raise GatewayError(
                "stream-count-mismatch",
                f"结束消息声明 {sorted(sent.items())}，收到 {sorted(spool.counts.items())}",
                f"the end message declares {sorted(sent.items())}, received {sorted(spool.counts.items())}",
                "end.record_counts",
            )
        if not spool.records:
            raise GatewayError("submission-empty")
        digest, per_entity = spool.finish()
        previous = self.store.find_by_key(header.region, header.key)
        if previous is not None:
            return self._replay(previous, digest)
        sub, con = self._validate(principal, header, spool, digest, per_entity, received_at)
        try:
            if not still_wanted():
                raise GatewayError("client-cancelled")
            try:
                row = self.store.commit(sub, ValidatedRecords(con, spool, sub.submission_id), self._seal(sub))
            except Conflict:
                return self._replay(self.store.find_by_key(header.region, header.key), digest)
        finally:
            con.close()
        return Outcome(row, False)

    def _replay(self, previous: dict | None, digest: str) -> Outcome:
        if previous is None:  # the conflicting commit was rolled back after all
            raise GatewayError("store-unavailable")
        if previous["content_sha256"] != digest:
            raise GatewayError(
                "idempotency-key-reused",
                f"幂等键已用于报送 {previous['submission_id']}（内容摘要 {previous['content_sha256'][:12]}…），本次内容不同",
                f"the key was used for submission {previous['submission_id']} (digest {previous['content_sha256'][:12]}…) with other content",
                "header.idempotency_key",
                {"submission_id": previous["submission_id"]},
            )
        return Outcome(previous, True)

    def _validate(self, principal, header: Header, spool: Spool, digest: str, per_entity: dict[str, str], received_at):
        from jincai.validation.engine import connect, validate

        con = connect(threads=self.validation_threads)
        con.execute("SET TimeZone = 'UTC'")
        report = validate([spool.dir], year=header.year, max_issues=self.max_issues, con=con)
        prefix = f"{spool.dir}/"
        for item in [*report.issues, *report.summary.files]:
            if item.file and item.file.startswith(prefix):
                item.file = item.file[len(prefix):]
        sums = money_totals(con, sorted(spool.counts))
        entities = [EntityResult(entity, count, sums.get(entity, {}), per_entity[entity]) for entity, count in sorted(spool.counts.items())]
        s = report.summary
        sid = f"{header.region}-{received_at:%Y%m%d%H%M%S}-{secrets.token_hex(4)}"
        sub = NewSubmission(
            submission_id=sid, mof_div_code=header.region, fiscal_year=header.year, period=header.period,
            idempotency_key=header.key, content_sha256=digest, status="accepted" if s.passed else "rejected",
            received_at=received_at, principal=principal.label, product_name=header.product_name,
            product_version=header.product_version, versions=s.versions.model_dump(), records=spool.records,
            issues={k: int(v) for k, v in s.by_severity.items()}, report_json=report.model_dump_json(), entities=entities,
        )  # fmt: skip
        return sub, con

    def _seal(self, sub: NewSubmission):
        def seal(committed_at: datetime, entities: list[EntityResult], supersedes: list[str]) -> tuple[str, str, str]:
            return self.signer.sign(receipt_content(sub, committed_at, entities, supersedes))

        return seal


def receipt_content(sub: NewSubmission, committed_at: datetime, entities: list[EntityResult], supersedes: list[str]) -> dict:
    return {
        "format": FORMAT,
        "submission_id": sub.submission_id,
        "idempotency_key": sub.idempotency_key,
        "mof_div_code": sub.mof_div_code,
        "fiscal_year": sub.fiscal_year,
        "period": sub.period,
        "status": sub.status,
        "content_sha256": sub.content_sha256,
        "entities": [
            {"entity": e.entity, "records": e.records, "money_totals": e.money_totals, "content_sha256": e.content_sha256, "version": e.version}
            for e in entities
        ],
        "issues_by_severity": {k: sub.issues.get(k, 0) for k in ("fatal", "error", "warning")},
        "versions": {k: sub.versions[k] for k in ("standard", "catalogue", "codelists", "engine")},
        "server_time": committed_at.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "supersedes": supersedes,
        "product_name": sub.product_name,
        "product_version": sub.product_version,
    }
