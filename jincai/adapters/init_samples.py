"""``adapter init``: reading the samples of each format into columns and a draft ``source`` block
(delimited and fixed-width text, DBF, XML, SQL dumps, Excel)."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

from jincai import limits
from jincai.adapters.init_fields import Column, LAYOUT_RECORDS, RECORD_TYPE, SAMPLE_ROWS, Sample, _mask_names, propose, rank_entities
from jincai.adapters.init_fixed import lay_out_controls, split_records
from jincai.adapters.init_fixed import layout as fixed_layout
from jincai.adapters.profile import all_readers
from jincai.adapters.readers._text import detect, field_limit, last_cut, line_too_long
from jincai.errors import JincaiError


# ---------------------------------------------------------------------------------------------
# layout detection
# ---------------------------------------------------------------------------------------------


def _format_of(path: Path, head: bytes) -> str:
    ext = path.suffix.lower()
    if ext == ".dbf" or (head[:1] in (b"\x03", b"\x30", b"\x31", b"\x83", b"\x8b", b"\xf5") and ext not in (".csv", ".txt")):
        return "dbf"
    if ext in (".xlsx", ".xlsm", ".xls") or head[:4] == b"PK\x03\x04" or head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xlsx"
    if ext == ".xml" or head.lstrip()[:5] == b"<?xml":
        return "xml"
    if ext == ".sql":
        return "sql_dump"
    return "text"


def _delimiter(lines: list[str]) -> tuple[str | None, float]:
    best, score = None, 0.0
    for d in (",", "\t", "|", ";"):
        counts = [len(next(_csv_rows([ln], "", delimiter=d))) for ln in lines if ln.strip()]
        if not counts:
            continue
        mode, n = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        s = n / len(counts)
        if s > score:
            best, score = d, s
    return best, score


def _csv_rows(lines: Any, where: str, **kw: Any) -> Any:
    """csv.reader whose errors are user errors: a field over ``limits.field_bytes`` is
    ``limit-field-bytes``, anything else ``adapter-sample-malformed``."""
    limits.csv_field_limit()
    reader = csv.reader(lines, **kw)
    n = 0
    while True:
        n += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            at = f"{where}:{n}" if where else ""
            raise limits.csv_error(exc, at) or JincaiError(
                "adapter-sample-malformed", f"样例文件的 CSV 格式错误：{exc}", f"the sample's CSV is malformed: {exc}", at,
            ) from None
        yield row


def _header_row(rows: list[list[str]]) -> int:
    """1-based header row: the first row with the usual field count whose cells are mostly text."""
    counts = Counter(len(r) for r in rows if any(c.strip() for c in r))
    usual = counts.most_common(1)[0][0] if counts else 0
    for i, r in enumerate(rows[:30]):
        cells = [c.strip() for c in r]
        if len(cells) < max(2, usual - 1) or sum(1 for c in cells if c) < max(2, usual // 2):
            continue
        texty = sum(1 for c in cells if c and not re.fullmatch(r"[-+()（）0-9.,，Ee ]+", c))
        if texty >= max(1, int(0.6 * sum(1 for c in cells if c))):
            return i + 1
    return 0


def _fixed_layout(raw_lines: list[bytes]) -> list[tuple[int, int]]:
    """Fixed-width field boundaries (0-based start, width in bytes): see ``init_fixed.layout``."""
    return fixed_layout(raw_lines)


# ---------------------------------------------------------------------------------------------
# reading the samples
# ---------------------------------------------------------------------------------------------


SNIFF_BYTES = 16 << 20  # a sample is read up to here (cut at a line end): enough to see the layout


def _text_sample(paths: list[Path], encoding: str | None = None) -> Sample:
    # csv's own field-size error becomes the limit's coded error (never a crash, exit 3)
    with field_limit(str(paths[0])):
        return _text_sample_in(paths, encoding)


def _read_text(path: Path, encoding: str | None) -> tuple[Any, bytes, str]:
    """(detected encoding, the sample's bytes cut at a line end, its text)."""
    enc = detect(str(path), encoding)
    with open(path, "rb") as fh:
        fh.seek(enc.bom)
        raw = fh.read(SNIFF_BYTES + 1)
    if len(raw) > SNIFF_BYTES:
        raw = raw[: last_cut(raw[:SNIFF_BYTES])] or raw[:SNIFF_BYTES]
    cap = limits.limit("line_bytes")
    if len(raw) > cap:
        for i, ln in enumerate(raw.splitlines()):
            if len(ln) > cap:
                raise line_too_long(str(path), i + 1)
    try:
        text = raw.decode(enc.codec)
    except UnicodeDecodeError as exc:  # the sample was cut inside a character (the whole file decodes)
        if encoding:
            raise JincaiError(
                "adapter-undecodable-bytes", f"样例文件不是 {encoding} 编码：第 {exc.start} 字节无法解码", f"the sample is not {encoding}: byte {exc.start} does not decode",
                f"{path}@{exc.start}",
            ) from None
        raw = raw[: exc.start]
        text = raw.decode(enc.codec)
    return enc, raw, text


def _records(raw: bytes) -> list[bytes]:
    """The sample's non-blank records (line ends of any kind), the first SAMPLE_ROWS and the last."""
    recs = [ln for ln in re.split(rb"\r\n|\r|\n", raw) if ln.strip(b" \t\x00\x1a")]
    return recs[:SAMPLE_ROWS] + recs[-1:] if len(recs) > SAMPLE_ROWS else recs


def _text_sample_in(paths: list[Path], encoding: str | None) -> Sample:
    path = paths[0]
    enc, raw, text = _read_text(path, encoding)
    lines = text.splitlines()
    how = "由 --encoding 给出 / given with --encoding" if encoding else "整个文件检测 / detected over the whole file"
    notes = [f"编码 encoding：{enc.codec}（{how}）"]
    encoding_name = "gbk" if enc.codec == "gb18030" else enc.codec
    delim, score = _delimiter(lines[:SAMPLE_ROWS])
    raw_lines = [ln.rstrip(b"\r") for ln in raw.split(b"\n") if ln.strip()][:SAMPLE_ROWS]
    lengths = Counter(len(x) for x in raw_lines)
    fixed_share = lengths.most_common(1)[0][1] / len(raw_lines) if raw_lines else 0
    if delim is not None and score >= 0.8 and not (fixed_share > 0.95 and score < 0.95):
        rows = list(_csv_rows(io.StringIO("\n".join(lines[:SAMPLE_ROWS + 30])), path.name, delimiter=delim))
        field_cap = limits.limit("field_bytes")
        for i, r in enumerate(rows):
            for c in r:
                if len(c) > field_cap // 4 and len(c.encode("utf-8")) > field_cap:
                    raise limits.exceeded("field_bytes", len(c.encode("utf-8")), f"{path}:{i + 1}")
        header = _header_row(rows)
        names = [h.strip() for h in rows[header - 1]] if header else [str(i + 1) for i in range(max(len(r) for r in rows))]
        data = rows[header:] if header else rows
        cols = [Column(n or f"#{i + 1}", [r[i] if i < len(r) else None for r in data]) for i, n in enumerate(names)]
        if header:
            _mask_names(cols, notes)
        source: dict[str, Any] = {"format": "csv", "encoding": encoding_name, "delimiter": delim, "header_row": header}
        notes.append(f"分隔符 {delim!r}，表头在第 {header} 行 / delimiter {delim!r}, header on line {header}")
        return Sample(source, cols, notes)
    # fixed width: every sample file's records, laid out together
    files = [_records(raw)] + [_records(_read_text(p, encoding or enc.codec)[1]) for p in paths[1:]]
    per_file, controls, record_type = split_records(files)
    details = [r for recs in per_file for r in recs][:LAYOUT_RECORDS]
    if not details:
        raise JincaiError("adapter-sample-empty", "样例文件没有记录", "the sample has no records", str(path))
    usual = Counter(len(x) for x in details).most_common(1)[0][0]
    body = [x for x in details if len(x) == usual]
    spans = fixed_layout(body, record_type)
    lay_out_controls(controls, spans)
    cols = []
    for i, (s, w) in enumerate(spans):
        vals = [x[s : s + w].decode(enc.codec, errors="replace").strip() for x in body]
        name = RECORD_TYPE if record_type and (s, w) == (0, 1) else f"字段{i + 1}"
        cols.append(Column(name, vals, (s, w)))
    source = {"format": "fixed_width", "encoding": encoding_name, "record_length": usual}
    if record_type:
        source["record_type"] = RECORD_TYPE
    notes.append(
        f"定长记录 {usual} 字节，{len(body)} 条记录、{len(paths)} 个文件；字段边界按各字节列的统计推测（空格列、字符类别的变化、已知的代码形状），"
        f"请对照接口文档 / fixed-width records of {usual} bytes ({len(body)} records, {len(paths)} files); boundaries guessed from "
        "byte-column statistics (blank columns, changes of character class, known code shapes) — check them against the interface document"
    )
    sample = Sample(source, cols, notes)
    sample.fixed = (controls, per_file, enc.codec)
    return sample


def _reader_rows(path: Path, options: dict[str, Any], cap: int = SAMPLE_ROWS) -> tuple[list[Any], Any]:
    reader = all_readers().get_reader(options["format"])
    rows = []
    for row in reader.read(str(path), options):
        if "filtered" in row.extra or "reject" in row.extra:  # what the reader itself did not read
            continue
        rows.append(row)
        if len(rows) >= cap:
            break
    return rows, reader


def _columns(rows: list[Any]) -> list[Column]:
    names: list[str] = []
    for r in rows:
        for k in r.values:
            if k not in names:
                names.append(k)
    return [Column(n, [r.values.get(n) for r in rows]) for n in names]


def _with_hint(exc: JincaiError) -> JincaiError:
    exc.message_zh += "；可用 jincai adapter init --encoding GBK 声明"
    exc.message_en += "; give it with jincai adapter init --encoding GBK"
    return exc


def _dbf_sample(path: Path, encoding: str | None) -> Sample:
    options: dict[str, Any] = {"format": "dbf", **({"encoding": encoding} if encoding else {})}
    notes: list[str] = []
    try:
        rows, reader = _reader_rows(path, options)
    except JincaiError as exc:
        if encoding or exc.code not in ("adapter-undecodable-bytes", "adapter-unknown-encoding"):
            raise _with_hint(exc) if exc.code == "adapter-unknown-encoding" else exc
        # no code page in the header and bytes that are not ASCII: GBK is what these files hold
        try:
            rows, reader = _reader_rows(path, {**options, "encoding": "gbk"})
        except JincaiError:
            raise _with_hint(exc) from None
        encoding = "gbk"
        notes.append("表头未记录代码页，按 GBK 读取可解码——请核实 / the header records no code page; the text decodes as GBK — check")
    info = getattr(reader, "info", {}) or {}
    source: dict[str, Any] = {"format": "dbf"}
    if encoding:
        source["encoding"] = encoding
    elif info.get("encoding"):
        source["encoding"] = "gbk" if info["encoding"] == "gb18030" else info["encoding"]
    cols = _columns(rows)
    notes.insert(0, f"DBF：{info.get('records', len(rows))} 条记录，编码 {source.get('encoding')}（{info.get('encoding_how', '')}）/ DBF records and encoding")
    _mask_names(cols, notes)
    sample = Sample(source, cols, notes)
    if any(r.extra.get("deleted") for r in rows) or info.get("deleted"):
        sample.filters.append("deleted")
    return sample


def _xml_record(path: Path) -> str:
    """The repeating element: the tag path with the most elements that have children or attributes
    (the shallowest of equals, so a record's own sub-elements are not chosen)."""
    from defusedxml.ElementTree import iterparse

    with open(path, "rb") as fh:
        raw = fh.read(SNIFF_BYTES)
    # expat reads no multi-byte legacy encoding (GB2312 …): the text goes to it as UTF-8
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            break
    else:
        m = re.match(rb"\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", raw)
        codec = (m.group(1).decode("ascii") if m else "utf-8").lower()
        codec = "gb18030" if codec in ("gb2312", "gbk", "gb18030") else codec
    try:
        text = raw.decode(codec, errors="replace")
    except LookupError:
        raise JincaiError("adapter-unknown-encoding", f"XML 声明的编码 {codec} 未知", f"unknown encoding {codec} declared by the XML", str(path)) from None
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text.lstrip("\ufeff"))
    counts: Counter = Counter()
    stack: list[str] = []
    seen = 0
    try:
        for event, el in iterparse(io.BytesIO(text.encode("utf-8")), events=("start", "end")):
            tag = el.tag.rsplit("}", 1)[-1]
            if event == "start":
                stack.append(tag)
                continue
            if len(el) or el.attrib:
                counts["/" + "/".join(stack)] += 1
            stack.pop()
            el.clear()
            seen += 1
            if seen > 200_000:
                break
    except Exception as exc:  # noqa: BLE001 - a sample cut short ends the count; anything else is the file's
        if not counts:
            raise JincaiError("adapter-sample-malformed", f"样例 XML 无法解析：{exc}", f"the sample XML cannot be parsed: {exc}", str(path)) from None
    repeated = [(n, p) for p, n in counts.items() if n > 1]
    if not repeated:
        raise JincaiError("adapter-sample-malformed", "样例 XML 中没有重复的元素", "the sample XML has no repeating element", str(path))
    n, p = max(repeated, key=lambda x: (x[0], -x[1].count("/")))
    return p


