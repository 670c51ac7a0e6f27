"""Consolidation and position ⇄ the gateway's messages (``jincai.ingest.v1``).

The messages mirror the dataclasses field for field (money as yuan text), so one direction is the
dataclass's JSON form parsed by protobuf's ``json_format`` and the other is built back explicitly
(protobuf's JSON gives int64 as text and omits defaults).
"""

from __future__ import annotations

from decimal import Decimal

from google.protobuf import json_format

from jincai.datacenter.consolidate import Consolidation, Difference, Line, Missing
from jincai.datacenter.position import Figures, Group, IndicatorRow, Position, RevenueDay
from jincai.proto_gen.jincai.ingest.v1 import ingest_pb2 as pb


def consolidation_message(c: Consolidation) -> pb.GetConsolidatedReportResponse:
    return json_format.ParseDict(c.as_json(), pb.GetConsolidatedReportResponse())


def position_message(p: Position) -> pb.GetFiscalPositionResponse:
    return json_format.ParseDict(p.as_json(), pb.GetFiscalPositionResponse())


def _d(text: str) -> Decimal:
    return Decimal(text or "0.00")


def consolidation_from(m: pb.GetConsolidatedReportResponse) -> Consolidation:
    return Consolidation(
        m.mof_div_code, m.region_name, m.period, m.as_of, list(m.regions), m.complete,
        [
            Line(
                x.kind, x.classification, _d(x.own_cur), _d(x.own_ytd), _d(x.below_cur), _d(x.below_ytd), _d(x.total_cur), _d(x.total_ytd),
                _d(x.submitted_cur) if x.HasField("submitted_cur") else None, _d(x.submitted_ytd) if x.HasField("submitted_ytd") else None,
            )
            for x in m.lines
        ],
        [
            Difference(x.mof_div_code, x.region_name, x.period, x.check, x.scope, x.kind, x.classification, x.field, _d(x.submitted), _d(x.expected), _d(x.difference))
            for x in m.differences
        ],
        [Missing(x.mof_div_code, x.region_name, x.period, x.what, x.message_zh, x.message_en) for x in m.missing],
    )  # fmt: skip


def _figures(f: pb.PositionFigures) -> Figures:
    return Figures(_d(f.amount), _d(f.adjusted), _d(f.paid), _d(f.cleared), _d(f.not_cleared), _d(f.available), int(f.indicators), int(f.payments))


def position_from(m: pb.GetFiscalPositionResponse) -> Position:
    return Position(
        m.mof_div_code, m.region_name, m.as_of, m.as_of_date, list(m.regions), _figures(m.total),
        {k: _figures(v) for k, v in sorted(m.by_region.items())},
        {k: _figures(v) for k, v in sorted(m.by_fund_type.items())},
        {k: _figures(v) for k, v in sorted(m.by_classification.items())},
        [Group(g.mof_div_code, g.fund_type_code, g.exp_func_code, _figures(g.figures)) for g in m.by_fund_and_classification],
        [IndicatorRow(i.mof_div_code, i.bgt_id, i.fund_type_code, i.exp_func_code, i.known, _figures(i.figures)) for i in m.indicators],
        [RevenueDay(r.day, _d(r.tax), _d(r.non_tax), _d(r.total), int(r.records)) for r in m.revenue_by_day],
        _d(m.revenue_total), dict(m.names),
    )  # fmt: skip
