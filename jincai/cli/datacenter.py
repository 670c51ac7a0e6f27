"""``jincai datacenter consolidate|position|export`` — the data center's answers, from a store, an export or a gateway.

Against a store (``--store``: a gateway data folder, a ``.duckdb`` file or a PostgreSQL URL; the
DuckDB file must not be open in a running gateway), against a running gateway (``--to HOST:PORT``
with a token or a client certificate, answered under the gateway's authorization), or against a
store's Parquet export (``--export DIR``, written by ``export``) on DuckDB or Apache Spark
(``--engine spark [--spark-master URL]``).

Exit codes: 0 done (consolidate: no difference and nothing missing); 1 consolidate found differences
or missing submissions; 2 usage or input errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from jincai.errors import JincaiError

app = typer.Typer(
    help="数据中心：汇总报表与财政实时状况 / the data center: consolidated reports and the fiscal position",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_STORE = "存储：网关数据目录、.duckdb 文件或 PostgreSQL 连接串 / a gateway data folder, .duckdb file or PostgreSQL URL"
_TO = "改为询问运行中的网关 HOST:PORT / ask a running gateway instead"
_FORMAT = "输出格式 table | json | xlsx / output format"

# the options both commands share: where the data is (a store, or a gateway and its credentials) and the output
StoreOpt = Annotated[str, typer.Option("--store", help=_STORE)]
PgSchemaOpt = Annotated[Optional[str], typer.Option("--pg-schema", help="PostgreSQL 模式名 / schema")]
ToOpt = Annotated[Optional[str], typer.Option("--to", help=_TO)]
CaOpt = Annotated[Optional[Path], typer.Option("--ca", help="信任的 CA 证书 / CA certificate")]
TokenOpt = Annotated[Optional[str], typer.Option("--token", envvar="JINCAI_GATEWAY_TOKEN", help="Bearer 令牌 / bearer token")]
CertOpt = Annotated[Optional[Path], typer.Option("--cert", help="客户端证书 / client certificate")]
KeyOpt = Annotated[Optional[Path], typer.Option("--key", help="客户端私钥 / client key")]
FormatOpt = Annotated[str, typer.Option("--format", help=_FORMAT)]
OutOpt = Annotated[Optional[Path], typer.Option("--out", help="输出文件 / output file")]
ExportOpt = Annotated[Optional[Path], typer.Option("--export", help="改为读取存储的 Parquet 导出（datacenter export）/ read a store's Parquet export instead")]
EngineOpt = Annotated[str, typer.Option("--engine", help="读取导出的引擎 duckdb | spark / the engine that reads the export")]
SparkMasterOpt = Annotated[Optional[str], typer.Option("--spark-master", metavar="URL", help="Spark 主节点 URL（默认本地模式）/ Spark master URL (default local mode)")]
FORMATS = ("table", "json", "xlsx")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise JincaiError("datacenter-format", f"格式须为 {' | '.join(FORMATS)}", f"format must be one of {' | '.join(FORMATS)}", "--format")


def _stub(to: str, ca: Optional[Path], token: Optional[str], cert: Optional[Path], key: Optional[Path]):
    from jincai.gateway import client

    ca_path = ca or Path("jincai-gateway-data/tls/ca.pem")
    try:
        ca_pem = ca_path.read_bytes()
        cert_pem = cert.read_bytes() if cert else None
        key_pem = key.read_bytes() if key else None
    except OSError as exc:
        raise JincaiError("submit-credentials", f"无法读取 {exc.filename}：{exc.strerror}", f"cannot read {exc.filename}: {exc.strerror}", str(exc.filename)) from None
    if not token and not cert_pem:
        raise JincaiError("submit-credentials", "需要 --token（或 JINCAI_GATEWAY_TOKEN）或 --cert/--key", "give --token (or JINCAI_GATEWAY_TOKEN) or --cert/--key", "--token")
    return client.stub(client.channel(to, ca_pem, cert_pem, key_pem)), client.bearer(token)


def _call(method, request, metadata):
    import grpc

    from jincai.gateway.errors import details_of

    try:
        return method(request, metadata=metadata)
    except grpc.RpcError as exc:
        d = details_of(exc)
        raise JincaiError(d["reason"] or "gateway-error", d["zh"] or str(d["status"]), d["en"] or str(d["status"]), "--to") from None


def _source(store: str, pg_schema: Optional[str], export: Optional[Path], engine: str, spark_master: Optional[str]):
    """What the engine reads: an export (on ``engine``) when given, else the store."""
    if engine != "duckdb" and export is None:
        raise JincaiError("datacenter-engine", "--engine spark 需要 --export DIR", "--engine spark needs --export DIR", "--engine")
    if spark_master is not None and engine != "spark":
        raise JincaiError("datacenter-engine", "--spark-master 只能与 --engine spark 一起使用", "--spark-master needs --engine spark", "--spark-master")
    if export is not None:
        from jincai.datacenter.parquet import open_export

        return open_export(export, engine, spark_master)
    return _open(store, pg_schema)


def _locally(answer, store: str, pg_schema: Optional[str], export: Optional[Path], engine: str, spark_master: Optional[str]):
    """``answer(source)`` on the store or export the options name, closed afterwards."""
    s = _source(store, pg_schema, export, engine, spark_master)
    try:
        return answer(s)
    finally:
        s.close()


def _open(store: str, pg_schema: Optional[str]):
    from jincai.gateway.store import open_store

    target = Path(store)
    if not store.startswith(("postgresql://", "postgres://")) and not (target.exists() or target.with_suffix(".duckdb").exists()):
        raise JincaiError("datacenter-store", f"存储 {store} 不存在", f"no store at {store}", "--store")
    try:
        return open_store(store, pg_schema)
    except Exception as exc:  # noqa: BLE001 - DuckDB's lock error has no narrower public type in every version
        if "lock" not in str(exc).lower():
            raise
        raise JincaiError(
            "datacenter-store-busy", f"存储 {store} 正被运行中的网关使用；请用 --to 询问网关",
            f"the store {store} is in use by a running gateway; ask the gateway with --to", "--store",
        ) from None


@app.command("consolidate", help="汇总旬报/月报并核对：本级（由总会计账）+ 下级；与报送数、下级之和、上期累计比对 / the consolidated report and its checks")
def consolidate_cmd(
    region: str = typer.Option(..., "--region", help="区划（9 位）/ region (9 digits)"),
    period: str = typer.Option(..., "--period", help="YYYY-MM（月报 monthly）或 YYYY-MM-Dn（旬报 10-day）"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="时点（RFC 3339 带时区或日期；默认现在）/ the moment (default now)"),
    store: StoreOpt = "jincai-gateway-data",
    pg_schema: PgSchemaOpt = None,
    to: ToOpt = None,
    ca: CaOpt = None,
    token: TokenOpt = None,
    cert: CertOpt = None,
    key: KeyOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    export: ExportOpt = None,
    engine: EngineOpt = "duckdb",
    spark_master: SparkMasterOpt = None,
) -> None:
    from jincai.datacenter import consolidate, output, position

    _check_format(fmt)
    if to:
        from jincai.datacenter import wire
        from jincai.proto_gen.jincai.ingest.v1 import ingest_pb2 as pb

        stub, meta = _stub(to, ca, token, cert, key)
        req = pb.GetConsolidatedReportRequest(mof_div_code=region, period=period, as_of=as_of or "")
        result = wire.consolidation_from(_call(stub.GetConsolidatedReport, req, meta))
    else:
        at = position.parse_as_of(as_of) if as_of else None
        result = _locally(lambda s: consolidate.consolidate(s, region, period, at), store, pg_schema, export, engine, spark_master)
    output.write(result, fmt, out)
    if result.differences or result.missing:
        raise typer.Exit(1)


@app.command("position", help="某一时点的财政实时状况（含下级）/ the fiscal position of a region and those below it as of a moment")
def position_cmd(
    region: str = typer.Option(..., "--region", help="区划（9 位）/ region (9 digits)"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="时点（RFC 3339 带时区或日期；默认现在）/ the moment (default now)"),
    on: Optional[str] = typer.Option(None, "--date", help="业务日期截止 YYYY-MM-DD（默认时点所在日期）/ business date cut-off (default the moment's date)"),
    year: Optional[int] = typer.Option(None, "--year", help="预算年度（默认业务日期所在年度）/ fiscal year (default the business date's)"),
    indicators: bool = typer.Option(False, "--indicators", help="列出每个指标 / list every indicator"),
    store: StoreOpt = "jincai-gateway-data",
    pg_schema: PgSchemaOpt = None,
    to: ToOpt = None,
    ca: CaOpt = None,
    token: TokenOpt = None,
    cert: CertOpt = None,
    key: KeyOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    export: ExportOpt = None,
    engine: EngineOpt = "duckdb",
    spark_master: SparkMasterOpt = None,
) -> None:
    from jincai.datacenter import output, position

    _check_format(fmt)
    if to:
        from jincai.datacenter import wire
        from jincai.proto_gen.jincai.ingest.v1 import ingest_pb2 as pb

        stub, meta = _stub(to, ca, token, cert, key)
        req = pb.GetFiscalPositionRequest(mof_div_code=region, as_of=as_of or "", fiscal_year=year or 0, include_indicators=indicators, date=on or "")
        result = wire.position_from(_call(stub.GetFiscalPosition, req, meta))
    else:
        at = position.parse_as_of(as_of) if as_of else None
        result = _locally(lambda s: position.position(s, region, at, year, indicators, position.parse_date(on)), store, pg_schema, export, engine, spark_master)
    output.write(result, fmt, out)


@app.command("export", help="把存储（含历史）导出为按区划、年度分区的 Parquet，供 Spark 等引擎读取 / export a store, history included, as Parquet partitioned by region and year")
def export_cmd(
    out: Path = typer.Option(..., "--out", help="输出目录（须不存在或为空）/ output folder (new or empty)"),
    store: StoreOpt = "jincai-gateway-data",
    pg_schema: PgSchemaOpt = None,
) -> None:
    from jincai.datacenter import parquet

    s = _open(store, pg_schema)
    try:
        manifest = parquet.export(s, out)
    finally:
        s.close()
    records = sum(n for t, n in manifest["tables"].items() if t != parquet.VERSIONS)
    typer.echo(f"已导出 exported {records:,} 条记录 records, {manifest['tables'][parquet.VERSIONS]:,} 个数据版本 data versions → {out}（时点 as of {manifest['exported_at']}）")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="datacenter")