def _xml_sample(path: Path, encoding: str | None) -> Sample:
    record = _xml_record(path)
    source: dict[str, Any] = {"format": "xml", "record": record}
    if encoding:
        source["encoding"] = encoding
    rows, _ = _reader_rows(path, dict(source))
    cols = _columns(rows)
    notes = [f"重复元素 {record}（出现最多的有子元素的元素）/ the repeating element (the commonest element with children)"]
    _mask_names(cols, notes)
    return Sample(source, cols, notes)


def _sql_dialect(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    for codec in ("utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8", "gb18030"):
        try:
            text = head.decode(codec, errors="strict" if codec == "gb18030" else "ignore")
            break
        except UnicodeDecodeError:
            text = ""
    if re.search(r"\bVARCHAR2\b|\bto_date\s*\(|\bNUMBER\s*\(", text, re.I):
        return "oracle"
    if "`" in text or re.search(r"\bENGINE\s*=", text, re.I):
        return "mysql"
    return "tsql"


def _sql_sample(path: Path, encoding: str | None) -> Sample:
    dialect = _sql_dialect(path)
    options: dict[str, Any] = {"format": "sql_dump", "dialect": dialect, **({"encoding": encoding} if encoding else {})}
    by_table: dict[str, list[Any]] = {}
    reader = all_readers().get_reader("sql_dump")
    for row in reader.read(str(path), options):
        if "filtered" in row.extra or "reject" in row.extra:
            continue
        rows = by_table.setdefault(row.sheet, [])
        if len(rows) < SAMPLE_ROWS:
            rows.append(row)
    if not by_table:
        raise JincaiError("adapter-sample-empty", "SQL 脚本中没有数据行", "the SQL dump holds no rows", str(path))
    join = _sql_join(by_table)
    if join is not None:
        return _sql_join_sample(path, options, encoding, by_table, *join)
    # the table whose columns an entity covers best is the draft's; the others are listed
    best = None
    for table, rows in by_table.items():
        cols = _columns(rows)
        for c in cols:
            propose(c)
        _, score, _ = rank_entities(cols)[0]
        if best is None or score > best[0]:
            best = (score, table, cols)
    _, table, cols = best
    source = {"format": "sql_dump", "dialect": dialect, "query": f"SELECT * FROM {table}"}
    if encoding:
        source["encoding"] = encoding
    notes = [
        f"方言 dialect：{dialect}（推测 guessed）；读取表 {table}（其列最能对上一个实体）/ reads the table whose columns fit an entity best",
    ]
    if len(by_table) > 1:
        notes.append("其他表 other tables: " + ", ".join(f"{t} ({len(r)}+ 行 rows)" for t, r in by_table.items() if t != table)
                     + " —— 需要时在 query 中连接（见 docs/adapters）/ join them in the query when needed")
    _mask_names(cols, notes)
    return Sample(source, cols, notes)


def _distinct(rows: list[Any], col: str) -> bool:
    vals = [r.values.get(col) for r in rows]
    return all(v is not None and v != "" for v in vals) and len(set(vals)) == len(vals)


def _sql_join(by_table: dict[str, list[Any]]) -> tuple[str, str, str, str] | None:
    """(lines table, header table, the key they share, the lines' own key): a table whose rows point,
    by a column of the same name, at the rows of another table where that column is a key, when the
    lines have a key of their own and the entity the lines' columns fit refers to the entity the
    header's columns fit (a payment detail to its voucher)."""
    from jincai.standard import standard

    best_entity = {}
    for table, rows in by_table.items():
        cols = _columns(rows)
        for c in cols:
            propose(c)
        best_entity[table] = rank_entities(cols)[0][0]
    for lines_t, lrows in sorted(by_table.items()):
        refs = {r.entity for r in standard().entity(best_entity[lines_t]).references if not r.optional}
        for head_t, hrows in sorted(by_table.items()):
            if lines_t == head_t or len(lrows) < len(hrows) or best_entity[head_t] not in refs:
                continue
            lcols, hcols = list(lrows[0].values), list(hrows[0].values)
            for key in [c for c in lcols if c in hcols]:
                if not _distinct(hrows, key):
                    continue
                heads = {r.values.get(key) for r in hrows}
                if sum(1 for r in lrows if r.values.get(key) in heads) < 0.9 * len(lrows):
                    continue
                own = next((c for c in lcols if c not in hcols and _distinct(lrows, c)), None)
                if own is not None:
                    return lines_t, head_t, key, own
    return None


LINE_SEQ = "LINE_SEQ"  # the draft's name for a line's number within its header (ROW_NUMBER)


def _sql_join_sample(path: Path, options: dict[str, Any], encoding: str | None, by_table: dict[str, list[Any]],
                     lines_t: str, head_t: str, key: str, own: str) -> Sample:
    """The lines joined to their header, each line once (the reader runs the join as a left join and
    rejects a line without its header): the lines' columns that the header also has are prefixed
    with the lines table's last name part; a line's number within its header is ``LINE_SEQ``."""
    lrows, hrows = by_table[lines_t], by_table[head_t]
    lcols, hcols = list(lrows[0].values), list(hrows[0].values)
    head_of = {r.values.get(key): r for r in hrows}
    pairs = [(r, head_of[r.values.get(key)]) for r in lrows if r.values.get(key) in head_of]
    # a column both tables hold with the same value on every line (region, year) is read once
    same = {c for c in lcols if c in hcols and all(a.values.get(c) == b.values.get(c) for a, b in pairs)}
    prefix = lines_t.rsplit("_", 1)[-1] or lines_t
    select, line_names = [], set()
    for c in lcols:
        name = f"{prefix}_{c}" if c in hcols and c not in same else c
        select.append(f"l.{c}" if name == c else f"l.{c} AS {name}")
        if c not in same:
            line_names.add(name)
    select += [f"h.{c}" for c in hcols if c not in same]
    select.append(f"ROW_NUMBER() OVER (PARTITION BY l.{key} ORDER BY l.{own}) AS {LINE_SEQ}")
    query = f"SELECT {', '.join(select)}\nFROM {lines_t} l\nINNER JOIN {head_t} h ON h.{key} = l.{key}\nORDER BY l.{own}"
    source: dict[str, Any] = {"format": "sql_dump", "dialect": options["dialect"], "query": query}
    if encoding:
        source["encoding"] = encoding
    rows, _ = _reader_rows(path, {**options, "query": query})
    cols = _columns(rows)
    notes = [
        f"方言 dialect：{options['dialect']}（推测 guessed）；明细表 {lines_t} 按 {key} 连接表头 {head_t}，每条明细一行 / the lines "
        f"table joined to its header table by {key}, one row per line",
    ]
    others = [t for t in by_table if t not in (lines_t, head_t)]
    if others:
        notes.append("其他表 other tables: " + ", ".join(others))
    _mask_names(cols, notes)
    sample = Sample(source, cols, notes)
    sample.lines = {c.name for c in cols if c.name in line_names or c.name == LINE_SEQ}
    sample.heads = {c for c in hcols if c not in same}
    sample.group_first = {"column": LINE_SEQ, "equals": "1"}
    return sample


_LABEL = re.compile(r"([\u4e00-\u9fff]{2,6})\s*[:：]\s*(\S.*)")


def _excel_sample(path: Path) -> Sample:
    """Header below titles: the first row, within the first 30 of a sheet, with most of the widest
    row's cells filled and mostly text; a second header row when the next row is text only and fills
    columns the first leaves empty (merged cells over two levels). Sheets whose header is the same as
    the best one's are read too; the cells above the header that read ``标签：值`` become document values."""
    raw, _ = _reader_rows(path, {"format": "excel", "header": False, "sheets": "re:.*"}, cap=10**9)
    sheets: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for r in raw:
        rows = sheets.setdefault(r.sheet, [])
        if len(rows) < 60:
            rows.append((r.row, r.values))
    found = {}
    for sheet, rows in sheets.items():
        filled = [{k: v for k, v in vals.items() if v is not None and v != ""} for _, vals in rows]
        widest = max((len(f) for f in filled), default=0)
        for i, f in enumerate(filled[:30]):
            texts = [v for v in f.values() if isinstance(v, str)]
            if widest >= 2 and len(f) >= max(2, 0.6 * widest) and len(texts) >= 0.8 * len(f):
                found[sheet] = (i, f, len(filled) - i - 1)
                break
    if not found:
        rows, _ = _reader_rows(path, {"format": "excel"})
        return Sample({"format": "excel"}, _columns(rows), ["找不到表头行，按第 1 行为表头 / no header row found: row 1 taken"])
    main = max(found, key=lambda s: found[s][2])
    i, header, _ = found[main]
    rows = sheets[main]
    header_row = rows[i][0]
    header_rows = 1
    if i + 1 < len(rows):
        nxt = {k: v for k, v in rows[i + 1][1].items() if v is not None and v != ""}
        if nxt and all(isinstance(v, str) for v in nxt.values()) and any(k not in header for k in nxt):
            header_rows = 2
    match = max((v for v in header.values() if isinstance(v, str)), key=len)
    same = [s for s in sheets if s in found and set(map(str, found[s][1].values())) == set(map(str, header.values()))]
    source: dict[str, Any] = {"format": "excel"}
    if same != [next(iter(sheets))]:
        source["sheets"] = same
    source["header_match"] = match
    if header_rows > 1:
        source["header_rows"] = header_rows
    document: dict[str, Any] = {}
    wan_yuan = False
    context = [*same]
    for number, vals in rows[:i]:
        for letter, v in vals.items():
            if not isinstance(v, str):
                continue
            context.append(v)
            m = _LABEL.fullmatch(v.strip())
            if m and m.group(1) not in document:
                document[m.group(1)] = {"label": m.group(1)}
                wan_yuan = wan_yuan or m.group(2).strip() == "万元"
            elif number == rows[0][0] and len(vals) == 1 and "标题" not in document:
                document["标题"] = {"cell": f"{letter}{number}"}
    opts = {k: v for k, v in source.items()}
    plain, _ = _reader_rows(path, opts)
    filled, _ = _reader_rows(path, {**opts, "fill_merged": True})
    count = lambda rs: sum(1 for r in rs for v in r.values.values() if v is not None and v != "")  # noqa: E731
    if count(filled) > count(plain):
        source["fill_merged"] = True
    if document:
        source["document"] = document
    # a row with one cell filled under a wider table is a note or a signature line (notes_below)
    table = [r for r in (filled if source.get("fill_merged") else plain) if sum(1 for v in r.values.values() if v not in (None, "")) > 1]
    cols = _columns(table)
    for c in cols:
        c.wan_yuan = wan_yuan
    notes = [
        f"工作表 sheets：{', '.join(same)}；表头在第 {header_row} 行（{header_rows} 行），由“{match}”找到 / header at row {header_row} "
        f"({header_rows} rows), found by {match!r}"
    ]
    if source.get("fill_merged"):
        notes.append("数据区有合并单元格：fill_merged 填入每一行 / merged cells in the data rows: fill_merged fills them in")
    if wan_yuan:
        notes.append("表上注明“单位：万元”：金额列用 wan_yuan / the sheet says its amounts are in 万元")
    _mask_names(cols, notes)
    return Sample(source, cols, notes, context=context)
