"""Helpers for the text readers' ``read_batches`` (the columnar fast path of the engine).

A batch is a polars DataFrame: one text column per source column, then the meta columns ``META``:
``__jc_row`` (the row's number, as ``SourceRow.row``), ``__jc_off`` (byte offset or null), and the
reader's rejection of the row, if any (``__jc_rej`` code, ``__jc_rej_zh``, ``__jc_rej_en``,
``__jc_rej_col``, ``__jc_rej_raw``), and the reason code of a row the reader itself marks as not
data (``__jc_flt``: a fixed-width control record). A batch holds the same rows, in the same order, with the same
values as ``read`` yields — ``tests/test_adapter_readers_text.py`` holds the two to it.
"""

from __future__ import annotations

from typing import Any

META = ("__jc_row", "__jc_off", "__jc_rej", "__jc_rej_zh", "__jc_rej_en", "__jc_rej_col", "__jc_rej_raw", "__jc_flt")

#: reader rejections that leave the row's cells readable (a CSV row with another number of fields):
#: a profile filter may still claim such a row as not data (a note under the table). Any other
#: rejection comes before the filters, so that no filter sees values read from a damaged record.
FILTERABLE_REJECTIONS = frozenset({"csv-field-count"})


def rows_to_frame(names: list[str], rows: list) -> Any:
    """``SourceRow``s → a batch (columns: ``names`` first, then any other value keys, then META)."""
    import polars as pl

    cols: dict[str, list] = {n: [] for n in names}
    for r in rows:
        for k in r.values:
            if k not in cols:
                cols[k] = []
    meta: dict[str, list] = {m: [] for m in META}
    for r in rows:
        v = r.values
        for k, lst in cols.items():
            x = v.get(k)
            lst.append(x if x is None or isinstance(x, str) else str(x))
        rj = r.extra.get("reject") if r.extra else None
        meta["__jc_row"].append(r.row)
        meta["__jc_off"].append(r.byte_offset)
        meta["__jc_rej"].append(rj["code"] if rj else None)
        meta["__jc_rej_zh"].append(rj["zh"] if rj else None)
        meta["__jc_rej_en"].append(rj["en"] if rj else None)
        meta["__jc_rej_col"].append(rj.get("column") if rj else None)
        raw = rj.get("raw") if rj else None
        meta["__jc_rej_raw"].append(raw if raw is None or isinstance(raw, str) else str(raw))
        meta["__jc_flt"].append(r.extra.get("filtered") if r.extra else None)
    data: dict[str, Any] = {k: pl.Series(k, lst, dtype=pl.Utf8) for k, lst in cols.items()}
    data["__jc_row"] = pl.Series("__jc_row", meta["__jc_row"], dtype=pl.Int64)
    data["__jc_off"] = pl.Series("__jc_off", meta["__jc_off"], dtype=pl.Int64)
    for m in META[2:]:
        data[m] = pl.Series(m, meta[m], dtype=pl.Utf8)
    return pl.DataFrame(data)


def frame_rows(frame: Any, path: str, doc: dict[str, Any] | None = None) -> list:
    """A batch → ``SourceRow``s (for the rows the engine hands to the row path); ``doc`` is the
    file's document values (``extra["doc"]``), which batches do not carry."""
    from jincai.adapters.readers import SourceRow

    names = [c for c in frame.columns if c not in META]
    out = []
    for d in frame.iter_rows(named=True):
        extra: dict[str, Any] = {}
        if d["__jc_rej"] is not None:
            extra["reject"] = {"code": d["__jc_rej"], "zh": d["__jc_rej_zh"], "en": d["__jc_rej_en"], "column": d["__jc_rej_col"], "raw": d["__jc_rej_raw"]}
        if d["__jc_flt"] is not None:
            extra["filtered"] = d["__jc_flt"]
        if doc:
            extra["doc"] = doc
        # a text reader's cells are never null: a null is a cell the row did not have (a short
        # CSV row), which the row's own values leave out too
        out.append(SourceRow(path, d["__jc_row"], {k: d[k] for k in names if d[k] is not None}, None, d["__jc_off"], extra))
    return out
